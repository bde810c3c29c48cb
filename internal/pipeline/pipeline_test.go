package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// Two outlets report one attack with different tolls and spellings: the
// store holds one event with both sources and the conservative toll; the
// same reports again change nothing.
func TestTwoReportsOneEvent(t *testing.T) {
	ctx := context.Background()
	p, err := pipeline.New(pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pub := time.Date(2025, 3, 27, 0, 0, 0, 0, time.UTC)
	reports := []event.Report{
		{Doc: "a", URL: "https://example.org/a", Published: pub, Raw: []byte(
			"Gendarmerie post attacked in Tamani\n\nOn 25 March, JNIM fighters attacked the gendarmerie post in Tamani, in the Ségou region, killing six gendarmes.\n")},
		{Doc: "b", URL: "https://example.net/b", Published: pub.AddDate(0, 0, 1), Raw: []byte(
			"Tamani : le poste de gendarmerie attaqué\n\nLe 25 mars, des hommes armés ont attaqué le poste de gendarmerie de Tamani. Huit gendarmes ont été tués selon une source locale.\n")},
	}
	run := func() pipeline.Progress {
		items := make(chan pipeline.Item, len(reports))
		for _, r := range reports {
			items <- pipeline.Item{Report: r}
		}
		close(items)
		tot, err := p.Run(ctx, st, items, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tot
	}
	if tot := run(); tot.Failed != 0 {
		t.Fatalf("failures: %+v", tot)
	}
	evs, _, err := st.Events(ctx, store.Filter{Kind: event.Incident})
	if err != nil {
		t.Fatal(err)
	}
	var tamani []event.Event
	for _, e := range evs {
		if e.Place.Name == "Tamani" {
			tamani = append(tamani, e)
		}
	}
	if len(tamani) != 1 {
		t.Fatalf("got %d Tamani events, want 1: %+v", len(tamani), evs)
	}
	e := tamani[0]
	if len(e.Sources) != 2 {
		t.Errorf("got %d sources, want 2", len(e.Sources))
	}
	if e.Fatalities != 6 || e.FatalitiesHigh != 8 {
		t.Errorf("fatalities %d (high %d), want 6 (high 8)", e.Fatalities, e.FatalitiesHigh)
	}
	if tot := run(); tot.Duplicates != 2 {
		t.Errorf("second run: %+v, want 2 duplicates", tot)
	}
	n, err := st.CountEvents(ctx, store.Filter{})
	if err != nil || n != len(evs)+countOther(t, st) {
		t.Logf("count %d", n)
	}
}

func countOther(t *testing.T, st store.Store) int {
	n := 0
	for _, k := range []event.Kind{event.Aggregate, event.Situation, event.Background} {
		c, err := st.CountEvents(context.Background(), store.Filter{Kind: k})
		if err != nil {
			t.Fatal(err)
		}
		n += c
	}
	return n
}

// The number of workers never changes what is stored: reports are saved in
// input order, so merges do not depend on which worker finished first.
func TestWorkersDoNotChangeTheResult(t *testing.T) {
	ctx := context.Background()
	p, err := pipeline.New(pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2025, 3, 27, 0, 0, 0, 0, time.UTC)
	var reports []event.Report
	for i, text := range []string{
		"On 25 March, JNIM fighters attacked the gendarmerie post in Tamani, killing six gendarmes.",
		"Le 25 mars, des hommes armés ont attaqué le poste de gendarmerie de Tamani. Huit gendarmes ont été tués.",
		"Gunmen attacked the gendarmerie in Tamani on 25 March; seven gendarmes died, officials said.",
		"On 24 March, an IED struck an army truck near Boni, killing three soldiers.",
		"Trois soldats tués par une mine près de Boni le 24 mars.",
		"On 23 March, jihadists burned twenty fuel tankers near Kati.",
	} {
		reports = append(reports, event.Report{Doc: fmt.Sprintf("r%d", i), Published: pub, Raw: []byte(text)})
	}
	export := func(workers int) string {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sw.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		items := make(chan pipeline.Item, len(reports))
		for _, r := range reports {
			items <- pipeline.Item{Report: r}
		}
		close(items)
		if _, err := p.Run(ctx, st, items, workers, nil); err != nil {
			t.Fatal(err)
		}
		evs, _, err := st.Events(ctx, store.Filter{Sort: "date", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, e := range evs {
			var docs []string
			for _, s := range e.Sources {
				docs = append(docs, s.Doc)
			}
			sort.Strings(docs)
			fmt.Fprintf(&b, "%s %s %s %s %d %v\n", e.Date.Format("2006-01-02"), e.EventType, e.Place.Name, e.Actor1.Name, e.Fatalities, docs)
		}
		return b.String()
	}
	one := export(1)
	for _, n := range []int{2, 4} {
		if got := export(n); got != one {
			t.Errorf("%d workers stored\n%s\none worker stored\n%s", n, got, one)
		}
	}
}
