package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// Run runs the conformance suite. open must return a fresh, empty store
// for each call; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"SaveAndGet", testSaveAndGet},
		{"DuplicateHashIsNoop", testDuplicateHashIsNoop},
		{"NewVersionReplacesEvents", testNewVersionReplacesEvents},
		{"NewVersionSameURL", testNewVersionSameURL},
		{"NewVersionKeepsMergedEvent", testNewVersionKeepsMergedEvent},
		{"MergeAddsSource", testMergeAddsSource},
		{"MergeOutsideWindowAddsEvent", testMergeOutsideWindowAddsEvent},
		{"MergeSameKindOnly", testMergeSameKindOnly},
		{"ScopedCandidates", testScopedCandidates},
		{"BadMergeRollsBack", testBadMergeRollsBack},
		{"FilterByType", testFilterByType},
		{"FilterByDate", testFilterByDate},
		{"FilterByActor", testFilterByActor},
		{"FilterByPlace", testFilterByPlace},
		{"FilterByKind", testFilterByKind},
		{"FilterByFatalities", testFilterByFatalities},
		{"FilterByBBox", testFilterByBBox},
		{"FilterCombined", testFilterCombined},
		{"FullTextAccentFolded", testFullTextAccentFolded},
		{"FullTextHostileQueries", testFullTextHostileQueries},
		{"Sorting", testSorting},
		{"Pagination", testPagination},
		{"DefaultLimit", testDefaultLimit},
		{"BadCursorAndSort", testBadCursorAndSort},
		{"NotFound", testNotFound},
		{"FailureKeepsData", testFailureKeepsData},
		{"ReportsNewestFirst", testReportsNewestFirst},
		{"ConcurrentSaves", testConcurrentSaves},
		{"CanceledContext", testCanceledContext},
		{"Unmerge", testUnmerge},
		{"UnmergeErrors", testUnmergeErrors},
		{"SyndicatedCopy", testSyndicatedCopy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// save stores r with events and fails the test on error.
func save(t *testing.T, s store.Store, r *event.Report, evs []event.Event, m store.Merger) store.IngestResult {
	t.Helper()
	res, err := s.SaveReport(context.Background(), r, evs, m)
	if err != nil {
		t.Fatalf("SaveReport(%s): %v", r.Doc, err)
	}
	return res
}

// seed stores the filter fixtures without merging.
func seed(t *testing.T, s store.Store) {
	t.Helper()
	for _, f := range filterFixtures() {
		var evs []event.Event
		for _, sp := range f.es {
			evs = append(evs, newEvent(f.r, sp))
		}
		save(t, s, f.r, evs, nil)
	}
}

func list(t *testing.T, s store.Store, f store.Filter) []event.Event {
	t.Helper()
	evs, _, err := s.Events(context.Background(), f)
	if err != nil {
		t.Fatalf("Events(%+v): %v", f, err)
	}
	return evs
}

func ids(evs []event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func sorted(ss []string) []string {
	ss = slices.Clone(ss)
	sort.Strings(ss)
	return ss
}

// wantIDs checks that f selects exactly want (in any order) and that
// CountEvents agrees.
func wantIDs(t *testing.T, s store.Store, f store.Filter, want ...string) {
	t.Helper()
	got := sorted(ids(list(t, s, f)))
	if !slices.Equal(got, sorted(want)) {
		t.Errorf("Events(%+v) = %v, want %v", f, got, sorted(want))
	}
	n, err := s.CountEvents(context.Background(), f)
	if err != nil {
		t.Fatalf("CountEvents(%+v): %v", f, err)
	}
	if n != len(want) {
		t.Errorf("CountEvents(%+v) = %d, want %d", f, n, len(want))
	}
}

func detail(t *testing.T, s store.Store, id string) store.EventDetail {
	t.Helper()
	d, err := s.Event(context.Background(), id)
	if err != nil {
		t.Fatalf("Event(%q): %v", id, err)
	}
	return d
}

func actions(revs []store.Revision) []string {
	var out []string
	for _, r := range revs {
		out = append(out, r.Action)
	}
	return out
}

func sourceDocs(e event.Event) []string {
	var out []string
	for _, s := range e.Sources {
		out = append(out, s.Doc)
	}
	return sorted(out)
}

// sameEvent compares the fields a store must keep as given.
func sameEvent(t *testing.T, got, want event.Event) {
	t.Helper()
	if got.Date.Format("2006-01-02") != want.Date.Format("2006-01-02") {
		t.Errorf("%s: date %v, want %v", want.ID, got.Date, want.Date)
	}
	type flat struct {
		TP          int
		Type, Sub   string
		A1, A2      event.Actor
		Place       event.Place
		Fat, Lo, Hi int
		Kind        event.Kind
		Conf        float64
		Notes       string
		Evidence    []event.Evidence
	}
	f := func(e event.Event) flat {
		return flat{e.TimePrecision, e.EventType, e.SubEventType, e.Actor1, e.Actor2, e.Place,
			e.Fatalities, e.FatalitiesLow, e.FatalitiesHigh, e.Kind, e.Confidence, e.Notes, e.Evidence}
	}
	if g, w := f(got), f(want); fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
		t.Errorf("%s:\n got %+v\nwant %+v", want.ID, g, w)
	}
}

func testSaveAndGet(t *testing.T, s store.Store) {
	ctx := context.Background()
	r := newReport("mali-1", textMali)
	fx := filterFixtures()[0]
	e1 := newEvent(r, fx.es[0])
	e2 := newEvent(r, fx.es[1])
	e2.ID = "" // the store names it
	res := save(t, s, r, []event.Event{e1, e2}, testMerger{window: 3})
	if res.Duplicate || res.Updated || res.Added != 2 || res.Merged != 0 || res.ReportID == 0 {
		t.Errorf("SaveReport = %+v, want 2 added with a report ID", res)
	}
	if ok, err := s.HasReport(ctx, r.Hash); err != nil || !ok {
		t.Errorf("HasReport(stored) = %v, %v", ok, err)
	}
	if ok, err := s.HasReport(ctx, "nope"); err != nil || ok {
		t.Errorf("HasReport(other) = %v, %v", ok, err)
	}

	d := detail(t, s, "EV-BANDIAGARA")
	sameEvent(t, d.Event, e1)
	if d.Event.Doc != "mali-1" {
		t.Errorf("Doc = %q", d.Event.Doc)
	}
	wantSrc := event.Source{Doc: "mali-1", URL: r.URL, Outlet: r.Outlet, Published: "2024-03-12",
		Excerpt: fx.es[0].sentence, Fatalities: 12}
	if len(d.Event.Sources) != 1 || d.Event.Sources[0] != wantSrc {
		t.Errorf("Sources = %+v, want [%+v]", d.Event.Sources, wantSrc)
	}
	if got := actions(d.Revisions); !slices.Equal(got, []string{"created"}) || d.Revisions[0].Doc != "mali-1" || d.Revisions[0].At.IsZero() {
		t.Errorf("Revisions = %+v, want one 'created' by mali-1", d.Revisions)
	}

	all := list(t, s, store.Filter{})
	if len(all) != 2 {
		t.Fatalf("Events = %v, want 2", ids(all))
	}
	var genID string
	for _, e := range all {
		if len(e.Sources) != 1 || len(e.Evidence) != 1 {
			t.Errorf("%s listed with %d sources, %d evidence; want 1, 1", e.ID, len(e.Sources), len(e.Evidence))
		}
		if e.ID != "EV-BANDIAGARA" {
			genID = e.ID
			e2.ID = e.ID
			sameEvent(t, e, e2)
		}
	}
	if genID == "" {
		t.Errorf("the event without an ID was given none")
	}

	got, err := s.Report(ctx, "mali-1")
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	if got.Text != r.Text || got.Hash != r.Hash || got.URL != r.URL || got.Title != r.Title ||
		got.Lang != r.Lang || !got.Published.Equal(r.Published) || got.Outlet != r.Outlet {
		t.Errorf("Report = %+v, want %+v", got, r)
	}
	reps, err := s.Reports(ctx, 10)
	if err != nil {
		t.Fatalf("Reports: %v", err)
	}
	if len(reps) != 1 || reps[0].Doc != "mali-1" || reps[0].Status != "ok" || reps[0].ID != res.ReportID ||
		reps[0].Published != "2024-03-12" || reps[0].Ingested.IsZero() ||
		!slices.Equal(sorted(reps[0].EventIDs), sorted([]string{"EV-BANDIAGARA", genID})) {
		t.Errorf("Reports = %+v", reps)
	}
}

func testDuplicateHashIsNoop(t *testing.T, s store.Store) {
	r := newReport("burkina-1", textBurkina)
	sp := filterFixtures()[1].es[0]
	first := save(t, s, r, []event.Event{newEvent(r, sp)}, testMerger{window: 3})
	again := newReport("burkina-1-copy", textBurkina) // same content, other name
	e := newEvent(again, sp)
	e.ID = "EV-OTHER"
	res := save(t, s, again, []event.Event{e}, testMerger{window: 3})
	if !res.Duplicate || res.Added != 0 || res.Merged != 0 || res.Updated || res.ReportID != first.ReportID {
		t.Errorf("second save = %+v, want Duplicate of report %d", res, first.ReportID)
	}
	wantIDs(t, s, store.Filter{}, "EV-DJIBO")
	if d := detail(t, s, "EV-DJIBO"); len(d.Revisions) != 1 || len(d.Event.Sources) != 1 {
		t.Errorf("duplicate changed the event: %+v", d)
	}
	if _, err := s.Report(context.Background(), "burkina-1-copy"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Report(copy) error = %v, want ErrNotFound", err)
	}
}

func testNewVersionReplacesEvents(t *testing.T, s store.Store) {
	r := newReport("mali-1", textMali)
	fx := filterFixtures()[0]
	save(t, s, r, []event.Event{newEvent(r, fx.es[0]), newEvent(r, fx.es[1])}, nil)

	// The corrected version reports one event only, with a new toll.
	v2 := newReport("mali-1", "Correction: soldiers clashed with JNIM fighters near Bandiagara on Saturday; fifteen people died.")
	sp := fx.es[0]
	sp.id, sp.fatalities = "", 15
	sp.sentence = "soldiers clashed with JNIM fighters near Bandiagara on Saturday; fifteen people died."
	res := save(t, s, v2, []event.Event{newEvent(v2, sp)}, nil)
	if !res.Updated || res.Duplicate || res.Added != 1 {
		t.Errorf("SaveReport(v2) = %+v, want Updated with 1 added", res)
	}
	all := list(t, s, store.Filter{})
	if len(all) != 1 || all[0].Fatalities != 15 || len(all[0].Sources) != 1 || all[0].Sources[0].Fatalities != 15 {
		t.Fatalf("after new version: %+v", all)
	}
	got, err := s.Report(context.Background(), "mali-1")
	if err != nil || got.Text != v2.Text || got.Hash != v2.Hash {
		t.Errorf("Report = %q, %v; want the new text", got.Text, err)
	}
	ctx := context.Background()
	if ok, _ := s.HasReport(ctx, r.Hash); ok {
		t.Errorf("the old version's hash is still stored")
	}
	if reps, err := s.Reports(ctx, 10); err != nil || len(reps) != 1 || len(reps[0].EventIDs) != 1 {
		t.Errorf("Reports = %+v, %v; want one report with one event", reps, err)
	}
	for _, id := range []string{"EV-BANDIAGARA", "EV-SEGOU"} {
		if _, err := s.Event(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Event(%s) after new version: err = %v, want ErrNotFound", id, err)
		}
	}
	// Full text follows: the removed Ségou event is no longer found.
	wantIDs(t, s, store.Filter{Query: "Segou"})
	wantIDs(t, s, store.Filter{Query: "fifteen"}, all[0].ID)
}

func testNewVersionSameURL(t *testing.T, s store.Store) {
	r := newReport("gao-1", textGao)
	save(t, s, r, []event.Event{newEvent(r, filterFixtures()[4].es[0])}, nil)
	v2 := newReport("gao-1-renamed", textGao+" The curfew was lifted two days later.")
	v2.URL = r.URL
	res := save(t, s, v2, nil, nil)
	if !res.Updated || res.Added != 0 {
		t.Errorf("SaveReport(same URL) = %+v, want Updated", res)
	}
	wantIDs(t, s, store.Filter{})
	if _, err := s.Report(context.Background(), "gao-1-renamed"); err != nil {
		t.Errorf("Report(new name): %v", err)
	}
}

func testNewVersionKeepsMergedEvent(t *testing.T, s store.Store) {
	m := testMerger{window: 3}
	a := newReport("djibo-a", "Gunmen killed four villagers outside Djibo on Tuesday.")
	b := newReport("djibo-b", "Attackers killed six civilians near Djibo this week, a local official said.")
	sp := filterFixtures()[1].es[0]
	sp.sentence = "Gunmen killed four villagers outside Djibo on Tuesday."
	save(t, s, a, []event.Event{newEvent(a, sp)}, m)
	sp.id, sp.fatalities, sp.date = "", 6, "2024-03-06"
	sp.sentence = "Attackers killed six civilians near Djibo this week, a local official said."
	if res := save(t, s, b, []event.Event{newEvent(b, sp)}, m); res.Merged != 1 {
		t.Fatalf("b = %+v, want merged", res)
	}
	// A new version of a that no longer reports the attack.
	a2 := newReport("djibo-a", "An update on the situation around Djibo, with no new incident.")
	if res := save(t, s, a2, nil, m); !res.Updated {
		t.Errorf("a2 = %+v, want Updated", res)
	}
	d := detail(t, s, "EV-DJIBO")
	if got := sourceDocs(d.Event); !slices.Equal(got, []string{"djibo-b"}) {
		t.Errorf("sources after a's new version = %v, want [djibo-b]", got)
	}
	for _, ev := range d.Event.Evidence {
		if ev.Doc != "djibo-b" {
			t.Errorf("evidence from %s survived its report's new version", ev.Doc)
		}
	}
	if got := actions(d.Revisions); !slices.Equal(got, []string{"created", "merged", "updated"}) {
		t.Errorf("revisions = %v", got)
	}
	wantIDs(t, s, store.Filter{Query: "gunmen"})
	wantIDs(t, s, store.Filter{Query: "attackers"}, "EV-DJIBO")
}

func testMergeAddsSource(t *testing.T, s store.Store) {
	m := testMerger{window: 3}
	a := newReport("ayorou-a", textNiger)
	sp := filterFixtures()[2].es[0]
	save(t, s, a, []event.Event{newEvent(a, sp)}, m)

	b := newReport("ayorou-b", "Two soldiers died when an explosive device hit their vehicle close to Ayorou.")
	b.URL, b.Outlet = "https://other.example.net/ayorou", "other.example.net"
	sp.id, sp.fatalities, sp.date = "SHOULD-NOT-BE-USED", 2, "2024-03-10"
	sp.sentence = "Two soldiers died when an explosive device hit their vehicle close to Ayorou."
	res := save(t, s, b, []event.Event{newEvent(b, sp)}, m)
	if res.Merged != 1 || res.Added != 0 || res.Updated || res.Duplicate {
		t.Errorf("SaveReport(b) = %+v, want 1 merged", res)
	}
	wantIDs(t, s, store.Filter{}, "EV-AYOROU")
	d := detail(t, s, "EV-AYOROU")
	if got := sourceDocs(d.Event); !slices.Equal(got, []string{"ayorou-a", "ayorou-b"}) {
		t.Errorf("sources = %v", got)
	}
	if len(d.Event.Evidence) != 2 {
		t.Errorf("evidence = %+v, want both reports'", d.Event.Evidence)
	}
	if d.Event.Fatalities != 2 || d.Event.FatalitiesLow != 0 || d.Event.FatalitiesHigh != 2 {
		t.Errorf("fatalities = %d (%d..%d), want the merger's 2 (0..2)", d.Event.Fatalities, d.Event.FatalitiesLow, d.Event.FatalitiesHigh)
	}
	for _, src := range d.Event.Sources {
		if src.Doc == "ayorou-b" && (src.Fatalities != 2 || src.URL != b.URL || src.Outlet != b.Outlet) {
			t.Errorf("source b = %+v", src)
		}
	}
	if got := actions(d.Revisions); !slices.Equal(got, []string{"created", "merged"}) {
		t.Fatalf("revisions = %v", got)
	}
	if rv := d.Revisions[1]; rv.Doc != "ayorou-b" || rv.Changes["fatalities"] != "max" {
		t.Errorf("merge revision = %+v, want the merger's rules from ayorou-b", rv)
	}
	reps, err := s.Reports(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, rp := range reps {
		if !slices.Equal(rp.EventIDs, []string{"EV-AYOROU"}) {
			t.Errorf("report %s lists events %v", rp.Doc, rp.EventIDs)
		}
	}
	// The merged evidence is searchable.
	wantIDs(t, s, store.Filter{Query: "vehicle"}, "EV-AYOROU")
}

func testMergeOutsideWindowAddsEvent(t *testing.T, s store.Store) {
	m := testMerger{window: 3}
	a := newReport("ayorou-a", textNiger)
	sp := filterFixtures()[2].es[0]
	save(t, s, a, []event.Event{newEvent(a, sp)}, m)
	b := newReport("ayorou-b", "Another bomb went off near Ayorou a fortnight later.")
	sp.id, sp.date, sp.sentence = "EV-AYOROU-2", "2024-03-23", "Another bomb went off near Ayorou a fortnight later."
	if res := save(t, s, b, []event.Event{newEvent(b, sp)}, m); res.Added != 1 || res.Merged != 0 {
		t.Errorf("SaveReport(b) = %+v, want 1 added", res)
	}
	wantIDs(t, s, store.Filter{}, "EV-AYOROU", "EV-AYOROU-2")
}

func testMergeSameKindOnly(t *testing.T, s store.Store) {
	m := testMerger{window: 3}
	a := newReport("ayorou-a", textNiger)
	sp := filterFixtures()[2].es[0]
	save(t, s, a, []event.Event{newEvent(a, sp)}, m)
	b := newReport("ayorou-b", "Bombs have hit roads near Ayorou for months.")
	sp.id, sp.kind, sp.sentence = "EV-AYOROU-SIT", event.Situation, "Bombs have hit roads near Ayorou for months."
	if res := save(t, s, b, []event.Event{newEvent(b, sp)}, m); res.Added != 1 || res.Merged != 0 {
		t.Errorf("SaveReport(situation) = %+v, want 1 added: candidates must share the kind", res)
	}
}

func testBadMergeRollsBack(t *testing.T, s store.Store) {
	a := newReport("ayorou-a", textNiger)
	sp := filterFixtures()[2].es[0]
	save(t, s, a, []event.Event{newEvent(a, sp)}, nil)
	b := newReport("ayorou-b", "A second report on the Ayorou blast.")
	sp.id, sp.sentence = "EV-NEW", "A second report on the Ayorou blast."
	first := newEvent(b, sp)
	first.Kind = event.Background // no candidates, so inserted before the failure
	if _, err := s.SaveReport(context.Background(), b, []event.Event{first, newEvent(b, sp)}, badMerger{}); err == nil {
		t.Fatalf("SaveReport with a merger naming a missing candidate succeeded")
	}
	if ok, _ := s.HasReport(context.Background(), b.Hash); ok {
		t.Errorf("the failed report was stored")
	}
	wantIDs(t, s, store.Filter{}, "EV-AYOROU")
}

func testFilterByType(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{EventType: "Battles"}, "EV-BANDIAGARA", "EV-SEGOU", "EV-WEEKLY")
	wantIDs(t, s, store.Filter{EventType: "Violence against civilians"}, "EV-DJIBO")
	wantIDs(t, s, store.Filter{EventType: "Riots"})
}

func testFilterByDate(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{From: day("2024-03-05"), To: day("2024-03-08")}, "EV-DJIBO", "EV-SEGOU", "EV-WEEKLY")
	wantIDs(t, s, store.Filter{To: day("2024-03-01")}, "EV-GAO")
	wantIDs(t, s, store.Filter{From: day("2024-03-09")}, "EV-AYOROU")
}

