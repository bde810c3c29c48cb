package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// syndMerger is testMerger that also recognises syndicated copies: two
// reports are one story when their texts agree after the first sentence
// (a site's own intro line).
type syndMerger struct{ testMerger }

func (syndMerger) Signature(r *event.Report) []byte {
	_, body, ok := strings.Cut(r.Text, ". ")
	if !ok || len(body) < 20 {
		return nil
	}
	return []byte(body)
}

func (syndMerger) SameStory(a, b []byte) bool { return bytes.Equal(a, b) }

const wire = "Gunmen on motorbikes attacked the weekly market of Tessit at dawn, killing nine traders. " +
	"Survivors said the attackers set fire to stalls and drove off with cattle. The army sent reinforcements from Gao."

// mergedPair stores two reports of one Ayorou incident merged into
// EV-AYOROU and returns the second report.
func mergedPair(t *testing.T, s store.Store) *event.Report {
	t.Helper()
	m := testMerger{window: 3}
	a := newReport("ayorou-a", textNiger)
	sp := filterFixtures()[2].es[0]
	save(t, s, a, []event.Event{newEvent(a, sp)}, m)
	b := newReport("ayorou-b", "Two soldiers died when an explosive device hit their vehicle close to Ayorou.")
	sp.id, sp.fatalities, sp.date = "", 2, "2024-03-10"
	sp.a1 = "Unidentified Armed Group (Niger)"
	sp.sentence = "Two soldiers died when an explosive device hit their vehicle close to Ayorou."
	if res := save(t, s, b, []event.Event{newEvent(b, sp)}, m); res.Merged != 1 {
		t.Fatalf("SaveReport(b) = %+v, want merged", res)
	}
	return b
}

func testUnmerge(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := newReport("ayorou-a", textNiger)
	save(t, s, a, []event.Event{newEvent(a, filterFixtures()[2].es[0])}, testMerger{window: 3})
	before := detail(t, s, "EV-AYOROU").Event
	b := mergedPair(t, s) // saving a again inside is a no-op

	newID, err := s.Unmerge(ctx, "EV-AYOROU", b.Doc)
	if err != nil {
		t.Fatalf("Unmerge: %v", err)
	}
	if newID == "" || newID == "EV-AYOROU" {
		t.Fatalf("Unmerge returned ID %q", newID)
	}
	restored := detail(t, s, "EV-AYOROU")
	sameEvent(t, restored.Event, before)
	if got := sourceDocs(restored.Event); !slices.Equal(got, []string{"ayorou-a"}) {
		t.Errorf("restored sources = %v, want [ayorou-a]", got)
	}
	if got := actions(restored.Revisions); !slices.Equal(got, []string{"created", "merged", "unmerged"}) {
		t.Errorf("restored revisions = %v", got)
	}
	split := detail(t, s, newID)
	if got := sourceDocs(split.Event); !slices.Equal(got, []string{"ayorou-b"}) {
		t.Errorf("split-off sources = %v, want [ayorou-b]", got)
	}
	if split.Event.Fatalities != 2 || split.Event.Actor1.Name != "Unidentified Armed Group (Niger)" || split.Event.Date.Format("2006-01-02") != "2024-03-10" {
		t.Errorf("split-off event = %+v, want b's event as extracted", split.Event)
	}
	if len(split.Event.Evidence) != 1 || split.Event.Evidence[0].Doc != "ayorou-b" {
		t.Errorf("split-off evidence = %+v", split.Event.Evidence)
	}
	if got := actions(split.Revisions); !slices.Equal(got, []string{"unmerged"}) || split.Revisions[0].Doc != "ayorou-b" {
		t.Errorf("split-off revisions = %+v", split.Revisions)
	}
	wantIDs(t, s, store.Filter{Query: "vehicle"}, newID)
	wantIDs(t, s, store.Filter{Query: "roadside"}, "EV-AYOROU")
	// Undone once, it cannot be undone again.
	if _, err := s.Unmerge(ctx, "EV-AYOROU", b.Doc); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second Unmerge: %v, want ErrNotFound", err)
	}
}

