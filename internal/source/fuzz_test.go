package source

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// addSeeds adds every testdata file matching pattern to f's corpus.
func addSeeds(f *testing.F, pattern string) {
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzRead reads data from stdin in one format and checks what Read
// promises: no panic, only *InputErrors, every report named and hashed.
func fuzzRead(t *testing.T, data []byte, format string) {
	err := Read(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data), Format: format, MaxBytes: 1 << 12, MaxItems: 20},
		func(r event.Report, err error) error {
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("error %v is not an *InputError", err)
				}
				return nil
			}
			if r.Doc == "" || r.Hash != hashOf(r.Raw) || len(bytes.TrimSpace(r.Raw)) == 0 {
				t.Fatalf("bad report %+v", r)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzJSONL(f *testing.F) {
	addSeeds(f, "*.jsonl")
	f.Add([]byte("{\"doc\":\"a\",\"text\":\"x\",\"html\":true}\n{\"published\":\"2024-13-40\"}\n[1]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, FormatJSONL) })
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, "*.csv")
	f.Add([]byte("text\n\"unclosed\n"))
	f.Add([]byte("\ufeffTEXT,Doc\nhello,a\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, FormatCSV) })
}

func FuzzFeed(f *testing.F) {
	addSeeds(f, "*.rss")
	addSeeds(f, "*.atom")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_text":"Gao"}]}`))
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>a</title></item><item><title>b</title></item></rdf:RDF>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reports, err := parseFeed(data, "https://example.org/feed", 3)
		if len(reports) > 3 {
			t.Fatalf("%d reports over the cap", len(reports))
		}
		if err != nil && len(reports) > 0 && !errors.Is(err, ErrTruncated) {
			t.Fatalf("reports with error %v", err)
		}
		for _, r := range reports {
			if r.Doc == "" || r.Hash == "" {
				t.Fatalf("bad report %+v", r)
			}
		}
		fuzzRead(t, data, FormatFeed)
	})
}

func FuzzSniff(f *testing.F) {
	addSeeds(f, "*")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		switch got := Sniff(data); got {
		case FormatText, FormatHTML, FormatJSONL, FormatFeed:
		default:
			t.Fatalf("Sniff returned %q", got)
		}
		if got := DetectFormat(".json", "", data); got != FormatJSONL && got != FormatFeed {
			t.Fatalf("DetectFormat(.json) = %q", got)
		}
		_ = isBinary(data)
		if s := Slug(string(data)); s == "" || len(s) > 80 || !utf8.ValidString(s) {
			t.Fatalf("Slug = %q", s)
		}
		fuzzRead(t, data, FormatAuto)
	})
}