func testFilterByActor(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{Actor: "jnim"}, "EV-BANDIAGARA", "EV-SEGOU") // actor2 or its association
	wantIDs(t, s, store.Filter{Actor: "military forces of"}, "EV-BANDIAGARA", "EV-SEGOU", "EV-AYOROU")
	wantIDs(t, s, store.Filter{Actor: "KATIBA"}, "EV-SEGOU")
	wantIDs(t, s, store.Filter{Actor: "%"})
	wantIDs(t, s, store.Filter{Actor: "_"})
}

func testFilterByPlace(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{Country: "Mali"}, "EV-BANDIAGARA", "EV-SEGOU", "EV-WEEKLY", "EV-GAO")
	wantIDs(t, s, store.Filter{Country: "Niger"}, "EV-AYOROU")
	wantIDs(t, s, store.Filter{Admin1: "Mopti"}, "EV-BANDIAGARA", "EV-WEEKLY")
	wantIDs(t, s, store.Filter{Country: "Burkina Faso", Admin1: "Sahel"}, "EV-DJIBO")
}

func testFilterByKind(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{Kind: event.Aggregate}, "EV-WEEKLY")
	wantIDs(t, s, store.Filter{Kind: event.Incident}, "EV-BANDIAGARA", "EV-SEGOU", "EV-DJIBO", "EV-AYOROU", "EV-GAO")
}

