package gazetteer

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var (
	once    sync.Once
	shared  *Gazetteer
	loadErr error
)

func load(t testing.TB) *Gazetteer {
	t.Helper()
	once.Do(func() { shared, loadErr = Load() })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return shared
}

func TestLookup(t *testing.T) {
	g := load(t)
	tests := []struct {
		name, want, admin1 string
	}{
		{"Tinzaouaten", "Ti-n-Zaouâtene", "Kidal"},
		{"Tin Zaouatene", "Ti-n-Zaouâtene", "Kidal"},
		{"TI-N-ZAOUATENE", "Ti-n-Zaouâtene", "Kidal"},
		{"Ouéléssébougou", "Wolossébougou", "Koulikoro"},
		{"Ouelessebougou", "Wolossébougou", "Koulikoro"},
		{"Dioïla", "Dioila", "Koulikoro"},
		{"Timbuktu", "Timbuktu", "Tombouctou"},
		{"Tombouctou", "Timbuktu", "Tombouctou"},
		{"Kéléya", "Kéléya", "Sikasso"},
		{"commune de Tamani", "Tamani", "Segou"},
		{"cercle de Bankass", "Bankass", "Mopti"},
		{"the village of Doura", "Doura", ""},
		{"Boulkessi", "Boulkessi", "Mopti"},
		{"Gossi", "Gossi", "Tombouctou"},
		{"Ménaka", "Ménaka", "Menaka"},
		{"Djibo", "Djibo", "Sahel"},
		{"Tillabéri", "Tillabéri", "Tillaberi"},
		{"Nouakchott", "Nouakchott", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := g.Lookup(tt.name)
			if len(es) == 0 {
				t.Fatalf("Lookup(%q) found nothing", tt.name)
			}
			for _, e := range es {
				if e.Name == tt.want && (tt.admin1 == "" || e.Admin1 == tt.admin1) {
					return
				}
			}
			t.Errorf("Lookup(%q) = %s/%s first; want %s in %s among %d", tt.name, es[0].Name, es[0].Admin1, tt.want, tt.admin1, len(es))
		})
	}
}

func TestLookupRanksSeatsFirst(t *testing.T) {
	g := load(t)
	// Three Léré and two Kati: the cercle seat of Kati comes first.
	es := g.Lookup("Kati")
	if es[0].Feature != "PPLA2" || es[0].Admin1 != "Koulikoro" {
		t.Errorf("Kati first = %+v", es[0])
	}
	if n := len(g.Lookup("Léré")); n < 3 {
		t.Errorf("Léré homonyms = %d, want >= 3", n)
	}
}

func TestLookupFuzzy(t *testing.T) {
	g := load(t)
	for _, tt := range []struct{ name, want string }{
		{"Baraouéli", "Barouéli"},
		{"Ouolon", "Wolon"},          // ou / w
		{"Tindibawen", "Tidimbawen"}, // a nasal moved
	} {
		es := g.LookupFuzzy(tt.name)
		if len(es) == 0 || es[0].Name != tt.want {
			t.Errorf("LookupFuzzy(%q) = %v, want %s", tt.name, es, tt.want)
		}
	}
	if es := g.LookupFuzzy("Xq"); len(es) != 0 {
		t.Errorf("short names must not fuzzy-match: %v", es)
	}
}

func TestAirportBelowTown(t *testing.T) {
	g := load(t)
	if es := g.Lookup("Barsalogho"); len(es) == 0 || es[0].Feature == "AIRP" {
		t.Errorf("Lookup(Barsalogho) should put the town first: %v", es)
	}
	ms := g.FindAll("Rockets hit Barsalogho Airport.")
	if len(ms) != 1 || ms[0].Entries[0].Feature != "AIRP" {
		t.Errorf("a written airport is the airport: %+v", ms)
	}
}

