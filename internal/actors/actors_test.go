package actors

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func load(t testing.TB) *Registry {
	t.Helper()
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// hits renders mentions as "text=id" for compact comparison.
func hits(ms []Mention) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Text+"="+m.Actor.ID)
	}
	return strings.Join(parts, "; ")
}

func TestFind(t *testing.T) {
	r := load(t)
	for _, c := range []struct {
		name, text, want string
	}{
		{"en jnim and fama",
			"Fighters of the al-Qaeda-linked JNIM stormed a FAMa camp near Boulkessi on Tuesday.",
			"al-Qaeda=jnim; JNIM=jnim; FAMa=mali_military"},
		{"fr long name with accents",
			"Le Groupe de soutien à l'islam et aux musulmans a revendiqué l'attaque contre l'armée malienne.",
			"Groupe de soutien à l'islam et aux musulmans=jnim; armée malienne=mali_military"},
		{"fr without accents",
			"le groupe de soutien a l'Islam et aux Musulmans (GSIM) affirme avoir tue des soldats maliens",
			"groupe de soutien a l'Islam et aux Musulmans (GSIM)=jnim; soldats maliens=mali_military"},
		{"longest match wins over generic",
			"Malian troops and Russian mercenaries pushed the armed men back.",
			"Malian troops=mali_military; Russian mercenaries=wagner; armed men=unidentified_armed_group"},
		{"generic words",
			"Des hommes armés ont tué trois civils et blessé des commerçants ; les militaires sont arrivés après.",
			"hommes armés=unidentified_armed_group; civils=civilians; commerçants=civilians; militaires=military"},
		{"islamist generic",
			"Suspected jihadists torched the market; terroristes et HANI sont cités par le communiqué.",
			"Suspected jihadists=islamist_militants; terroristes=islamist_militants; HANI=islamist_militants"},
		{"sub-groups",
			"La katiba Macina et la katiba Serma opèrent dans le centre, tandis que les dozos tiennent les villages.",
			"katiba Macina=katiba_macina; katiba Serma=katiba_serma; dozos=dozo"},
		{"canonical ACLED name",
			"Military Forces of Niger (2023-) clashed with Islamic State (Sahel) near Tillabéri.",
			"Military Forces of Niger (2023-)=niger_military; Islamic State (Sahel)=is_sahel"},
		{"burkina",
			"Les FDS et les Volontaires pour la défense de la patrie ont repoussé l'assaut contre le détachement de l'armée burkinabè.",
			"FDS=military; Volontaires pour la défense de la patrie=vdp; armée burkinabè=bf_military"},
		{"niger",
			"L'armée nigérienne affirme que les FDS nigériennes ont neutralisé des éléments de l'EIGS.",
			"armée nigérienne=niger_military; FDS nigériennes=niger_military; EIGS=is_sahel"},
		{"azawad movements",
			"The CSP-DPA, whose MNLA and HCUA wings later joined the Azawad Liberation Front, fought the FAMa and Wagner.",
			"CSP-DPA=csp_dpa; MNLA=mnla; HCUA=hcua; Azawad Liberation Front=fla; FAMa=mali_military; Wagner=wagner"},
		{"diffa",
			"Boko Haram and ISWAP fighters attacked Nigerien soldiers in the Diffa region.",
			"Boko Haram=boko_haram; ISWAP=iswap; Nigerien soldiers=niger_military"},
		{"headline capitals",
			"LES FAMA ET LE GSIM S'AFFRONTENT",
			"FAMA=mali_military; GSIM=jnim"},
		{"case-sensitive abbreviations stay quiet",
			"Hani, a fan of the band, said fla and fds are typos; Fama is a first name.",
			""},
		{"no match across a sentence end",
			"They fled the Malian. Army patrols arrived.",
			"Army=military"},
		{"apostrophes and hyphens",
			"Al Qaïda au Maghreb islamique (AQMI) and Dan Na Ambassagou; État islamique au Grand-Sahara.",
			"Al Qaïda au Maghreb islamique=aqim; AQMI=aqim; Dan Na Ambassagou=dan_na_ambassagou; État islamique au Grand-Sahara=is_sahel"},
		{"protesters and rioters",
			"Manifestants et émeutiers se sont rassemblés à Niamey ; the police fired tear gas.",
			"Manifestants=protesters; émeutiers=rioters; police=police"},
		{"junta and leaders",
			"La junte a limogé le chef d'état-major ; Assimi Goïta et le général Tiani se sont parlé.",
			"junte=government; Assimi Goïta=mali_government; général Tiani=niger_government"},
		{"decomposed accent", "l'arme\u0301e malienne", "arme\u0301e malienne=mali_military"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := hits(r.Find(c.text)); got != c.want {
				t.Errorf("Find(%q)\n got: %s\nwant: %s", c.text, got, c.want)
			}
		})
	}
}