func testFilterByFatalities(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{MinFatalities: 5}, "EV-BANDIAGARA", "EV-SEGOU")
	wantIDs(t, s, store.Filter{MinFatalities: 1}, "EV-BANDIAGARA", "EV-SEGOU", "EV-DJIBO")
}

func testFilterByBBox(t *testing.T, s store.Store) {
	seed(t, s)
	central := [4]float64{-4.5, 13.5, -1.0, 15.0} // lon/lat box around Bandiagara and Djibo
	wantIDs(t, s, store.Filter{BBox: &central}, "EV-BANDIAGARA", "EV-DJIBO")
	sahel := [4]float64{-12, 10, 5, 20}
	// The aggregate has no coordinates and so lies in no box.
	wantIDs(t, s, store.Filter{BBox: &sahel}, "EV-BANDIAGARA", "EV-SEGOU", "EV-DJIBO", "EV-AYOROU", "EV-GAO")
	ocean := [4]float64{-40, -10, -30, 0}
	wantIDs(t, s, store.Filter{BBox: &ocean})
}

func testFilterCombined(t *testing.T, s store.Store) {
	seed(t, s)
	wantIDs(t, s, store.Filter{Country: "Mali", EventType: "Battles", Kind: event.Incident, MinFatalities: 10}, "EV-BANDIAGARA")
	wantIDs(t, s, store.Filter{Actor: "jnim", Query: "Ségou", From: day("2024-03-01")}, "EV-SEGOU")
}

