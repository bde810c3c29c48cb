package sqlstore

import (
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func TestParams(t *testing.T) {
	for _, tc := range []struct {
		dollar bool
		want   string
	}{{false, "? ?"}, {true, "$1 $2"}} {
		p := Params{Dollar: tc.dollar}
		if got := p.Add(1) + " " + p.Add("x"); got != tc.want || len(p.Args) != 2 {
			t.Errorf("Dollar=%v: %q with %d args, want %q with 2", tc.dollar, got, len(p.Args), tc.want)
		}
	}
}

// areaMerger merges nothing but asks for candidates within 10 km.
type areaMerger struct{ window int }

func (a areaMerger) Window(event.Event) int { return a.window }
func (areaMerger) Merge(event.Event, []event.Event) (int, event.Event, map[string]string) {
	return -1, event.Event{}, nil
}
func (areaMerger) RadiusKm(event.Event) float64 { return 10 }

var _ store.AreaMerger = areaMerger{}

// scopedMerger is an areaMerger with a Scope.
type scopedMerger struct {
	areaMerger
	scope store.Scope
}

func (s scopedMerger) Scope(event.Event) store.Scope { return s.scope }

var _ store.ScopedMerger = scopedMerger{}

func TestCandidateQuery(t *testing.T) {
	located := event.Event{Place: event.Place{Lat: 12.6, Lon: -8, Precision: 1}}
	region := event.Event{Place: event.Place{Lat: 12.6, Lon: -8, Precision: 3}}
	scoped := store.Scope{DatedDays: 8, Kinds: []event.Kind{"incident", "background"}, Admin1: "Kidal"}
	for _, tc := range []struct {
		name     string
		e        event.Event
		m        store.Merger
		wantArgs int
		want     []string
	}{
		{"no point", event.Event{}, areaMerger{}, 3, []string{`kind = $1`}},
		{"point", located, areaMerger{}, 7, []string{`kind = $1`, `latitude BETWEEN $4 AND $5`}},
		{"scoped, no point", event.Event{}, scopedMerger{scope: scoped}, 7,
			[]string{`kind IN ($1, $2)`, `time_precision >= $5 OR event_date BETWEEN $6 AND $7`}},
		{"scoped point", located, scopedMerger{scope: scoped}, 13,
			[]string{`OR admin1 = $12 AND geo_precision >= $13)`}},
		{"scoped region", region, scopedMerger{scope: scoped}, 12, []string{`OR admin1 = $12)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Params{Dollar: true}
			q := CandidateQuery(tc.e, tc.m, &p, "violence", "a", "b", func(t time.Time) any { return t })
			if len(p.Args) != tc.wantArgs {
				t.Errorf("%d args, want %d: %s", len(p.Args), tc.wantArgs, q)
			}
			if !strings.HasSuffix(q, ` ORDER BY event_date, id`) {
				t.Errorf("query %q", q)
			}
			for _, w := range tc.want {
				if !strings.Contains(q, w) {
					t.Errorf("query lacks %q: %s", w, q)
				}
			}
		})
	}
}

func TestWindow(t *testing.T) {
	for _, tc := range []struct {
		m    store.Merger
		want int
	}{{nil, 0}, {areaMerger{-3}, 0}, {areaMerger{7}, 7}, {areaMerger{1 << 30}, MaxWindow}} {
		if got := Window(event.Event{}, tc.m); got != tc.want {
			t.Errorf("Window(%v) = %d, want %d", tc.m, got, tc.want)
		}
	}
}

func TestPage(t *testing.T) {
	day := func(e event.Event) string { return e.Date.Format("2006-01-02") }
	evs := []event.Event{
		{ID: "a", Date: time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
		{ID: "b", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), Fatalities: 4},
		{ID: "c"},
	}
	page, next := Page(evs, 2, "date", day)
	if len(page) != 2 || next == "" {
		t.Fatalf("page of %d, next %q", len(page), next)
	}
	c, err := DecodeCursor(next, "date", errBad)
	if err != nil || c.ID != "b" || c.Date != "2024-01-02" || c.Fatal != 4 {
		t.Errorf("next cursor %+v, %v", c, err)
	}
	if page, next := Page(nil, 2, "date", day); page == nil || next != "" {
		t.Errorf("empty page %v, next %q", page, next)
	}
}

func TestReportHash(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    event.Report
		want string
	}{
		{"given", event.Report{Hash: "h", Text: "x"}, "h"},
		{"raw", event.Report{Raw: []byte("abc"), Text: "x"}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"text", event.Report{Text: "abc"}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	} {
		if got := ReportHash(&tc.r); got != tc.want {
			t.Errorf("%s: ReportHash = %q, want %q", tc.name, got, tc.want)
		}
	}
	if CheckReport(nil) == nil || CheckReport(&event.Report{}) == nil || CheckReport(&event.Report{Doc: "d"}) != nil {
		t.Error("CheckReport accepts a report without a doc or refuses one with")
	}
}

func TestDerivedID(t *testing.T) {
	a, b, c := DerivedID("h", 0, 0), DerivedID("h", 0, 1), DerivedID("h", 0, 2)
	if a != b || a == c || !strings.HasPrefix(a, "SW") || len(a) != 14 {
		t.Errorf("DerivedID: %q %q %q", a, b, c)
	}
	if DerivedID("h", 1, 0) == a {
		t.Error("events of one report share an ID")
	}
}

func TestFreeID(t *testing.T) {
	first := DerivedID("h", 3, 0)
	for _, tc := range []struct {
		name, want string
		stored     map[string]bool
		wantID     string
	}{
		{"kept", "SWmine", nil, "SWmine"},
		{"empty", "", nil, first},
		{"taken", "SWmine", map[string]bool{"SWmine": true}, first},
		{"both taken", "SWmine", map[string]bool{"SWmine": true, first: true}, DerivedID("h", 3, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FreeID(tc.want, "h", 3, func(id string) (bool, error) { return tc.stored[id], nil })
			if err != nil || got != tc.wantID {
				t.Errorf("FreeID = %q, %v; want %q", got, err, tc.wantID)
			}
		})
	}
	if _, err := FreeID("x", "h", 0, func(string) (bool, error) { return true, nil }); err == nil {
		t.Error("FreeID found an ID when every one is taken")
	}
}
