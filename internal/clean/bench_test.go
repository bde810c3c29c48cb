package clean

import (
	"context"
	"strings"
	"testing"

	"github.com/markusmobius/go-trafilatura"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// The Benchmark pair BenchmarkCleanHTML / BenchmarkTrafilaturaAlone runs on
// the same pages; the ratio of their MB/s is what our cleaning costs on
// top of go-trafilatura.

func benchClean(b *testing.B, files []string, format string) {
	c := newCleaner(b)
	var raws [][]byte
	size := 0
	for _, f := range files {
		raw := readFixture(b, f)
		raws = append(raws, raw)
		size += len(raw)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range raws {
			r := &event.Report{Doc: "bench", Raw: raw, Format: format}
			if err := c.Clean(context.Background(), r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkCleanText(b *testing.B) {
	benchClean(b, []string{"junk_en.txt", "junk_fr.txt"}, "text")
}

func BenchmarkCleanHTML(b *testing.B) {
	benchClean(b, []string{"article_en.html", "article_fr.html"}, "html")
}

func BenchmarkTrafilaturaAlone(b *testing.B) {
	var pages []string
	size := 0
	for _, f := range []string{"article_en.html", "article_fr.html"} {
		raw := readFixture(b, f)
		pages = append(pages, string(raw))
		size += len(raw)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := trafilatura.Extract(strings.NewReader(p), trafilatura.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