func TestFindAll(t *testing.T) {
	g := load(t)
	tests := []struct {
		text string
		want []string // matched text, in order
	}{
		{"Gunmen attacked Kati on Monday.", []string{"Kati"}},
		{"Soldiers left Ti-n-Zaouâtene for Tessalit.", []string{"Ti-n-Zaouâtene", "Tessalit"}},
		{"Katiba Macina fighters were seen near Djenné.", []string{"Djenné"}},
		{"Amadou Koufa spoke; Police and Army units moved.", nil},
		{"the police attacked a camp", nil},
		{"On Mardi, MINUSMA said Ansar Dine left.", nil},
		{"A patrol on the Gao-Ansongo road.", []string{"Gao", "Ansongo"}},
		{"Fighters came from Tin-Toukar.", nil},
		{"The Mopti region and the cercle de Bankass.", []string{"Mopti region", "Bankass"}},
		{"Mali and Burkina Faso", []string{"Mali", "Burkina Faso"}},
		// A sentence-opening French "À" is a preposition, not the start of
		// a name (keys join words: "À Djibo" must not read "Adjibo").
		{"À Djibo, l'attaque a duré toute la journée.", []string{"Djibo"}},
		// A capitalised word mid-sentence before a name makes it a surname
		// or an institution, not a village.
		{"The minister Lionel Bilgo visited the injured.", nil},
		{"Staff of the Gabriel Toure hospital went on strike.", nil},
		{"The daily Le Monde reported the attack.", nil},
		// Title-case headlines keep their places.
		{"Gunmen Attack Djibo Market Before Dawn", []string{"Djibo"}},
		// An unknown Tamasheq compound is no place, nor are its pieces.
		{"A camp at Tin Aouker was hit.", nil},
		// Aircraft are not villages.
		{"Tigre and Gazelle helicopters flew over.", nil},
		// Natural features ACLED codes at: wadis, hills, water holes.
		{"A patrol crossed the Ti-n-Dersan water hole.", []string{"Ti-n-Dersan"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, m := range g.FindAll(tt.text) {
				got = append(got, m.Text)
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("offsets %d:%d do not give %q", m.Start, m.End, m.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("FindAll = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAdmin(t *testing.T) {
	g := load(t)
	tests := []struct {
		lat, lon                float64
		country, admin1, admin2 string
	}{
		{12.65, -8.0, "Mali", "Bamako", "Bamako"},
		{14.4843, -4.18296, "Mali", "Mopti", "Mopti"},
		{15.9182, 2.4022, "Mali", "Menaka", "Menaka"},
		{19.95427, 2.96732, "Mali", "Kidal", "Abeibara"}, // just outside the generalised border
		{14.0994, -1.6255, "Burkina Faso", "Sahel", "Soum"},
		{12.3714, -1.5197, "Burkina Faso", "Centre", "Kadiogo"},
		{13.5214, 2.1053, "Niger", "Niamey", ""},
		{36.75, 3.06, "", "", ""},
	}
	for _, tt := range tests {
		c, a1, a2, _ := g.Admin(tt.lat, tt.lon)
		if c != tt.country || a1 != tt.admin1 || (tt.admin2 != "" && a2 != tt.admin2) {
			t.Errorf("Admin(%v,%v) = %s/%s/%s, want %s/%s/%s", tt.lat, tt.lon, c, a1, a2, tt.country, tt.admin1, tt.admin2)
		}
	}
}

func TestLoadWithAdditions(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "extra.tsv")
	os.WriteFile(p, []byte("# test\nKoumbéla-Sud\tKoumbela Sud\t14.30\t-3.60\tPPL\tML\n"), 0o644)
	g, err := LoadWithAdditions(p)
	if err != nil {
		t.Fatal(err)
	}
	es := g.Lookup("koumbela sud")
	if len(es) != 1 || es[0].Admin1 != "Mopti" {
		t.Fatalf("user addition = %+v", es)
	}
	bad := filepath.Join(dir, "bad.tsv")
	os.WriteFile(bad, []byte("Name\tAlt\tnorth\t-3\tPPL\tML\n"), 0o644)
	if _, err := LoadWithAdditions(bad); err == nil {
		t.Error("bad coordinates accepted")
	}
	if _, err := LoadWithAdditions(filepath.Join(dir, "missing.tsv")); err == nil {
		t.Error("missing file accepted")
	}
}

func FuzzFindAll(f *testing.F) {
	for _, s := range []string{"Attack near Ti-n-Zaouâtene (Kidal, Kidal).", "Katiba Macina", "\xff\xfeGao", "", "À 30 km au nord de Ségou"} {
		f.Add(s)
	}
	g := load(f)
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range g.FindAll(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) || s[m.Start:m.End] != m.Text || len(m.Entries) == 0 {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			last = m.End
		}
		if utf8.ValidString(s) {
			g.Lookup(s)
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	g := load(b)
	names := []string{"Tinzaouaten", "Kati", "Bamako", "Ouéléssébougou", "Xyzzy", "Djibo", "commune de Tamani"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.Lookup(names[i%len(names)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

func BenchmarkLoad(b *testing.B) {
	var before, after runtime.MemStats
	var g *Gazetteer
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		if g, err = Load(); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
	b.ReportMetric(float64(g.Len()), "entries")
}
