package dedupe

import (
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	tamani = event.Place{Name: "Tamani", Lat: 13.3363, Lon: -6.8347, Precision: 1, Admin1: "Segou", Country: "Mali"}
	nearby = event.Place{Name: "Baroueli", Lat: 13.077, Lon: -6.8312, Precision: 1, Admin1: "Segou", Country: "Mali"}
	segou  = event.Place{Name: "Segou", Lat: 13.4317, Lon: -6.2157, Precision: 3, Admin1: "Segou", Country: "Mali"}
	jnim   = event.Actor{Name: "JNIM: Group for Support of Islam and Muslims", Inter: 2}
	isSah  = event.Actor{Name: "Islamic State (Sahel)", Inter: 2}
	gunmen = event.Actor{Name: "Unidentified Armed Group (Mali)", Inter: 3}
	fama   = event.Actor{Name: "Military Forces of Mali (2021-)", Inter: 1}
	csp    = event.Actor{Name: "CSP-DPA: Permanent Strategic Framework for Peace, Security and Development", Inter: 2}
	wagner = event.Actor{Name: "Wagner Group", Inter: 8}
	france = event.Actor{Name: "Military Forces of France", Inter: 8}
)

var (
	// region-level Ségou 400 km east of Tamani, and a town there
	farSegou     = event.Place{Name: "Segou", Lat: 13.4, Lon: -3.2, Precision: 3, Admin1: "Segou", Country: "Mali"}
	farSegouTown = event.Place{Name: "Far", Lat: 13.4, Lon: -3.2, Precision: 1, Admin1: "Segou", Country: "Mali"}
	mopti        = event.Place{Name: "Mopti", Lat: 14.49, Lon: -4.19, Precision: 3, Admin1: "Mopti", Country: "Mali"}
)

func kind(e event.Event, k event.Kind) event.Event { e.Kind = k; return e }

func ev(doc, date string, prec int, p event.Place, a event.Actor, typ string, dead int) event.Event {
	return event.Event{Doc: doc, Date: day(date), TimePrecision: prec, Place: p, Actor1: a,
		EventType: typ, SubEventType: "Armed clash", Kind: event.Incident, Fatalities: dead,
		Sources: []event.Source{{Doc: doc, Fatalities: dead}}}
}

func TestScore(t *testing.T) {
	base := ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5)
	checkPairs(t, base, []pairCase{
		{"same place and day", ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 7), true},
		{"a day later (night attack reported next day)", ev("b", "2025-03-26", 1, tamani, gunmen, "Battles", 0), true},
		{"nearby village the same day is another incident", ev("b", "2025-03-25", 1, nearby, jnim, "Battles", 5), false},
		{"region-level report of the same day", ev("b", "2025-03-25", 1, segou, jnim, "Battles", 5), true},
		{"a battle and a massacre at one place the same day", ev("b", "2025-03-25", 1, tamani, jnim, "Violence against civilians", 5), true},
		{"a battle and a massacre two days apart", ev("b", "2025-03-27", 1, tamani, jnim, "Violence against civilians", 5), false},
		{"a battle and a protest", ev("b", "2025-03-25", 1, tamani, jnim, "Protests", 0), false},
		{"other named group", ev("b", "2025-03-25", 1, tamani, isSah, "Battles", 5), false},
		{"a week later", ev("b", "2025-04-01", 1, tamani, jnim, "Battles", 5), false},
		{"same report", ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5), false},
		{"vague date within a week", ev("b", "2025-03-29", 2, tamani, jnim, "Battles", 5), true},
		{"a mention of the same month", ev("b", "2025-03-15", 3, tamani, jnim, "Battles", 0), true},
		{"a mention of the month before", ev("b", "2025-02-15", 3, tamani, jnim, "Battles", 0), false},
		{"region-level report far across the region", ev("b", "2025-03-25", 1, farSegou, jnim, "Battles", 0), true},
		{"region-level report of another region", ev("b", "2025-03-25", 1, mopti, jnim, "Battles", 0), false},
		{"a precise place far away in the same region", ev("b", "2025-03-25", 1, farSegouTown, jnim, "Battles", 0), false},
		{"a background mention of it", kind(ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 5), event.Background), true},
		{"an aggregate", kind(ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 5), event.Aggregate), false},
	})
}

