package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
	"github.com/sahelwatch/sahelwatch/internal/synth"
)

// The end-to-end benchmarks run synthetic reports (internal/synth) with
// the full gazetteer loaded; one op is one report. `sahelwatch bench`
// measures the same path with workers, stage shares and peak memory.

func BenchmarkProcess(b *testing.B) {
	p, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	g := synth.New(1)
	ctx := context.Background()
	i, failed := 0, 0
	for b.Loop() {
		r := g.Report(i % 1000)
		i++
		if _, err := p.Process(ctx, &r); err != nil {
			failed++ // a page judged all boilerplate is a result, not a crash
		}
	}
	b.ReportMetric(float64(failed)/float64(i), "failed/op")
}

func BenchmarkIngest(b *testing.B) {
	p, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	g := synth.New(1)
	i, failed := 0, 0
	for b.Loop() {
		r := g.Report(i) // every report new: none is skipped as already stored
		i++
		if _, err := p.Ingest(ctx, st, &r); err != nil {
			failed++
		}
	}
	b.ReportMetric(float64(failed)/float64(i), "failed/op")
}