func testFullTextAccentFolded(t *testing.T, s store.Store) {
	seed(t, s)
	for _, q := range []string{"segou", "Ségou", "SEGOU", "ségou", "Segou killed"} {
		wantIDs(t, s, store.Filter{Query: q}, "EV-SEGOU")
	}
	wantIDs(t, s, store.Filter{Query: "improvised"}, "EV-AYOROU") // notes are searched too
	wantIDs(t, s, store.Filter{Query: "Ségou Djibo"})             // every word must match
}

func testFullTextHostileQueries(t *testing.T, s store.Store) {
	seed(t, s)
	for _, q := range []string{`"`, `"Ségou`, `segou*`, `NEAR(segou djibo)`, `segou AND`, `OR`, `NOT djibo`,
		`body:segou`, `(segou`, `-segou`, `^segou`, `segou"; DROP TABLE events; --`, "\x00segou", "\xff\xfe", `'`} {
		if _, _, err := s.Events(context.Background(), store.Filter{Query: q}); err != nil {
			t.Errorf("Events(Query %q): %v", q, err)
		}
		if _, err := s.CountEvents(context.Background(), store.Filter{Query: q}); err != nil {
			t.Errorf("CountEvents(Query %q): %v", q, err)
		}
	}
	wantIDs(t, s, store.Filter{Query: `segou"; DROP TABLE events; --`}) // words ANDed: no event has them all
	wantIDs(t, s, store.Filter{}, "EV-BANDIAGARA", "EV-SEGOU", "EV-DJIBO", "EV-AYOROU", "EV-WEEKLY", "EV-GAO")
}