func TestMergeRules(t *testing.T) {
	m := New(Options{})
	stored := ev("a", "2025-03-25", 2, segou, gunmen, "Battles", 0)
	stored.Sources = []event.Source{{Doc: "a", Fatalities: 30}}
	stored.Fatalities = 30
	in := ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 21)
	idx, merged, rules := m.Merge(in, []event.Event{ev("c", "2025-01-01", 1, nearby, jnim, "Battles", 1), stored})
	if idx != 1 {
		t.Fatalf("merged into %d, want 1", idx)
	}
	if merged.Place.Name != "Tamani" || merged.TimePrecision != 1 {
		t.Errorf("place %s precision %d: want the more precise Tamani, day precision", merged.Place.Name, merged.TimePrecision)
	}
	if merged.Actor1.Name != jnim.Name {
		t.Errorf("actor1 %q: want the named group", merged.Actor1.Name)
	}
	if merged.Fatalities != 21 || merged.FatalitiesLow != 21 || merged.FatalitiesHigh != 30 {
		t.Errorf("fatalities %d (%d-%d), want 21 (21-30)", merged.Fatalities, merged.FatalitiesLow, merged.FatalitiesHigh)
	}
	for _, f := range []string{"place", "date", "actor1", "fatalities"} {
		if rules[f] == "" {
			t.Errorf("no rule recorded for %s", f)
		}
	}
	if idx, _, _ := m.Merge(ev("d", "2024-01-01", 1, tamani, jnim, "Battles", 1), []event.Event{stored}); idx != -1 {
		t.Errorf("an event a year away merged")
	}
}

func TestActors(t *testing.T) {
	with := func(e event.Event, a2 event.Actor) event.Event { e.Actor2 = a2; return e }
	base := with(ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5), fama)
	checkPairs(t, base, []pairCase{
		{"the army named as attacker", with(ev("b", "2025-03-25", 1, tamani, fama, "Battles", 3), jnim), true},
		{"the army as attacker, no opponent named", ev("b", "2025-03-25", 1, tamani, fama, "Battles", 3), true},
		{"other group against no one", ev("b", "2025-03-25", 1, tamani, isSah, "Battles", 3), false},
		{"other group against the same army the same day", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), fama), true},
		{"other group against the same army two days later", with(ev("b", "2025-03-27", 1, tamani, csp, "Battles", 3), fama), false},
		{"other group's claim, dated days later to the week, same place", with(ev("b", "2025-03-30", 2, tamani, csp, "Battles", 3), fama), true},
		{"other group's claim, dated to the week, only the same region", with(ev("b", "2025-03-30", 2, segou, csp, "Battles", 3), fama), false},
		{"other group against someone else", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), isSah), false},
		{"other group against the army's ally the same day", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), wagner), true},
		{"other group against the army's former ally", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), france), false},
		{"unknown gunmen", with(ev("b", "2025-03-25", 1, tamani, gunmen, "Battles", 3), fama), true},
	})
}

// TestPreferSameType: a report coding an incident as both a battle and a
// massacre keeps two events; a later report's battle joins the battle.
func TestPreferSameType(t *testing.T) {
	m := New(Options{})
	battle := ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5)
	battle.ID = "A1"
	massacre := ev("a", "2025-03-25", 1, tamani, jnim, "Violence against civilians", 5)
	massacre.ID = "A2"
	in := ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 7)
	for _, order := range [][]event.Event{{battle, massacre}, {massacre, battle}} {
		idx, merged, _ := m.Merge(in, order)
		if idx < 0 || order[idx].ID != "A1" || merged.EventType != "Battles" {
			t.Errorf("merged into %d (%s), want the battle", idx, merged.EventType)
		}
	}
}

