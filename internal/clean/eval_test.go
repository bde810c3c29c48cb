package clean

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// TestWriteCleaned writes cleaned texts for score_clean.py. It runs only
// when SAHELWATCH_CLEAN_OUT names an output folder:
//
//	SAHELWATCH_CLEAN_OUT=/tmp/out go test -run TestWriteCleaned ./internal/clean
//	python3 ../shared/eval/score_clean.py --gold ../shared/corpus/dev/boilerplate.jsonl --cleaned /tmp/out/dev
//	python3 ../shared/eval/score_clean.py --gold ../shared/corpus/html-bench/boilerplate.jsonl --cleaned /tmp/out/html
//
// /tmp/out/html-trafilatura holds go-trafilatura's own text, the baseline.
func TestWriteCleaned(t *testing.T) {
	out := os.Getenv("SAHELWATCH_CLEAN_OUT")
	if out == "" {
		t.Skip("SAHELWATCH_CLEAN_OUT not set")
	}
	shared := os.Getenv("SAHELWATCH_SHARED")
	if shared == "" {
		shared = "../../../shared"
	}
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, d := range []string{"dev", "html", "html-trafilatura"} {
		os.MkdirAll(filepath.Join(out, d), 0o755)
	}
	f, err := os.Open(filepath.Join(shared, "corpus/dev/reports.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	var ins []struct{ Doc, Text, URL string }
	for sc.Scan() {
		var in struct{ Doc, Text, URL string }
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	if os.Getenv("SAHELWATCH_CLEAN_FEED") != "" {
		var texts []string
		for _, in := range ins {
			texts = append(texts, in.Text)
		}
		c.Feed(texts)
	}
	for _, in := range ins {
		r := &event.Report{Doc: in.Doc, Raw: []byte(in.Text), Format: "text", URL: in.URL}
		if err := c.Clean(ctx, r); err != nil {
			t.Log(err)
		}
		os.WriteFile(filepath.Join(out, "dev", in.Doc+".txt"), []byte(r.Text), 0o644)
		t.Logf("%s lang=%s date=%s (%s)", in.Doc, r.Lang, r.Published.Format(time.DateOnly), r.DateSource)
	}
	pages, _ := filepath.Glob(filepath.Join(shared, "corpus/html-bench/pages/*.html"))
	var tc, tt time.Duration
	for _, p := range pages {
		doc := strings.TrimSuffix(filepath.Base(p), ".html")
		raw, _ := os.ReadFile(p)
		r := &event.Report{Doc: doc, Raw: raw}
		t0 := time.Now()
		if err := c.Clean(ctx, r); err != nil {
			t.Log(err)
		}
		tc += time.Since(t0)
		os.WriteFile(filepath.Join(out, "html", doc+".txt"), []byte(r.Text), 0o644)
		t0 = time.Now()
		res, err := trafilatura.Extract(strings.NewReader(string(raw)), trafilatura.Options{})
		tt += time.Since(t0)
		txt := ""
		if err == nil && res != nil {
			txt = res.ContentText
		}
		os.WriteFile(filepath.Join(out, "html-trafilatura", doc+".txt"), []byte(txt), 0o644)
	}
	t.Logf("html-bench: clean %v, trafilatura alone %v", tc, tt)
}