func testUnmergeErrors(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := mergedPair(t, s)
	if _, err := s.Unmerge(ctx, "EV-AYOROU", "no-such-doc"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown doc: %v, want ErrNotFound", err)
	}
	if _, err := s.Unmerge(ctx, "NO-SUCH-EVENT", b.Doc); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown event: %v, want ErrNotFound", err)
	}
	c := newReport("ayorou-c", "A third account: an improvised mine near Ayorou killed three soldiers.")
	sp := filterFixtures()[2].es[0]
	sp.id, sp.fatalities, sp.date, sp.sentence = "", 3, "2024-03-10", "an improvised mine near Ayorou killed three soldiers."
	if res := save(t, s, c, []event.Event{newEvent(c, sp)}, testMerger{window: 3}); res.Merged != 1 {
		t.Fatalf("SaveReport(c) = %+v, want merged", res)
	}
	if _, err := s.Unmerge(ctx, "EV-AYOROU", b.Doc); !errors.Is(err, store.ErrNotLatest) {
		t.Errorf("unmerge under a later merge: %v, want ErrNotLatest", err)
	}
	if got := sourceDocs(detail(t, s, "EV-AYOROU").Event); len(got) != 3 {
		t.Errorf("a refused unmerge changed the sources: %v", got)
	}
	// Newest first works.
	if _, err := s.Unmerge(ctx, "EV-AYOROU", c.Doc); err != nil {
		t.Fatalf("Unmerge(c): %v", err)
	}
	if _, err := s.Unmerge(ctx, "EV-AYOROU", b.Doc); err != nil {
		t.Fatalf("Unmerge(b) after c: %v", err)
	}
	if got := sourceDocs(detail(t, s, "EV-AYOROU").Event); !slices.Equal(got, []string{"ayorou-a"}) {
		t.Errorf("sources after both unmerges = %v", got)
	}
	wantCount(t, s, store.Filter{}, 3)
}

func wantCount(t *testing.T, s store.Store, f store.Filter, want int) {
	t.Helper()
	n, err := s.CountEvents(context.Background(), f)
	if err != nil || n != want {
		t.Errorf("CountEvents = %d, %v; want %d", n, err, want)
	}
}

func tessitEvent(r *event.Report, id string) event.Event {
	return newEvent(r, spec{id: id, date: "2024-03-11", typ: "Violence against civilians", sub: "Attack",
		a1: "Unidentified Armed Group (Mali)", a2: "Civilians (Mali)", country: "Mali", adm1: "Gao", loc: "Tessit",
		lat: 15.01, lon: 0.74, fatalities: 9, sentence: "killing nine traders"})
}

func testSyndicatedCopy(t *testing.T, s store.Store) {
	m := syndMerger{testMerger{window: 3}}
	a := newReport("tessit-wire", "From our Gao correspondent. "+wire)
	if res := save(t, s, a, []event.Event{tessitEvent(a, "EV-TESSIT")}, m); res.Added != 1 || res.CopyOf != "" {
		t.Fatalf("original = %+v", res)
	}
	b := newReport("tessit-copy", "Our partners report. "+wire)
	b.URL, b.Outlet = "https://reprint.example.com/tessit", "reprint.example.com"
	res := save(t, s, b, []event.Event{tessitEvent(b, "EV-TESSIT-COPY")}, m)
	if res.CopyOf != "tessit-wire" || res.Added != 0 || res.Merged != 0 {
		t.Fatalf("copy = %+v, want CopyOf tessit-wire and no events", res)
	}
	wantIDs(t, s, store.Filter{}, "EV-TESSIT")
	d := detail(t, s, "EV-TESSIT")
	if got := sourceDocs(d.Event); !slices.Equal(got, []string{"tessit-copy", "tessit-wire"}) {
		t.Fatalf("sources = %v", got)
	}
	independent := 0
	for _, src := range d.Event.Sources {
		switch src.Doc {
		case "tessit-copy":
			if src.CopyOf != "tessit-wire" || src.URL != b.URL || src.Outlet != b.Outlet || src.Excerpt == "" {
				t.Errorf("copy source = %+v", src)
			}
		default:
			independent++
			if src.CopyOf != "" {
				t.Errorf("original marked as a copy: %+v", src)
			}
		}
	}
	if independent != 1 || d.Event.Fatalities != 9 || len(d.Event.Evidence) != 1 {
		t.Errorf("a copy changed the event: %d independent sources, %d dead, %d evidence", independent, d.Event.Fatalities, len(d.Event.Evidence))
	}
	if got := actions(d.Revisions); !slices.Equal(got, []string{"created", "syndicated"}) || d.Revisions[1].Doc != "tessit-copy" {
		t.Errorf("revisions = %+v", d.Revisions)
	}
	// An unrelated report is not a copy; a new version of the original is
	// not a copy of itself, and its copies follow it to its new events.
	c := newReport("other", "Herders and farmers clashed near Mopti. "+strings.Repeat("A long, unrelated story. ", 3))
	if res := save(t, s, c, nil, m); res.CopyOf != "" {
		t.Errorf("unrelated report = %+v", res)
	}
	a2 := newReport("tessit-wire", "Updated at noon. "+wire)
	if res := save(t, s, a2, []event.Event{tessitEvent(a2, "EV-TESSIT-2")}, m); !res.Updated || res.CopyOf != "" {
		t.Fatalf("new version = %+v", res)
	}
	evs := list(t, s, store.Filter{})
	if len(evs) != 1 {
		t.Fatalf("after the new version: %d events, want 1", len(evs))
	}
	if got := sourceDocs(evs[0]); !slices.Equal(got, []string{"tessit-copy", "tessit-wire"}) {
		t.Errorf("sources after the new version = %v", got)
	}
}

