package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/storetest"
)

func openTemp(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "sw.db"))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestOpenPragmas(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	check := func(name, q, want string) {
		t.Helper()
		for _, db := range []struct {
			name string
			q    queryer
		}{{"writer", s.w}, {"reader", s.r}} {
			var got string
			if err := db.q.QueryRowContext(ctx, q).Scan(&got); err != nil {
				t.Fatalf("%s %s: %v", db.name, q, err)
			}
			if got != want {
				t.Errorf("%s %s = %q, want %q", db.name, name, got, want)
			}
		}
	}
	check("journal_mode", `PRAGMA journal_mode`, "wal")
	check("foreign_keys", `PRAGMA foreign_keys`, "1")
	check("synchronous", `PRAGMA synchronous`, "1") // NORMAL
	check("busy_timeout", `PRAGMA busy_timeout`, fmt.Sprint(busyTimeout.Milliseconds()))
	check("integrity_check", `PRAGMA integrity_check`, "ok")
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sw.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path = %q, want %q", s.Path(), path)
	}
	r := &event.Report{Doc: "d1", Text: "Clashes near Ségou.", Hash: "h1"}
	e := event.Event{ID: "E1", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), Kind: event.Incident,
		Evidence: []event.Evidence{{Start: 0, End: 19, Text: "Clashes near Ségou."}}}
	if _, err := s.SaveReport(ctx, r, []event.Event{e}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Close checkpoints: the WAL is empty or gone.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("WAL holds %d bytes after Close", fi.Size())
	}

	for range 2 { // migrations are idempotent on reopen
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if v, err := s.Version(ctx); err != nil || v != SchemaVersion() {
			t.Errorf("Version = %d, %v; want %d", v, err, SchemaVersion())
		}
		if err := s.Migrate(ctx); err != nil {
			t.Errorf("Migrate again: %v", err)
		}
		if d, err := s.Event(ctx, "E1"); err != nil || len(d.Event.Evidence) != 1 {
			t.Errorf("Event after reopen = %+v, %v", d, err)
		}
		var rows int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&rows); err != nil || rows != 1 {
			t.Errorf("schema_version has %d rows (%v), want 1", rows, err)
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sw.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE schema_version SET version = ?`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path); err == nil {
		s.Close()
		t.Fatalf("Open accepted a database from a newer build")
	}
}

func TestOpenBadPaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db", filepath.Join(t.TempDir(), "a?b.db"),
		filepath.Join(t.TempDir(), "missing-dir", "x.db")} {
		if s, err := Open(context.Background(), p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
	// A file that is not a database.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("this is not a database file, just some text padding it out to a page"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(context.Background(), junk); err == nil {
		s.Close()
		t.Errorf("Open(junk) succeeded")
	}
}

func TestSaveReportRejectsBadInput(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.SaveReport(ctx, nil, nil, nil); err == nil {
		t.Errorf("nil report accepted")
	}
	if _, err := s.SaveReport(ctx, &event.Report{Text: "x"}, nil, nil); err == nil {
		t.Errorf("report without doc accepted")
	}
	// Invalid UTF-8 and NULs are stored, not crashed on.
	r := &event.Report{Doc: "bin", Text: "\xff\x00\xfe ok"}
	if _, err := s.SaveReport(ctx, r, []event.Event{{Notes: "\xff\x00", Kind: event.Incident}}, nil); err != nil {
		t.Errorf("binary report: %v", err)
	}
	if _, err := s.Report(ctx, "bin"); err != nil {
		t.Errorf("Report(bin): %v", err)
	}
}

func TestMergeRecordKeepsBefore(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	d := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	mk := func(doc string, fat int) (*event.Report, []event.Event) {
		return &event.Report{Doc: doc, Text: doc + " text", Hash: doc},
			[]event.Event{{Date: d, Kind: event.Incident, EventType: "Battles", Fatalities: fat, Place: event.Place{Name: "Gao"}}}
	}
	r, evs := mk("a", 3)
	if _, err := s.SaveReport(ctx, r, evs, nil); err != nil {
		t.Fatal(err)
	}
	r, evs = mk("b", 9)
	res, err := s.SaveReport(ctx, r, evs, mergeAll{})
	if err != nil || res.Merged != 1 {
		t.Fatalf("merge: %+v, %v", res, err)
	}
	var before, rules string
	if err := s.r.QueryRowContext(ctx, `SELECT before, rules FROM merges`).Scan(&before, &rules); err != nil {
		t.Fatal(err)
	}
	if want := `"fatalities":3`; !strings.Contains(before, want) || !strings.Contains(before, `"event_date":"2024-02-01"`) {
		t.Errorf("merge record before = %s, want it to hold %s", before, want)
	}
	if rules != `{"fatalities":"incoming"}` {
		t.Errorf("rules = %s", rules)
	}
}

// mergeAll merges into the first candidate, taking the incoming figure.
type mergeAll struct{}

func (mergeAll) Window(event.Event) int { return 1 }
func (mergeAll) Merge(in event.Event, c []event.Event) (int, event.Event, map[string]string) {
	m := c[0]
	m.Fatalities = in.Fatalities
	return 0, m, map[string]string{"fatalities": "incoming"}
}

func TestBadFilterErrors(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	_, _, err := s.Events(context.Background(), store.Filter{Sort: "nope"})
	if !errors.Is(err, ErrBadFilter) {
		t.Errorf("unknown sort: %v, want ErrBadFilter", err)
	}
}

func TestFTSQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Ségou", `"Ségou"`},
		{`"a" OR b*`, `"a" "OR" "b"`},
		{"NEAR(x, y)", `"NEAR" "x" "y"`},
		{"!!! ---", ""},
	} {
		if got := ftsQuery(tc.in); got != tc.want {
			t.Errorf("ftsQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzCursor(f *testing.F) {
	f.Add("", "date")
	f.Add(encodeCursor(cursor{Sort: "date", Date: "2024-01-01", ID: "x"}), "date")
	f.Add("e30", "fatalities")
	f.Fuzz(func(t *testing.T, s, sort string) {
		c, err := decodeCursor(s, sort)
		if err == nil && (c.ID == "" || c.Sort != sort) {
			t.Errorf("accepted cursor %+v", c)
		}
	})
}

// FuzzQuery checks that no user text makes a full-text query fail.
func FuzzQuery(f *testing.F) {
	s := openTemp(f)
	defer s.Close()
	r := &event.Report{Doc: "d", Text: "Clashes near Ségou.", Hash: "h"}
	if _, err := s.SaveReport(context.Background(), r, []event.Event{{Kind: event.Incident, Notes: "Ségou"}}, nil); err != nil {
		f.Fatal(err)
	}
	for _, q := range []string{"segou", `"`, "NEAR(", "a*", "-x", "\xff", "ségou OR"} {
		f.Add(q, "a")
	}
	f.Fuzz(func(t *testing.T, q, actor string) {
		if _, _, err := s.Events(context.Background(), store.Filter{Query: q, Actor: actor}); err != nil {
			t.Errorf("Events(%q, %q): %v", q, actor, err)
		}
	})
}

