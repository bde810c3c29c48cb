package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/actors"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/extract"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
	"github.com/sahelwatch/sahelwatch/internal/geocode"
)

var (
	once  sync.Once
	ex    *extract.Extractor
	exErr error
)

func extractor(t testing.TB) *extract.Extractor {
	t.Helper()
	once.Do(func() {
		lx, err := extract.LoadLexicon("")
		if err != nil {
			exErr = err
			return
		}
		reg, err := actors.Load()
		if err != nil {
			exErr = err
			return
		}
		gz, err := gazetteer.Load()
		if err != nil {
			exErr = err
			return
		}
		ex = extract.New(lx, reg, geocode.New(gz, geocode.Options{}))
	})
	if exErr != nil {
		t.Fatal(exErr)
	}
	return ex
}

func run(t testing.TB, text, lang, published string) []event.Event {
	t.Helper()
	r := &event.Report{Doc: "t", Text: text, Lang: lang}
	if published != "" {
		r.Published, _ = time.Parse("2006-01-02", published)
	}
	evs, err := extractor(t).Extract(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func incidents(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if e.Kind == event.Incident {
			out = append(out, e)
		}
	}
	return out
}

// Each case is a short report in our own words and the one incident we
// expect from it.
func TestIncidents(t *testing.T) {
	tests := []struct {
		name, text, lang, pub string
		typ, sub, actor1      string // actor1: a substring of actor1 or assoc_actor_1
		place, date           string
		fatalities            int
	}{
		{
			name: "'one side' of a trench is no head count",
			text: "Gunmen killed villagers digging a trench at Barsalogho on Saturday. A video that shows only one side of the trench shows more than 110 bodies.",
			lang: "en", pub: "2024-08-27",
			typ: "Violence against civilians", sub: "Attack", actor1: "Unidentified", place: "Barsalog", date: "2024-08-24", fatalities: 110,
		},
		{
			name: "a count with its own verb after it: one killed two wounded",
			text: "On Monday, jihadists attacked the gendarmerie checkpoint in Hombori, one gendarme killed two wounded.",
			lang: "en", pub: "2018-01-03",
			typ: "Battles", sub: "Armed clash", actor1: "Islamist", place: "Hombori", date: "2018-01-01", fatalities: 1,
		},
		{
			name: "a man killed with his relatives",
			text: "On Sunday, unknown gunmen shot dead a village chief and his three sons in Gossi.",
			lang: "en", pub: "2018-12-12",
			typ: "Violence against civilians", sub: "Attack", actor1: "Unidentified", place: "Gossi", date: "2018-12-09", fatalities: 4,
		},
		{
			name: "a rank before a name, no article",
			text: "On Tuesday, gunmen on a motorbike assassinated militia commander Ag Moussa at a garage in Kidal.",
			lang: "en", pub: "2018-04-19",
			typ: "Violence against civilians", sub: "Attack", actor1: "Unidentified", place: "Kidal", date: "2018-04-17", fatalities: 1,
		},
		{
			name: "a code after 'geoprecision' is no count",
			text: "On Friday, gunmen attacked a camp near Menaka (coded at geoprecision 2) and killed one civilian.",
			lang: "en", pub: "2018-11-19",
			typ: "Violence against civilians", sub: "Attack", actor1: "Unidentified", place: "Menaka", date: "2018-11-16", fatalities: 1,
		},
		{
			name: "a hyphenated compound ends in its trigger",
			text: "On Wednesday two trucks of a MINUSMA supply convoy were struck by a dual-IED five km north of Tabankort.",
			lang: "en", pub: "2017-09-08",
			typ: "Explosions/Remote violence", sub: "Remote explosive/landmine/IED", actor1: "Unidentified", place: "Tabankort", date: "2017-09-06", fatalities: 0,
		},
		{
			name: "a vehicle seized at gunpoint is looting",
			text: "On Thursday, armed men seized the vehicle of a health worker in Gourma-Rharous and drove off towards the river.",
			lang: "en", pub: "2018-11-24",
			typ: "Strategic developments", sub: "Looting/property destruction", actor1: "Unidentified", place: "Gourma", date: "2018-11-22", fatalities: 0,
		},
		{
			name: "attack on a post is a clash, active voice",
			text: "On Sunday, JNIM fighters attacked the army post in Boni, killing 12 soldiers.",
			lang: "en", pub: "2024-06-11",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Boni", date: "2024-06-09", fatalities: 12,
		},
		{
			name: "passive voice names the perpetrator after 'by'",
			text: "Eight villagers were killed by suspected Islamic State fighters in Anderamboukane on 3 March.",
			lang: "en", pub: "2024-03-05",
			typ: "Violence against civilians", sub: "Attack", actor1: "Islamic State", place: "Anderamboukane", date: "2024-03-03", fatalities: 8,
		},
		{
			name: "French passive with par and a weekday",
			text: "Le poste de gendarmerie de Niono a été attaqué mardi par des hommes armés. Deux gendarmes ont été tués et trois blessés.",
			lang: "fr", pub: "2024-10-10",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Niono", date: "2024-10-08", fatalities: 2,
		},
		{
			name: "drone strike with approximate toll in French",
			text: "Une frappe de drone de l'armée malienne a tué une vingtaine de personnes, dont des enfants, à Kidal le 5 janvier 2025.",
			lang: "fr", pub: "2025-01-07",
			typ: "Explosions/Remote violence", sub: "Air/drone strike", actor1: "Mali", place: "Kidal", date: "2025-01-05", fatalities: 20,
		},
		{
			name: "a count of dead, wounded and missing is no death toll",
			text: "Des hommes armés ont attaqué un convoi de l'armée près d'Ansongo jeudi. « On peut parler d'une vingtaine de personnes si on compte les militaires morts, blessés et disparus », a dit un élu.",
			lang: "fr", pub: "2025-04-12",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Ansongo", date: "2025-04-10", fatalities: 0,
		},
		{
			name: "killed and wounded counted apart",
			text: "Gunmen ambushed an army patrol near Ansongo on Thursday; two soldiers were killed and seven wounded.",
			lang: "en", pub: "2025-04-12",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Ansongo", date: "2025-04-10", fatalities: 2,
		},
		{
			name: "each side's own losses, in a quote",
			text: "Jihadists ambushed an army convoy near Ansongo on Thursday. \"We lost six men\", an officer said, adding that the attackers lost at least 15 combatants.",
			lang: "en", pub: "2025-04-12",
			typ: "Battles", sub: "Armed clash", actor1: "", place: "Ansongo", date: "2025-04-10", fatalities: 21,
		},
		{
			name: "clashes between the army and a group: the group first",
			text: "On 20 July, exchanges of gunfire between FAMa and JNIM militants took place in Boni, with no casualties.",
			lang: "en", pub: "2025-07-22",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Boni", date: "2025-07-20", fatalities: 0,
		},
		{
			name: "soldiers killed by a mine are victims; the planter, named next, is actor1",
			text: "On 26 October, an army vehicle was struck by an IED near Dioungani, and two Malian soldiers were killed in the explosion. The IED was most likely planted by Katiba Macina militants.",
			lang: "en", pub: "2025-10-28",
			typ: "Explosions/Remote violence", sub: "Remote explosive/landmine/IED", actor1: "JNIM", place: "Dioungani", date: "2025-10-26", fatalities: 2,
		},
		{
			name: "a foreign force's vehicle struck by a mine: the soldiers wounded are not the attackers",
			text: "On 8 April, a Barkhane logistics vehicle was struck by an IED south of Tessalit, and two soldiers were lightly wounded.",
			lang: "en", pub: "2025-04-10",
			typ: "Explosions/Remote violence", sub: "Remote explosive/landmine/IED", actor1: "Unidentified", place: "Tessalit", date: "2025-04-08", fatalities: 0,
		},
		{
			name: "subjected to an ambush: the convoy is the target",
			text: "On 12 May, a MINUSMA convoy was subjected to a complex ambush near Aguelhok by JNIM fighters.",
			lang: "en", pub: "2025-05-14",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Aguelhok", date: "2025-05-12", fatalities: 0,
		},
		{
			name: "a military operation against a named group is a clash",
			text: "On 20 September, French Barkhane forces carried out an air-ground operation against ISGS militants near Ménaka, killing seven of them.",
			lang: "en", pub: "2025-09-22",
			typ: "Battles", sub: "Armed clash", actor1: "France", place: "Ménaka", date: "2025-09-20", fatalities: 7,
		},
		{
			name: "looting by unknown gunmen has an unidentified perpetrator",
			text: "On 22 June, unknown gunmen seized a vehicle belonging to an aid group in central Timbuktu.",
			lang: "en", pub: "2025-06-24",
			typ: "Strategic developments", sub: "Looting/property destruction", actor1: "Unidentified Armed Group", place: "Timbuktu", date: "2025-06-22", fatalities: 0,
		},
		{
			name: "the army repelled an attack: the attackers are actor1",
			text: "Malian soldiers repelled an attack by suspected jihadists on their post in Tessit on 4 May, killing two of them.",
			lang: "en", pub: "2025-05-06",
			typ: "Battles", sub: "Armed clash", actor1: "Islamist", place: "Tessit", date: "2025-05-04", fatalities: 2,
		},
		{
			name: "a communal militia before a bare verb raided (not 'was raided')",
			text: "On 27 August, Dozo militiamen raided the village of Togoye and burned several huts.",
			lang: "en", pub: "2025-08-29",
			typ: "Strategic developments", sub: "Looting/property destruction", actor1: "Dan Na Ambassagou", place: "Togou", date: "2025-08-27", fatalities: 0,
		},
		{
			name: "an attack on camps that were the army's is a battle",
			text: "Des hommes armés ont attaqué dimanche les deux camps de l'armée malienne à Léré, a indiqué un élu local.",
			lang: "fr", pub: "2025-09-16",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Léré", date: "2025-09-14", fatalities: 0,
		},
		{
			name: "'the two sides reported dozens dead' is the battle's toll, not a killing of civilians",
			text: "Le 12 septembre, les rebelles ont mené une attaque contre la base de l'armée à Bourem. Les deux camps ont fait état de dizaines de morts.",
			lang: "fr", pub: "2025-09-14",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Bourem", date: "2025-09-12", fatalities: 10,
		},
		{
			name: "one official killed by gunmen, no number written",
			text: "An agent of the forestry service killed by unknown gunmen in Attara on 3 June.",
			lang: "en", pub: "2025-06-05",
			typ: "Violence against civilians", sub: "Attack", actor1: "Unidentified", place: "Attara", date: "2025-06-03", fatalities: 1,
		},
		{
			name: "a toll of civilians, attackers and soldiers together is the fight's",
			text: "Gunmen attacked an army convoy near Boré on Tuesday, vehicles on fire. 4 civilians, 2 assailants and 1 soldier died.",
			lang: "en", pub: "2025-06-05",
			typ: "Battles", sub: "Armed clash", actor1: "Unidentified", place: "Boré", date: "2025-06-03", fatalities: 7,
		},
		{
			name: "kidnapping",
			text: "Gunmen kidnapped two foreign workers at a mining site near Kéniéba on Thursday.",
			lang: "en", pub: "2025-05-10",
			typ: "Violence against civilians", sub: "Abduction/forced disappearance", actor1: "", place: "Kéniéba", date: "2025-05-08",
		},
		{
			name: "burning tankers with no clash is looting/property destruction",
			text: "Suspected JNIM militants set fire to twelve fuel tankers on the road near Kati on 14 September 2025.",
			lang: "en", pub: "2025-09-15",
			typ: "Strategic developments", sub: "Looting/property destruction", actor1: "JNIM", place: "Kati", date: "2025-09-14",
		},
		{
			name: "IED against a vehicle",
			text: "Three soldiers died when their vehicle struck an improvised explosive device near Douentza on 2 February.",
			lang: "en", pub: "2024-02-04",
			typ: "Explosions/Remote violence", sub: "Remote explosive/landmine/IED", place: "Douentza", date: "2024-02-02", fatalities: 3,
		},
		{
			name: "conflicting tolls: the most conservative",
			text: "At least 40 civilians were killed in an attack on the village of Djibasso on Monday, according to local officials. A union official put the toll at 80 civilians killed.",
			lang: "en", pub: "2024-07-03",
			typ: "Violence against civilians", sub: "Attack", place: "Djibasso", date: "2024-07-01", fatalities: 40,
		},
		{
			name: "a protest",
			text: "Hundreds of people protested in Bamako on Friday against power cuts.",
			lang: "en", pub: "2024-04-14",
			typ: "Protests", sub: "Peaceful protest", actor1: "Protesters", place: "Bamako", date: "2024-04-12",
		},
		{
			name: "sub-group counts as its parent",
			text: "On 30 December, Katiba Macina militants ambushed a National Guard patrol near Diafarabé, killing two guards.",
			lang: "en", pub: "2024-01-02",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Diafarab", date: "2023-12-30", fatalities: 2,
		},
		{
			name: "youths fighting gendarmes is a riot",
			text: "On 3 May, angry youths clashed with gendarmes in Kati after the arrest of a trader.",
			lang: "en", pub: "2024-05-05",
			typ: "Riots", sub: "Violent demonstration", actor1: "Rioters", place: "Kati", date: "2024-05-03",
		},
		{
			name: "abducted and then killed is an attack",
			text: "On 9 April, gunmen abducted a village chief near Léré and later killed him.",
			lang: "en", pub: "2024-04-12",
			typ: "Violence against civilians", sub: "Attack", place: "Léré", date: "2024-04-09", fatalities: 1,
		},
		{
			name: "shells followed by gunfire is a clash",
			text: "On 2 June, militants fired mortar shells at the army camp in Ansongo before an assault with heavy gunfire.",
			lang: "en", pub: "2024-06-04",
			typ: "Battles", sub: "Armed clash", place: "Ansongo", date: "2024-06-02",
		},
		{
			name: "attacked and burned a building is property destruction",
			text: "On 12 August, gunmen attacked and burned the town hall of Ténenkou.",
			lang: "en", pub: "2024-08-14",
			typ: "Strategic developments", sub: "Looting/property destruction", place: "Ténenkou", date: "2024-08-12",
		},
		{
			name: "one victim without a number",
			text: "On 8 August, unknown gunmen shot dead the deputy mayor of Bourem outside his home.",
			lang: "en", pub: "2024-08-10",
			typ: "Violence against civilians", sub: "Attack", place: "Bourem", date: "2024-08-08", fatalities: 1,
		},
		{
			name: "a dateline is neither the place nor the date",
			text: "Bamako, 28 March (Sahel Wire) – JNIM fighters attacked the gendarmerie post in Tominian on Tuesday, killing four gendarmes.",
			lang: "en", pub: "2025-03-28",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Tominian", date: "2025-03-25", fatalities: 4,
		},
		{
			name: "a threat in the same sentence does not make the attack hypothetical",
			text: "On 4 March, JNIM ambushed a convoy near Diéma and threatened to burn any truck that tried the road again.",
			lang: "en", pub: "2025-03-06",
			typ: "Battles", sub: "Armed clash", actor1: "JNIM", place: "Diéma", date: "2025-03-04",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := incidents(run(t, tc.text, tc.lang, tc.pub))
			if len(evs) != 1 {
				t.Fatalf("got %d incidents, want 1: %+v", len(evs), evs)
			}
			e := evs[0]
			if e.EventType != tc.typ || e.SubEventType != tc.sub {
				t.Errorf("type = %s / %s, want %s / %s", e.EventType, e.SubEventType, tc.typ, tc.sub)
			}
			if tc.actor1 != "" && !strings.Contains(e.Actor1.Name+" "+e.Actor1.Assoc, tc.actor1) {
				t.Errorf("actor1 = %q (assoc %q), want it to name %q", e.Actor1.Name, e.Actor1.Assoc, tc.actor1)
			}
			if !strings.Contains(e.Place.Name+" "+e.Place.Mention, tc.place) {
				t.Errorf("place = %q (%q), want %q", e.Place.Name, e.Place.Mention, tc.place)
			}
			if got := e.Date.Format("2006-01-02"); got != tc.date {
				t.Errorf("date = %s, want %s", got, tc.date)
			}
			if e.Fatalities != tc.fatalities {
				t.Errorf("fatalities = %d, want %d", e.Fatalities, tc.fatalities)
			}
			if len(e.Evidence) == 0 {
				t.Fatal("no evidence")
			}
			for _, ev := range e.Evidence {
				if tc.text[ev.Start:ev.End] != ev.Text {
					t.Errorf("evidence offsets [%d,%d) do not point at %q", ev.Start, ev.End, ev.Text)
				}
			}
			if e.Confidence <= 0 || e.Confidence > 1 {
				t.Errorf("confidence %v out of (0,1]", e.Confidence)
			}
		})
	}
}