func TestForCountry(t *testing.T) {
	r := load(t)
	get := func(id string) Actor {
		a, ok := r.ByID(id)
		if !ok {
			t.Fatalf("no actor %q", id)
		}
		return a
	}
	for _, c := range []struct {
		generic, country, wantID, wantName string
	}{
		{"civilians", "Mali", "civilians_mali", "Civilians (Mali)"},
		{"unidentified_armed_group", "Burkina Faso", "uag_bf", "Unidentified Armed Group (Burkina Faso)"},
		{"unidentified_armed_group", "burkina faso", "uag_bf", "Unidentified Armed Group (Burkina Faso)"},
		{"military", "Niger", "niger_military", "Military Forces of Niger (2023-)"},
		{"military", "Mali", "mali_military", "Military Forces of Mali (2021-)"},
		{"police", "Niger", "niger_police", "Police Forces of Niger (2023-)"},
		{"government", "Burkina Faso", "bf_government", "Government of Burkina Faso (2022-)"},
		{"protesters", "Ghana", "protesters_ghana", "Protesters (Ghana)"},
		{"civilians", "Côte d'Ivoire", "civilians_cote_d_ivoire", "Civilians (Côte d'Ivoire)"},
		{"islamist_militants", "Mali", "islamist_militants", "Islamist Militants (unidentified)"},
		{"civilians", "", "civilians", "Civilians"},
		{"jnim", "Mali", "jnim", "JNIM: Group for Support of Islam and Muslims"},
	} {
		got := r.ForCountry(get(c.generic), c.country)
		if got.ID != c.wantID || got.Name != c.wantName {
			t.Errorf("ForCountry(%s, %q) = %s %q, want %s %q", c.generic, c.country, got.ID, got.Name, c.wantID, c.wantName)
		}
		if c.country != "" && got.Generic {
			t.Errorf("ForCountry(%s, %q) is still generic", c.generic, c.country)
		}
		if c.country != "" && got.Inter != get(c.generic).Inter && get(c.generic).Generic {
			t.Errorf("ForCountry(%s, %q) changed inter %d -> %d", c.generic, c.country, get(c.generic).Inter, got.Inter)
		}
	}
}

func TestParent(t *testing.T) {
	r := load(t)
	for child, want := range map[string]string{
		"katiba_macina": "jnim", "katiba_serma": "jnim", "ansar_dine": "jnim",
		"dozo": "dan_na_ambassagou", "africa_corps": "wagner", "mnla": "cma", "hcua": "cma", "gatia": "platform",
	} {
		a, _ := r.ByID(child)
		p, ok := r.Parent(a)
		if !ok || p.ID != want {
			t.Errorf("Parent(%s) = %q, %v; want %q", child, p.ID, ok, want)
		}
	}
	if _, ok := r.Parent(Actor{ID: "jnim"}); ok {
		t.Error("jnim should have no parent")
	}
	if _, ok := r.ByID("nope"); ok {
		t.Error("ByID(nope) found something")
	}
}

