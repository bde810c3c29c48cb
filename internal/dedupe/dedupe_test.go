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
)

func ev(doc, date string, prec int, p event.Place, a event.Actor, typ string, dead int) event.Event {
	return event.Event{Doc: doc, Date: day(date), TimePrecision: prec, Place: p, Actor1: a,
		EventType: typ, SubEventType: "Armed clash", Kind: event.Incident, Fatalities: dead,
		Sources: []event.Source{{Doc: doc, Fatalities: dead}}}
}

func TestScore(t *testing.T) {
	m := New(Options{})
	base := ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5)
	tests := []struct {
		name  string
		other event.Event
		same  bool
	}{
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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := m.Score(base, tc.other)
			if got := s >= 0; got != tc.same {
				t.Errorf("score %.2f: same = %v, want %v", s, got, tc.same)
			}
		})
	}
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
	m := New(Options{})
	with := func(e event.Event, a2 event.Actor) event.Event { e.Actor2 = a2; return e }
	base := with(ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5), fama)
	tests := []struct {
		name  string
		other event.Event
		same  bool
	}{
		{"the army named as attacker", with(ev("b", "2025-03-25", 1, tamani, fama, "Battles", 3), jnim), true},
		{"the army as attacker, no opponent named", ev("b", "2025-03-25", 1, tamani, fama, "Battles", 3), true},
		{"other group against no one", ev("b", "2025-03-25", 1, tamani, isSah, "Battles", 3), false},
		{"other group against the same army the same day", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), fama), true},
		{"other group against the same army two days later", with(ev("b", "2025-03-27", 1, tamani, csp, "Battles", 3), fama), false},
		{"other group's claim, dated days later to the week, same place", with(ev("b", "2025-03-30", 2, tamani, csp, "Battles", 3), fama), true},
		{"other group's claim, dated to the week, only the same region", with(ev("b", "2025-03-30", 2, segou, csp, "Battles", 3), fama), false},
		{"other group against someone else", with(ev("b", "2025-03-25", 1, tamani, csp, "Battles", 3), wagner), false},
		{"unknown gunmen", with(ev("b", "2025-03-25", 1, tamani, gunmen, "Battles", 3), fama), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := m.Score(base, tc.other)
			if got := s >= 0; got != tc.same {
				t.Errorf("score %.2f: same = %v, want %v", s, got, tc.same)
			}
		})
	}
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

// The store narrows candidates by RadiusKm: it must cover every distance at
// which Score can still accept a pair.
func TestRadiusCoversScore(t *testing.T) {
	m := New(Options{})
	far := event.Place{Name: "Far", Lat: tamani.Lat + 1.9, Lon: tamani.Lon, Precision: 3, Admin1: "Segou", Country: "Mali"}
	a := ev("a", "2025-03-25", 1, tamani, jnim, "Battles", 5)
	b := ev("b", "2025-03-25", 1, far, jnim, "Battles", 5)
	if s := m.Score(a, b); s >= 0 && event.Km(a.Place, b.Place) > m.RadiusKm(a) {
		t.Fatalf("score %.2f at %.0f km, beyond the radius %.0f km the store searches", s, event.Km(a.Place, b.Place), m.RadiusKm(a))
	}
	var _ store.AreaMerger = m
}

// TestWindowCoversScore: the store loads candidates within Window days of
// the incoming event; every pair Score accepts must lie within it, from
// either side, or the pair's merge would depend on ingest order.
func TestWindowCoversScore(t *testing.T) {
	m := New(Options{})
	for _, pa := range []int{1, 2, 3} {
		for _, pb := range []int{1, 2, 3} {
			a := ev("a", "2025-03-01", pa, tamani, jnim, "Battles", 0)
			for d := 0; d <= 40; d++ {
				b := ev("b", day("2025-03-01").AddDate(0, 0, d).Format("2006-01-02"), pb, tamani, jnim, "Battles", 0)
				if m.Score(a, b) >= 0 && (d > m.Window(a) || d > m.Window(b)) {
					t.Errorf("precisions %d/%d, %d days apart: Score merges, Window %d/%d misses it", pa, pb, d, m.Window(a), m.Window(b))
				}
			}
		}
	}
}