func TestSameReportNeverMerges(t *testing.T) {
	m := New(Options{})
	stored := ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5)
	stored.Sources = append(stored.Sources, event.Source{Doc: "b"})
	if s := m.Score(ev("b", "2025-03-25", 1, tamani, jnim, "Battles", 5), stored); s >= 0 {
		t.Errorf("an event merged into one already sourced from its report (score %.2f)", s)
	}
}

func TestSidesData(t *testing.T) {
	sides, err := parseSides("# c\n\nmali\tWagner Group\t2021-\nmali\tMilitary Forces of France\t2013-2022\nmali\tMilitary Forces of Mali (2021-)\n")
	if err != nil {
		t.Fatal(err)
	}
	at := func(year int) event.Event { return event.Event{Date: time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC)} }
	if !sides.allied(wagner, fama, at(2024)) || sides.allied(wagner, fama, at(2019)) || !sides.allied(france, fama, at(2019)) ||
		sides.allied(france, wagner, at(2024)) || !sides.allied(csp, csp, at(2024)) {
		t.Error("sides by year are wrong")
	}
	for _, bad := range []string{"mali\n", "mali\tWagner\t2021\n", "mali\tWagner\t2022-2021\n", "\tWagner\n", "a\tb\tc\td\n"} {
		if _, err := parseSides(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if len(defaultSides) == 0 {
		t.Error("embedded sides table is empty")
	}
}

func TestTypesData(t *testing.T) {
	if _, err := parseTypes("Battles\tProtests\n# c\n\n"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Battles\n", "Battles\t\n", "a\tb\tc\n"} {
		if _, err := parseTypes(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if len(defaultTypes) == 0 {
		t.Error("embedded types table is empty")
	}
}

// The store narrows candidates by RadiusKm and Scope's Admin1: together
// they must cover every pair Score can still accept, from either side.
func TestRadiusCoversScore(t *testing.T) {
	m := New(Options{})
	places := []event.Place{tamani, nearby, segou, farSegou, farSegouTown, mopti,
		{Name: "Far", Lat: tamani.Lat + 1.9, Lon: tamani.Lon, Precision: 3, Admin1: "Segou", Country: "Mali"}}
	found := func(in, stored event.Event) bool {
		if event.Km(in.Place, stored.Place) <= m.RadiusKm(in) {
			return true
		}
		a1 := m.Scope(in).Admin1
		return a1 != "" && a1 == stored.Place.Admin1 &&
			(in.Place.Precision >= event.RegionPrecision || stored.Place.Precision >= event.RegionPrecision)
	}
	for _, pa := range places {
		for _, pb := range places {
			a := ev("a", "2025-03-25", 1, pa, jnim, "Battles", 5)
			b := ev("b", "2025-03-25", 1, pb, jnim, "Battles", 5)
			if s := m.Score(a, b); s >= 0 && (!found(a, b) || !found(b, a)) {
				t.Errorf("%s/%s: score %.2f at %.0f km, but the store would not hand one to the other",
					pa.Name, pb.Name, s, event.Km(a.Place, b.Place))
			}
		}
	}
	var _ store.ScopedMerger = m
	var _ store.AreaMerger = m
}

// TestRecalled: a massacre recalled weeks later, dated only by the
// recollection's report, is the same massacre when the tolls agree.
func TestRecalled(t *testing.T) {
	massacre := ev("a", "2024-08-24", 1, tamani, jnim, "Violence against civilians", 200)
	checkPairs(t, massacre, []pairCase{
		{"over 500 shot dead, recalled six weeks on", ev("b", "2024-10-07", 1, tamani, gunmen, "Violence against civilians", 500), true},
		{"a dozen killed there six weeks on", ev("b", "2024-10-07", 1, tamani, gunmen, "Violence against civilians", 12), false},
		{"a toll ten times larger", ev("b", "2024-10-07", 1, tamani, gunmen, "Violence against civilians", 2000), false},
		{"an early count of a hundred", ev("b", "2024-10-07", 1, tamani, gunmen, "Violence against civilians", 100), true},
		{"the same toll in the next village", ev("b", "2024-10-07", 1, nearby, gunmen, "Violence against civilians", 500), false},
		{"the same toll three months on", ev("b", "2024-11-30", 1, tamani, gunmen, "Violence against civilians", 500), false},
		{"a battle with a like toll", ev("b", "2024-10-07", 1, tamani, gunmen, "Battles", 500), false},
	})
	// Either way round, the merged event keeps the massacre's own date.
	later := ev("b", "2024-10-07", 1, tamani, gunmen, "Violence against civilians", 500)
	for _, pair := range [][2]event.Event{{massacre, later}, {later, massacre}} {
		merged, rules := Combine(pair[0], pair[1])
		if !merged.Date.Equal(day("2024-08-24")) {
			t.Errorf("merged date %s (%s), want 2024-08-24", merged.Date.Format("2006-01-02"), rules["date"])
		}
	}
}

// TestBackgroundThenIncident: a recollection stored first becomes the
// incident once the incident's own report arrives, with its actors.
func TestBackgroundThenIncident(t *testing.T) {
	m := New(Options{})
	recalled := kind(ev("a", "2025-03-15", 3, segou, gunmen, "Battles", 40), event.Background)
	recalled.Actor2 = wagner
	in := ev("b", "2025-03-25", 1, tamani, csp, "Battles", 47)
	in.Actor2 = fama
	incident := ev("c", "2025-03-25", 1, tamani, jnim, "Battles", 47)
	incident.Actor2 = fama
	idx, merged, _ := m.Merge(in, []event.Event{recalled, incident})
	if idx != 1 {
		t.Fatalf("merged into %d, want the incident (1) before the recollection", idx)
	}
	idx, merged, rules := m.Merge(in, []event.Event{recalled})
	if idx != 0 {
		t.Fatalf("not merged into the recollection")
	}
	if merged.Kind != event.Incident || merged.Actor1.Name != csp.Name || merged.Actor2.Name != fama.Name {
		t.Errorf("kind %s, actors %q / %q (%v): want the incident's", merged.Kind, merged.Actor1.Name, merged.Actor2.Name, rules)
	}
}

// TestWindowCoversScore: the store loads candidates within Window days of
// the incoming event; every pair Score accepts must lie within it, from
// either side, or the pair's merge would depend on ingest order.
func TestWindowCoversScore(t *testing.T) {
	m := New(Options{})
	// found tells whether the store hands stored to in: within Window, and
	// when stored is dated to the day or week, within Scope's DatedDays.
	found := func(in, stored event.Event, d int) bool {
		dd := m.Scope(in).DatedDays
		return d <= m.Window(in) && (dd == 0 || stored.TimePrecision >= event.MonthPrecision || d <= dd)
	}
	for _, dead := range []int{0, 60, 150} {
		for _, pa := range []int{1, 2, 3} {
			for _, pb := range []int{1, 2, 3} {
				a := ev("a", "2025-03-01", pa, tamani, jnim, "Battles", dead)
				for d := 0; d <= 70; d++ {
					b := ev("b", day("2025-03-01").AddDate(0, 0, d).Format("2006-01-02"), pb, tamani, jnim, "Battles", 100)
					if m.Score(a, b) >= 0 && (!found(a, b, d) || !found(b, a, d)) {
						t.Errorf("%d dead, precisions %d/%d, %d days apart: Score merges, the store misses it", dead, pa, pb, d)
					}
				}
			}
		}
	}
}

// pairCase is an event compared with a test's base event.
type pairCase struct {
	name  string
	other event.Event
	same  bool
}

// checkPairs scores each case against base both ways round: whether two
// reports merge must not depend on which came first.
func checkPairs(t *testing.T, base event.Event, cases []pairCase) {
	t.Helper()
	m := New(Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range []float64{m.Score(base, tc.other), m.Score(tc.other, base)} {
				if got := s >= 0; got != tc.same {
					t.Errorf("score %.2f: same = %v, want %v", s, got, tc.same)
				}
			}
		})
	}
}