// TestData checks the shipped files: enough actors, valid codes, and no
// name that two actors share (which one Find picks would be luck).
func TestData(t *testing.T) {
	r := load(t)
	named := 0
	for _, a := range r.Actors() {
		if !a.Generic {
			named++
		}
		if a.Inter < 1 || a.Inter > 8 {
			t.Errorf("%s: inter %d", a.ID, a.Inter)
		}
	}
	if named < 60 {
		t.Errorf("%d named actors, want 60 or more", named)
	}
	var walk func(n *node, path string)
	walk = func(n *node, path string) {
		for i, a := range n.entries {
			for _, b := range n.entries[i+1:] {
				if a.actor != b.actor && (a.cased == nil) == (b.cased == nil) {
					t.Errorf("alias %q is shared by %s and %s", path, r.actors[a.actor].ID, r.actors[b.actor].ID)
				}
			}
		}
		for w, c := range n.next {
			walk(c, strings.TrimSpace(path+" "+w))
		}
	}
	walk(r.root, "")
	for id, f := range r.form {
		if id != "islamist_militants" && !strings.Contains(f, "{country}") {
			t.Errorf("generic %s: country form %q has no {country}", id, f)
		}
	}
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "extra.tsv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadWithExtra(t *testing.T) {
	extra := "id\tname\tinter\tparent\tcountry\tgeneric\taliases\n" +
		"# an analyst's additions\n" +
		"jnim\t\t\t\t\t\tles hommes de Koufa\n" +
		"katiba_test\tKatiba Fictive\t2\tjnim\tMali\t\tkatiba imaginaire|KFX\n"
	r, err := LoadWithExtra(writeTemp(t, extra))
	if err != nil {
		t.Fatal(err)
	}
	got := hits(r.Find("Les hommes de Koufa et la katiba imaginaire (KFX) ont frappé."))
	want := "Les hommes de Koufa=jnim; katiba imaginaire=katiba_test; KFX=katiba_test"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	j, _ := r.ByID("jnim")
	if j.Name != "JNIM: Group for Support of Islam and Muslims" || j.Inter != 2 {
		t.Errorf("merging aliases changed jnim: %+v", j)
	}

	for name, body := range map[string]string{
		"columns":        "x\tX\t2\n",
		"inter":          "x\tX\t9\t\t\t\t\n",
		"no name":        "x\t\t2\t\t\t\t\n",
		"parent":         "x\tX\t2\tghost\t\t\t\n",
		"cycle":          "a\tA\t2\tb\t\t\t\nb\tB\t2\ta\t\t\t\n",
		"generic":        "x\tX\t1\t\tMali\tnot_generic\t\n",
		"generic no cty": "x\tX\t1\t\t\tmilitary\t\n",
		"utf8":           "x\tX\xff\t2\t\t\t\t\n",
	} {
		if _, err := LoadWithExtra(writeTemp(t, body)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
	if _, err := LoadWithExtra(filepath.Join(t.TempDir(), "missing.tsv")); err == nil {
		t.Error("missing file: want an error")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Armée  malienne":      "armee malienne",
		"Œuvre, Straße":        "oeuvre strasse",
		"Al-Qaïda":             "al qaida",
		"Forces armées (FAMa)": "forces armees fama",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFind(f *testing.F) {
	r, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "FAMa", "l'armée malienne", "a\u0301\u0301", "\xff\xfeJNIM\xff", "JNIM:\n\nGroup for Support", strings.Repeat("hommes armés ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, m := range r.Find(s) {
			if m.Start < prev || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("bad span %d..%d after %d in %q", m.Start, m.End, prev, s)
			}
			if m.Text != s[m.Start:m.End] {
				t.Fatalf("Text %q != s[%d:%d]", m.Text, m.Start, m.End)
			}
			if utf8.ValidString(s) && (!utf8.RuneStart(s[m.Start]) || (m.End < len(s) && !utf8.RuneStart(s[m.End]))) {
				t.Fatalf("span %d..%d splits a rune in %q", m.Start, m.End, s)
			}
			prev = m.End
		}
	})
}

func BenchmarkFind(b *testing.B) {
	r := load(b)
	text := strings.Repeat("Des hommes armés non identifiés ont attaqué jeudi un poste des FAMa près de Boni, "+
		"tuant quatre soldats et deux civils, selon une source sécuritaire. Le JNIM a revendiqué l'attaque. "+
		"In Burkina Faso, VDP volunteers and Burkinabe soldiers repelled jihadists near Djibo while "+
		"Russian instructors supported the Malian army in the Gourma. ", 10)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.Find(text)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryAliasFindsItsActor catches aliases that can never match as
// written (a typo in a case-sensitive abbreviation, a name shadowed by
// another actor's longer one).
func TestEveryAliasFindsItsActor(t *testing.T) {
	r := load(t)
	for _, a := range r.Actors() {
		for _, al := range r.Aliases(a.ID) {
			ms := r.Find(al)
			if len(ms) != 1 || ms[0].Actor.ID != a.ID {
				t.Errorf("%s: alias %q finds %s", a.ID, al, hits(ms))
			}
		}
	}
}