// scopedMerger records the candidates the store hands it and merges
// nothing.
type scopedMerger struct {
	scope store.Scope
	seen  *[]string
}

func (scopedMerger) Window(event.Event) int          { return 30 }
func (scopedMerger) RadiusKm(event.Event) float64    { return 10 }
func (m scopedMerger) Scope(event.Event) store.Scope { return m.scope }
func (m scopedMerger) Merge(_ event.Event, cands []event.Event) (int, event.Event, map[string]string) {
	for _, c := range cands {
		*m.seen = append(*m.seen, c.ID)
	}
	return -1, event.Event{}, nil
}

// testScopedCandidates: a ScopedMerger's Scope decides which stored events
// are candidates: vague ones from further away in time than dated ones,
// the kinds it names, and region-level events of its admin1 at any
// distance.
func testScopedCandidates(t *testing.T, s store.Store) {
	const text = "Gunmen attacked Tessit, killing nine traders."
	stored := func(id, date string, prec int, kind event.Kind, lat, lon float64, geo int) {
		r := newReport("scoped-"+id, text+" ("+id+")")
		e := tessitEvent(r, id)
		e.Date, e.TimePrecision, e.Kind = day(date), prec, kind
		e.Place.Lat, e.Place.Lon, e.Place.Precision = lat, lon, geo
		save(t, s, r, []event.Event{e}, nil)
	}
	const lat, lon = 15.93, 0.49 // Tessit; 5 degrees west is ~540 km
	stored("NEAR-DATED", "2024-03-12", event.DayPrecision, event.Incident, lat, lon, event.PlacePrecision)
	stored("FAR-DATED", "2024-03-22", event.DayPrecision, event.Incident, lat, lon, event.PlacePrecision)
	stored("VAGUE-BACKGROUND", "2024-03-30", event.MonthPrecision, event.Background, lat, lon, event.PlacePrecision)
	stored("REGION", "2024-03-10", event.DayPrecision, event.Incident, lat, lon-5, event.RegionPrecision)
	stored("FAR-TOWN", "2024-03-10", event.DayPrecision, event.Incident, lat, lon-5, event.PlacePrecision)
	stored("SITUATION", "2024-03-10", event.DayPrecision, event.Situation, lat, lon, event.PlacePrecision)

	var seen []string
	m := scopedMerger{scope: store.Scope{DatedDays: 3, Kinds: []event.Kind{event.Incident, event.Background},
		Admin1: tessitEvent(newReport("x", text), "x").Place.Admin1}, seen: &seen}
	r := newReport("scoped-in", text+" (in)")
	in := tessitEvent(r, "IN")
	in.Date, in.Place.Lat, in.Place.Lon = day("2024-03-11"), lat, lon
	save(t, s, r, []event.Event{in}, m)
	if want := []string{"NEAR-DATED", "REGION", "VAGUE-BACKGROUND"}; !slices.Equal(sorted(seen), want) {
		t.Errorf("candidates %v, want %v", sorted(seen), want)
	}
}