// TestPagePlansAgree checks that a page is the same whether its filter is
// run as selective (matches collected and sorted) or as wide (the order
// index walked): Events picks between the two by counting matches, so both
// must give the same pages in the same order for every filter and sort.
func TestPagePlansAgree(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	types := []string{"Battles", "Violence against civilians", "Explosions/Remote violence"}
	words := []string{"market", "convoy", "marché", "checkpoint"}
	var text strings.Builder
	var sentences []string
	for i := range 240 {
		sn := fmt.Sprintf("Report line %d mentions a %s.", i, words[i%len(words)])
		sentences = append(sentences, sn)
		text.WriteString(sn + " ")
	}
	r := &event.Report{Doc: "plans", Text: text.String(), Hash: "plans", Lang: "en", Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	var evs []event.Event
	for i, sn := range sentences {
		start := strings.Index(r.Text, sn)
		evs = append(evs, event.Event{
			ID:   fmt.Sprintf("EV%03d", i),
			Doc:  r.Doc,
			Date: time.Date(2024, 1, 1+i%40, 0, 0, 0, 0, time.UTC), TimePrecision: event.DayPrecision,
			EventType: types[i%len(types)], Kind: event.Incident,
			Place:      event.Place{Name: "P", Country: "Mali", Admin1: "Mopti", Lat: 13 + float64(i%7), Lon: -5 + float64(i%5), Precision: 1},
			Fatalities: i % 9,
			Evidence:   []event.Evidence{{Doc: r.Doc, Start: start, End: start + len(sn), Text: sn}},
			Notes:      sn,
		})
	}
	if _, err := s.SaveReport(ctx, r, evs, nil); err != nil {
		t.Fatal(err)
	}
	filters := []store.Filter{
		{},
		{EventType: "Battles"},
		{MinFatalities: 7},
		{Query: "marche"},
		{BBox: &[4]float64{-5.5, 13.5, -3.5, 15.5}},
		{EventType: "Battles", Query: "convoy", From: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)},
		{EventType: "Riots"},
	}
	pages := func(f store.Filter) []string {
		var got []string
		for n := 0; ; n++ {
			evs, next, err := s.Events(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				got = append(got, e.ID)
			}
			if next == "" || n > 1000 {
				return got
			}
			f.Cursor = next
		}
	}
	for _, f := range filters {
		for _, sortBy := range []string{"date", "-date", "fatalities"} {
			f.Sort, f.Limit = sortBy, 7
			s.probe = 0 // every filter is walked
			walked := pages(f)
			s.probe = 100000 // every filter is collected and sorted
			sorted := pages(f)
			if strings.Join(walked, ",") != strings.Join(sorted, ",") {
				t.Errorf("filter %+v sort %s: walked %v, sorted %v", f, sortBy, walked, sorted)
			}
			n, _ := s.CountEvents(ctx, f)
			if len(walked) != n {
				t.Errorf("filter %+v sort %s: %d paged, %d counted", f, sortBy, len(walked), n)
			}
		}
	}
}