// A date that stands before a statement about the event dates the
// statement: the event was that day or some days before (week precision).
func TestStatementDate(t *testing.T) {
	for _, tc := range []struct {
		text string
		prec int
	}{
		{"On 2 August, the CSP said that 84 Wagner mercenaries were killed in the battle at Tinzaouaten.", event.WeekPrecision},
		{"Le 2 août, le CSP a déclaré que 84 mercenaires de Wagner avaient été tués lors de la bataille de Tinzaouaten.", event.WeekPrecision},
		{"On 2 August, CSP fighters killed 84 Wagner mercenaries at Tinzaouaten, a spokesman said.", event.DayPrecision},
	} {
		evs := incidents(run(t, tc.text, "", "2024-08-05"))
		if len(evs) != 1 {
			t.Errorf("%q: %d incidents, want 1", tc.text, len(evs))
			continue
		}
		if got := evs[0].Date.Format("2006-01-02"); got != "2024-08-02" || evs[0].TimePrecision != tc.prec {
			t.Errorf("%q: date %s precision %d, want 2024-08-02 precision %d", tc.text, got, evs[0].TimePrecision, tc.prec)
		}
	}
}

// One event per place: an attack on a list of villages is one event each.
func TestOneEventPerPlace(t *testing.T) {
	for _, text := range []string{
		"On 25 March, JNIM fighters attacked Tamani, Doura and Kéléya.",
		"Seven attacks were recorded this week, one in Gao and three on 25 March, targeting Tamani, Doura and Kéléya.",
		"Le 25 mars, des jihadistes ont attaqué Tamani (Ségou), Doura et Kéléya (Sikasso).",
	} {
		evs := incidents(run(t, text, "", "2025-03-28"))
		got := map[string]bool{}
		for _, e := range evs {
			got[e.Place.Name] = true
		}
		if len(evs) != 3 || !got["Tamani"] || !got["Doura"] {
			t.Errorf("%q: got %d incidents, want Tamani, Doura and Kéléya: %v", text, len(evs), got)
		}
	}
}

