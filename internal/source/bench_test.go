package source

import (
	"bytes"
	"fmt"
	"testing"
)

func floodFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>t%d</title><link>https://flood.example/%d</link><description>Des tirs à Kaya.</description></item>", i, i)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// BenchmarkParseFeedFlood parses a 100,000-item feed capped at the default
// 1,000 items; B/op shows what the cap saves.
func BenchmarkParseFeedFlood(b *testing.B) {
	feed := floodFeed(100_000)
	b.SetBytes(int64(len(feed)))
	b.ReportAllocs()
	for b.Loop() {
		if r, _ := parseFeed(feed, "", DefaultMaxItems); len(r) != DefaultMaxItems {
			b.Fatal(len(r))
		}
	}
}

func BenchmarkParseFeed1000(b *testing.B) {
	feed := floodFeed(1000)
	b.SetBytes(int64(len(feed)))
	b.ReportAllocs()
	for b.Loop() {
		parseFeed(feed, "", DefaultMaxItems)
	}
}