func testSorting(t *testing.T, s store.Store) {
	seed(t, s)
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{"", []string{"EV-AYOROU", "EV-WEEKLY", "EV-SEGOU", "EV-DJIBO", "EV-BANDIAGARA", "EV-GAO"}},
		{"date", []string{"EV-AYOROU", "EV-WEEKLY", "EV-SEGOU", "EV-DJIBO", "EV-BANDIAGARA", "EV-GAO"}},
		{"-date", []string{"EV-GAO", "EV-BANDIAGARA", "EV-DJIBO", "EV-SEGOU", "EV-WEEKLY", "EV-AYOROU"}},
	} {
		if got := ids(list(t, s, store.Filter{Sort: tc.sort})); !slices.Equal(got, tc.want) {
			t.Errorf("Sort %q = %v, want %v", tc.sort, got, tc.want)
		}
	}
	got := list(t, s, store.Filter{Sort: "fatalities"})
	if ids(got)[0] != "EV-BANDIAGARA" || ids(got)[1] != "EV-SEGOU" || ids(got)[2] != "EV-DJIBO" {
		t.Errorf("Sort fatalities = %v", ids(got))
	}
}

func testPagination(t *testing.T, s store.Store) {
	ctx := context.Background()
	var text strings.Builder
	for i := range 25 {
		fmt.Fprintf(&text, "Incident number %d happened near Mopti. ", i)
	}
	r := newReport("many", text.String())
	var evs []event.Event
	for i := range 25 {
		sp := spec{id: fmt.Sprintf("P%02d", i), date: fmt.Sprintf("2024-01-%02d", 1+i%7), typ: "Battles",
			country: "Mali", adm1: "Mopti", loc: fmt.Sprintf("Place%d", i), lat: 14.5, lon: -4.2, fatalities: i % 5,
			sentence: fmt.Sprintf("Incident number %d happened near Mopti.", i)}
		evs = append(evs, newEvent(r, sp))
	}
	save(t, s, r, evs, nil)
	for _, sortBy := range []string{"", "-date", "fatalities"} {
		for _, f := range []store.Filter{{Sort: sortBy, Limit: 4}, {Sort: sortBy, Limit: 3, MinFatalities: 2}} {
			want, _, err := s.Events(ctx, store.Filter{Sort: sortBy, MinFatalities: f.MinFatalities, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for page := 0; ; page++ {
				evs, next, err := s.Events(ctx, f)
				if err != nil {
					t.Fatalf("sort %q page %d: %v", sortBy, page, err)
				}
				if len(evs) > f.Limit {
					t.Fatalf("page of %d, limit %d", len(evs), f.Limit)
				}
				got = append(got, ids(evs)...)
				if next == "" {
					break
				}
				if page > 30 {
					t.Fatalf("pagination does not end")
				}
				f.Cursor = next
			}
			if !slices.Equal(got, ids(want)) {
				t.Errorf("sort %q, min %d: pages = %v, want %v", sortBy, f.MinFatalities, got, ids(want))
			}
			n, _ := s.CountEvents(ctx, f)
			if len(got) != n {
				t.Errorf("sort %q: %d paged, CountEvents %d", sortBy, len(got), n)
			}
			for _, max := range []int{1, n - 1, n, n + 1} {
				capped := f
				capped.CountMax = max
				if c, err := s.CountEvents(ctx, capped); err != nil || c != min(n, max) {
					t.Errorf("CountEvents with CountMax %d = %d, %v; want %d", max, c, err, min(n, max))
				}
			}
		}
	}
}

func testDefaultLimit(t *testing.T, s store.Store) {
	var text strings.Builder
	var evs []event.Event
	for i := range 150 {
		fmt.Fprintf(&text, "Clash %d. ", i)
	}
	r := newReport("bulk", text.String())
	for i := range 150 {
		evs = append(evs, newEvent(r, spec{date: "2024-05-01", typ: "Battles", country: "Mali", sentence: fmt.Sprintf("Clash %d.", i)}))
	}
	save(t, s, r, evs, nil)
	page, next, err := s.Events(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) == 0 || len(page) >= 150 || next == "" {
		t.Errorf("default page holds %d of 150 events (next %q); want a bounded page and a cursor", len(page), next)
	}
	if n, _ := s.CountEvents(context.Background(), store.Filter{Limit: 1}); n != 150 {
		t.Errorf("CountEvents ignores Limit: got %d, want 150", n)
	}
	seen := map[string]bool{}
	for _, e := range list(t, s, store.Filter{Limit: 1000}) {
		if seen[e.ID] {
			t.Errorf("duplicate generated ID %s", e.ID)
		}
		seen[e.ID] = true
	}
}

func testBadCursorAndSort(t *testing.T, s store.Store) {
	seed(t, s)
	ctx := context.Background()
	for _, f := range []store.Filter{{Cursor: "%%%"}, {Cursor: "bm90IGpzb24"}, {Sort: "sideways"}} {
		if _, _, err := s.Events(ctx, f); err == nil {
			t.Errorf("Events(%+v) succeeded, want an error", f)
		}
	}
	_, next, err := s.Events(ctx, store.Filter{Limit: 2})
	if err != nil || next == "" {
		t.Fatalf("first page: %q, %v", next, err)
	}
	if _, _, err := s.Events(ctx, store.Filter{Limit: 2, Sort: "fatalities", Cursor: next}); err == nil {
		t.Errorf("a date cursor was accepted for the fatalities sort")
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Event(ctx, "NOPE"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Event(missing) = %v, want ErrNotFound", err)
	}
	if _, err := s.Report(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Report(missing) = %v, want ErrNotFound", err)
	}
	if evs, next, err := s.Events(ctx, store.Filter{}); err != nil || len(evs) != 0 || next != "" {
		t.Errorf("Events on an empty store = %v, %q, %v", evs, next, err)
	}
	if reps, err := s.Reports(ctx, 0); err != nil || len(reps) != 0 {
		t.Errorf("Reports on an empty store = %v, %v", reps, err)
	}
}

func testFailureKeepsData(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s)
	before := list(t, s, store.Filter{Limit: 1000})
	mali := newReport("mali-1", textMali)
	if err := s.RecordFailure(ctx, "mali-1", mali.URL, "fetch: 503"); err != nil {
		t.Fatalf("RecordFailure: %v", err)
	}
	if err := s.RecordFailure(ctx, "broken", "", "clean: not UTF-8"); err != nil {
		t.Fatalf("RecordFailure: %v", err)
	}
	after := list(t, s, store.Filter{Limit: 1000})
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("RecordFailure changed the events")
	}
	if r, err := s.Report(ctx, "mali-1"); err != nil || r.Text != textMali {
		t.Errorf("Report(mali-1) after a failure = %q, %v", r.Text, err)
	}
	if ok, _ := s.HasReport(ctx, mali.Hash); !ok {
		t.Errorf("HasReport forgot mali-1")
	}
	reps, err := s.Reports(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var failed, ok int
	for _, r := range reps {
		switch r.Status {
		case "failed":
			failed++
			if r.Error == "" || len(r.EventIDs) != 0 {
				t.Errorf("failed entry %+v", r)
			}
		case "ok":
			ok++
		}
	}
	if failed != 2 || ok != 5 {
		t.Errorf("Reports: %d failed, %d ok; want 2 and 5", failed, ok)
	}
}

func testReportsNewestFirst(t *testing.T, s store.Store) {
	seed(t, s)
	reps, err := s.Reports(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, r := range reps {
		docs = append(docs, r.Doc)
	}
	if want := []string{"gao-1", "weekly-1", "niger-1"}; !slices.Equal(docs, want) {
		t.Errorf("Reports(3) = %v, want %v", docs, want)
	}
}

func testConcurrentSaves(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, perWorker = 6, 5
	m := testMerger{window: 2}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*3)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				text := fmt.Sprintf("Worker %d saw clash %d in village V%d-%d.", w, i, w, i)
				r := newReport(fmt.Sprintf("w%d-%d", w, i), text)
				e := newEvent(r, spec{date: "2024-04-10", typ: "Battles", country: "Mali",
					loc: fmt.Sprintf("V%d-%d", w, i), sentence: text})
				if _, err := s.SaveReport(ctx, r, []event.Event{e}, m); err != nil {
					errs <- err
				}
				if _, _, err := s.Events(ctx, store.Filter{Country: "Mali", Query: "clash"}); err != nil {
					errs <- err
				}
			}
		})
	}
	// Every worker also races to store one shared report: exactly one wins.
	shared := newReport("shared", textGao)
	results := make(chan store.IngestResult, workers)
	for range workers {
		wg.Go(func() {
			res, err := s.SaveReport(ctx, shared, []event.Event{newEvent(shared, filterFixtures()[4].es[0])}, m)
			if err != nil {
				errs <- err
			}
			results <- res
		})
	}
	wg.Wait()
	close(errs)
	close(results)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	var stored int
	for res := range results {
		if !res.Duplicate {
			stored++
		}
	}
	if stored != 1 {
		t.Errorf("the shared report was stored %d times, want 1", stored)
	}
	if n, err := s.CountEvents(ctx, store.Filter{}); err != nil || n != workers*perWorker+1 {
		t.Errorf("CountEvents = %d, %v; want %d", n, err, workers*perWorker+1)
	}
}

func testCanceledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newReport("gao-1", textGao)
	if _, err := s.SaveReport(ctx, r, []event.Event{newEvent(r, filterFixtures()[4].es[0])}, nil); err == nil {
		t.Errorf("SaveReport with a canceled context succeeded")
	}
	if ok, _ := s.HasReport(context.Background(), r.Hash); ok {
		t.Errorf("a canceled save stored the report")
	}
}