// Kinds other than incident: aggregates, situations and background; and
// incidents whose wording looks like a count ("no casualties recorded").
func TestKinds(t *testing.T) {
	tests := []struct {
		name, text, lang, pub string
		want                  event.Kind
	}{
		{"count of attacks", "In one week, 16 attacks were recorded across Mali, two of them in the Ségou region.", "en", "2025-03-28", event.Aggregate},
		{"no casualties recorded is no count of attacks", "Gunmen attacked the gendarmerie in Hombori on Monday night, no casualties recorded.", "en", "2018-01-10", event.Incident},
		{"aucune victime enregistrée", "Des hommes armés ont attaqué lundi soir la gendarmerie de Hombori, aucune victime enregistrée.", "fr", "2018-01-10", event.Incident},
		{"blockade", "Since September, JNIM has imposed a blockade on fuel imports to Bamako.", "en", "2025-10-20", event.Situation},
		{"forecast", "Analysts warn that JNIM could attack Bamako itself if the convoys stop.", "en", "2025-10-20", event.Background},
		{"history", "In 2012, Tuareg rebels and jihadists attacked Timbuktu and Gao and took control of the north.", "en", "2025-10-20", event.Background},
		{"French forecast", "Selon des analystes, les jihadistes pourraient attaquer Kayes dans les prochains mois.", "fr", "2025-10-20", event.Background},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := run(t, tc.text, tc.lang, tc.pub)
			if tc.want != event.Incident && len(incidents(evs)) != 0 {
				t.Fatalf("got incidents, want none: %+v", incidents(evs))
			}
			found := false
			for _, e := range evs {
				found = found || e.Kind == tc.want
			}
			if !found {
				t.Errorf("no %s event among %+v", tc.want, evs)
			}
		})
	}
}

