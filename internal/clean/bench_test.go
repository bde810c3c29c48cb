package clean

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// The benchmarks give MB/s for plain text and for HTML, and the ratio of
// our HTML cleaning to go-trafilatura alone (trafilatura.Extract with its
// default options) on the same pages. They run on the fixtures in
// testdata and, when ../shared is beside the repository (or
// SAHELWATCH_SHARED names it), on the html-bench pages too:
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/clean

var htmlFixtures = []string{"article_en.html", "article_fr.html", "blog_en.html", "blog_fr.html"}

func BenchmarkCleanText(b *testing.B) {
	var raws [][]byte
	for _, f := range []string{"junk_en.txt", "junk_fr.txt"} {
		raws = append(raws, readFixture(b, f))
	}
	benchClean(b, raws, "text")
}

func BenchmarkCleanHTML(b *testing.B) {
	for _, set := range htmlSets(b) {
		b.Run(set.name, func(b *testing.B) { benchClean(b, set.pages, "html") })
	}
}

func BenchmarkTrafilaturaAlone(b *testing.B) {
	for _, set := range htmlSets(b) {
		b.Run(set.name, func(b *testing.B) {
			b.SetBytes(size(set.pages))
			for b.Loop() {
				for _, p := range set.pages {
					trafilatura.Extract(strings.NewReader(string(p)), trafilatura.Options{})
				}
			}
		})
	}
}

// BenchmarkHTMLRatio times both on the same pages in the same loop and
// reports clean-MB/s, trafilatura-MB/s and their ratio (1 = as fast as
// go-trafilatura alone; 0.5 = twice its time).
func BenchmarkHTMLRatio(b *testing.B) {
	c := newCleaner(b)
	for _, set := range htmlSets(b) {
		b.Run(set.name, func(b *testing.B) {
			var ours, theirs time.Duration
			n := 0
			for b.Loop() {
				t0 := time.Now()
				for _, p := range set.pages {
					c.Clean(context.Background(), &event.Report{Doc: "bench", Raw: p, Format: "html"})
				}
				t1 := time.Now()
				for _, p := range set.pages {
					trafilatura.Extract(strings.NewReader(string(p)), trafilatura.Options{})
				}
				ours, theirs = ours+t1.Sub(t0), theirs+time.Since(t1)
				n++
			}
			mb := float64(size(set.pages)) * float64(n) / 1e6
			b.ReportMetric(mb/ours.Seconds(), "clean-MB/s")
			b.ReportMetric(mb/theirs.Seconds(), "trafilatura-MB/s")
			b.ReportMetric(theirs.Seconds()/ours.Seconds(), "ratio")
		})
	}
}

func benchClean(b *testing.B, raws [][]byte, format string) {
	c := newCleaner(b)
	b.SetBytes(size(raws))
	for b.Loop() {
		for _, raw := range raws {
			r := &event.Report{Doc: "bench", Raw: raw, Format: format}
			if err := c.Clean(context.Background(), r); err != nil && format == "text" {
				b.Fatal(err)
			}
		}
	}
}

type pageSet struct {
	name  string
	pages [][]byte
}

func htmlSets(b *testing.B) []pageSet {
	sets := []pageSet{{name: "fixtures"}}
	for _, f := range htmlFixtures {
		sets[0].pages = append(sets[0].pages, readFixture(b, f))
	}
	shared := os.Getenv("SAHELWATCH_SHARED")
	if shared == "" {
		shared = "../../../shared"
	}
	files, _ := filepath.Glob(filepath.Join(shared, "corpus/html-bench/pages/*.html"))
	if len(files) > 0 {
		bench := pageSet{name: "html-bench"}
		for _, f := range files {
			if raw, err := os.ReadFile(f); err == nil {
				bench.pages = append(bench.pages, raw)
			}
		}
		sets = append(sets, bench)
	}
	return sets
}

func size(raws [][]byte) int64 {
	n := 0
	for _, r := range raws {
		n += len(r)
	}
	return int64(n)
}