// An analysis piece with no dated, placed incident yields no incident.
func TestAnalysisHasNoIncidents(t *testing.T) {
	text := `Why the Sahel's juntas are losing ground

The military governments of Mali, Burkina Faso and Niger promised security when they seized power. Instead, armed groups have extended their reach. JNIM now operates in most regions of Mali and regularly attacks convoys on the main roads.

Experts say the withdrawal of foreign forces left a vacuum that Russian mercenaries have not filled. Attacks against civilians by all sides have increased, and the jihadists could soon threaten the capital.`
	if evs := incidents(run(t, text, "en", "")); len(evs) != 0 {
		t.Fatalf("got %d incidents from an analysis piece: %+v", len(evs), evs)
	}
}

// Bad input gives a result, never a crash or a runaway.
func TestHostileText(t *testing.T) {
	long := strings.Repeat("attacked soldiers near Gao and killed 1,000,000,000,000 people, ", 20000)
	for name, text := range map[string]string{
		"empty":         "",
		"no events":     "The weather in Bamako was pleasant and the market was busy.",
		"endless":       long,
		"other lang":    "Die Soldaten wurden gestern angegriffen.",
		"invalid utf-8": "attaque \xff\xfe à Gao",
	} {
		t.Run(name, func(t *testing.T) {
			evs := run(t, text, "", "2025-01-01")
			for _, e := range evs {
				if e.Fatalities < 0 || e.Fatalities > 1_000_000 {
					t.Errorf("fatalities %d", e.Fatalities)
				}
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	x := extractor(b)
	text := strings.Repeat("On Sunday, JNIM fighters attacked the army post in Boni, killing 12 soldiers. Les jihadistes ont incendié des camions près de Kati mardi. ", 10)
	r := &event.Report{Doc: "b", Text: text, Lang: "en", Published: time.Date(2024, 6, 11, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := x.Extract(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCountsData: an analyst's counts.tsv beside the embedded one adds
// words (here a unit that counts animals, not people); a bad role is an
// error naming the file and line.
func TestCountsData(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "counts.tsv"), []byte("# goats are not people\ngoats\tnot-people\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lx, err := extract.LoadLexicon(dir)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := actors.Load()
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(lx, reg, geocode.New(gz, geocode.Options{}))
	text := "On Monday, gunmen attacked a herders' camp near Menaka, killing 40 goats."
	for _, tc := range []struct {
		x     *extract.Extractor
		goats bool // whether the 40 goats are counted as dead people
	}{{extractor(t), true}, {x, false}} {
		r := &event.Report{Doc: "t", Text: text, Lang: "en", Published: time.Date(2018, 3, 7, 0, 0, 0, 0, time.UTC)}
		evs, err := tc.x.Extract(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 || (evs[0].Fatalities == 40) != tc.goats {
			t.Errorf("fatalities %v: goats counted should be %v", evs, tc.goats)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "counts.tsv"), []byte("goats\tanimals\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := extract.LoadLexicon(dir); err == nil || !strings.Contains(err.Error(), "counts.tsv:1") {
		t.Errorf("bad role: error %v, want one naming counts.tsv:1", err)
	}
}
