package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// result is everything one Read call yielded.
type result struct {
	reports []event.Report
	errs    []*InputError
}

func (r result) docs() []string {
	var out []string
	for _, rep := range r.reports {
		out = append(out, rep.Doc)
	}
	return out
}

func read(t *testing.T, inputs []string, opts Options) result {
	t.Helper()
	var res result
	err := Read(context.Background(), inputs, opts, func(r event.Report, err error) error {
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("yielded error %v (%T) is not an *InputError", err, err)
			}
			res.errs = append(res.errs, ie)
			return nil
		}
		if r.Hash != hashOf(r.Raw) {
			t.Errorf("%s: hash not set from Raw", r.Doc)
		}
		res.reports = append(res.reports, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return res
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadBadInputs(t *testing.T) {
	dir := t.TempDir()
	ctl := bytes.Repeat([]byte("ab\x01\x02\x03\x04"), 100)
	tests := []struct {
		name    string
		content []byte // nil: the path does not exist
		isDir   bool
		want    error
	}{
		{"missing.txt", nil, false, ErrNotFound},
		{"empty.txt", []byte{}, false, ErrEmpty},
		{"blank.txt", []byte(" \n\t\n"), false, ErrEmpty},
		{"nul.txt", []byte("text\x00with a NUL"), false, ErrBinary},
		{"control.txt", ctl, false, ErrBinary},
		{"big.txt", bytes.Repeat([]byte("Gao. "), 1000), false, ErrTooLarge},
		{"emptydir", nil, true, ErrEmpty},
		{"emptyfeed.rss", []byte(`<rss version="2.0"><channel><title>x</title></channel></rss>`), false, ErrEmpty},
		{"broken.rss", mustRead(t, "testdata/broken.rss"), false, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			switch {
			case tt.isDir:
				writeFile(t, filepath.Join(path, "skip.pdf"), []byte("not a report"))
			case tt.content != nil:
				writeFile(t, path, tt.content)
			}
			res := read(t, []string{path}, Options{MaxBytes: 1 << 10})
			if len(res.reports) != 0 || len(res.errs) != 1 {
				t.Fatalf("got %d reports, errors %v; want one error", len(res.reports), res.errs)
			}
			if !errors.Is(res.errs[0], tt.want) || res.errs[0].Input != path {
				t.Errorf("got %v (input %q), want %v for %s", res.errs[0], res.errs[0].Input, tt.want, path)
			}
		})
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadKeepsRawBytes(t *testing.T) {
	dir := t.TempDir()
	latin1 := []byte("Attaque \xe0 Mopti, les habitants ont fui.\n") // ISO-8859-1, not UTF-8
	utf16 := []byte{0xff, 0xfe, 'G', 0, 'a', 0, 'o', 0, '\n', 0}
	a := writeFile(t, filepath.Join(dir, "latin1.txt"), latin1)
	b := writeFile(t, filepath.Join(dir, "copy.text"), latin1)
	c := writeFile(t, filepath.Join(dir, "wide.txt"), utf16)
	res := read(t, []string{a, b, c}, Options{})
	if len(res.errs) != 0 || len(res.reports) != 3 {
		t.Fatalf("reports %v errors %v", res.docs(), res.errs)
	}
	if !bytes.Equal(res.reports[0].Raw, latin1) || !bytes.Equal(res.reports[2].Raw, utf16) {
		t.Error("raw bytes changed")
	}
	if res.reports[0].Hash != res.reports[1].Hash {
		t.Error("the same content under two names should hash the same")
	}
	if got := res.docs(); !slices.Equal(got, []string{"latin1", "copy", "wide"}) {
		t.Errorf("docs %v", got)
	}
}

func TestReadDirectoryWalk(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("Report from Kaya."))
	writeFile(t, filepath.Join(dir, "sub", "b.HTML"), []byte("<p>Report from Dori.</p>"))
	writeFile(t, filepath.Join(dir, "sub", "deeper", "c.md"), []byte("# Gao\nA quiet day."))
	writeFile(t, filepath.Join(dir, "sub", "d.jsonl"), []byte(`{"doc":"j1","text":"one"}`+"\n"+`{"doc":"j2","text":"two"}`+"\n"))
	writeFile(t, filepath.Join(dir, ".hidden.txt"), []byte("hidden"))
	writeFile(t, filepath.Join(dir, ".git", "e.txt"), []byte("in a hidden folder"))
	writeFile(t, filepath.Join(dir, "photo.jpg"), []byte("not a report"))
	writeFile(t, filepath.Join(dir, "empty.txt"), nil)
	res := read(t, []string{dir}, Options{})
	if got, want := res.docs(), []string{"a", "b", "j1", "j2", "c"}; !slices.Equal(got, want) {
		t.Errorf("docs %v, want %v", got, want)
	}
	if len(res.errs) != 1 || !errors.Is(res.errs[0], ErrEmpty) || !strings.HasSuffix(res.errs[0].Input, "empty.txt") {
		t.Errorf("errors %v, want one ErrEmpty for empty.txt", res.errs)
	}
	if res.reports[1].Format != FormatHTML || res.reports[0].Format != FormatText {
		t.Errorf("formats %q %q", res.reports[0].Format, res.reports[1].Format)
	}
}

func TestReadStdin(t *testing.T) {
	tests := []struct {
		name, in, format string
		wantDocs         []string
		wantFormat       string
	}{
		{"text", "Des tirs à Kaya.\n", "", []string{"stdin"}, FormatText},
		{"html", "<html><body><p>Mopti</p></body></html>", "", []string{"stdin"}, FormatHTML},
		{"jsonl sniffed", `{"doc":"x1","text":"a"}` + "\n\n" + `{"doc":"x2","text":"b"}`, "", []string{"x1", "x2"}, FormatText},
		{"forced text", `{"doc":"x1","text":"a"}`, FormatText, []string{"stdin"}, FormatText},
		{"feed sniffed", string(mustRead(t, "testdata/sahel.rss")), "", []string{"news-example-org-2024-05-attaque-djibo", "wire-2024-0515-gao"}, FormatHTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, []string{"-"}, Options{Stdin: strings.NewReader(tt.in), Format: tt.format})
			if len(res.errs) != 0 || !slices.Equal(res.docs(), tt.wantDocs) {
				t.Fatalf("docs %v errors %v, want %v", res.docs(), res.errs, tt.wantDocs)
			}
			if res.reports[0].Format != tt.wantFormat {
				t.Errorf("format %q, want %q", res.reports[0].Format, tt.wantFormat)
			}
		})
	}
	res := read(t, []string{"-"}, Options{Stdin: strings.NewReader("")})
	if len(res.errs) != 1 || !errors.Is(res.errs[0], ErrEmpty) || res.errs[0].Input != "-" {
		t.Errorf("empty stdin: %v", res.errs)
	}
}

func TestReadJSONL(t *testing.T) {
	path := "testdata/reports.jsonl"
	res := read(t, []string{path}, Options{})
	if got, want := res.docs(), []string{"mopti-1", "niamey-2", "html-3"}; !slices.Equal(got, want) {
		t.Errorf("docs %v, want %v", got, want)
	}
	var inputs []string
	for _, e := range res.errs {
		inputs = append(inputs, e.Input)
	}
	if want := []string{path + ":2", path + ":5"}; !slices.Equal(inputs, want) {
		t.Fatalf("errors at %v, want %v (%v)", inputs, want, res.errs)
	}
	if !errors.Is(res.errs[0], ErrMalformed) || !errors.Is(res.errs[1], ErrEmpty) {
		t.Errorf("errors %v", res.errs)
	}
	r := res.reports[0]
	if r.Published.Format("2006-01-02") != "2024-03-02" || r.DateSource != "input" || r.URL != "https://example.org/a" || r.Lang != "en" {
		t.Errorf("first report %+v", r)
	}
	if !res.reports[1].Published.IsZero() || res.reports[1].Title != "Niamey" {
		t.Errorf("null published: %+v", res.reports[1])
	}
	if r := res.reports[2]; r.Format != FormatHTML || !strings.HasPrefix(string(r.Raw), "<p>A bridge") || r.Published.Hour() != 9 {
		t.Errorf("html report %+v", r)
	}
}

func TestReadJSONLLineCap(t *testing.T) {
	long := `{"doc":"long","text":"` + strings.Repeat("x", 300) + `"}`
	in := `{"doc":"a","text":"short"}` + "\n" + long + "\n" + `{"doc":"b","text":"after"}` + "\n" + `{"doc":"c","text":"bad date","published":"May 3"}`
	res := read(t, []string{"-"}, Options{Stdin: strings.NewReader(in), MaxBytes: 100})
	if !slices.Equal(res.docs(), []string{"a", "b"}) {
		t.Errorf("docs %v", res.docs())
	}
	if len(res.errs) != 2 || !errors.Is(res.errs[0], ErrTooLarge) || res.errs[0].Input != "-:2" ||
		!errors.Is(res.errs[1], ErrMalformed) || res.errs[1].Input != "-:4" {
		t.Errorf("errors %v", res.errs)
	}
}

func TestReadCSV(t *testing.T) {
	path := "testdata/reports.csv"
	res := read(t, []string{path}, Options{})
	if got, want := res.docs(), []string{"ouaga-1", "dori-3"}; !slices.Equal(got, want) {
		t.Errorf("docs %v, want %v", got, want)
	}
	if len(res.errs) != 1 || !errors.Is(res.errs[0], ErrMalformed) || res.errs[0].Input != path+":3" {
		t.Fatalf("errors %v, want ErrMalformed at %s:3", res.errs, path)
	}
	if r := res.reports[0]; r.Published.Format("2006-01-02") != "2024-02-10" || r.URL != "https://example.org/o1" ||
		!strings.Contains(string(r.Raw), "Ouahigouya, passengers") {
		t.Errorf("first report %+v", r)
	}

	// A header without a text column, and a runaway quoted field.
	dir := t.TempDir()
	noText := writeFile(t, filepath.Join(dir, "notext.csv"), []byte("doc,url\na,b\n"))
	huge := writeFile(t, filepath.Join(dir, "huge.csv"), []byte("doc,text\na,\""+strings.Repeat("y", 50000)+"\"\n"))
	res = read(t, []string{noText, huge}, Options{MaxBytes: 1000})
	if len(res.reports) != 0 || len(res.errs) != 2 || !errors.Is(res.errs[0], ErrMalformed) || !errors.Is(res.errs[1], ErrTooLarge) {
		t.Errorf("reports %v errors %v", res.docs(), res.errs)
	}
}

func TestReadFeedFiles(t *testing.T) {
	res := read(t, []string{"testdata/sahel.rss", "testdata/sahel.atom"}, Options{})
	if len(res.errs) != 0 || len(res.reports) != 4 {
		t.Fatalf("docs %v errors %v", res.docs(), res.errs)
	}
	rss, atom := res.reports[0], res.reports[2]
	if rss.Doc != "news-example-org-2024-05-attaque-djibo" || rss.URL != "https://news.example.org/2024/05/attaque-djibo" ||
		rss.Outlet != "Sahel Test Wire" || rss.Lang != "fr" || rss.Format != FormatHTML || rss.DateSource != "feed" ||
		rss.Published.Format("2006-01-02 15:04") != "2024-05-14 08:30" || !strings.HasPrefix(rss.Title, "Attaque contre") {
		t.Errorf("rss item %+v", rss)
	}
	if r := res.reports[1]; r.Doc != "wire-2024-0515-gao" || r.Format != FormatText || r.URL != "" {
		t.Errorf("guid-only item %+v", r)
	}
	if atom.Doc != "desk-example-net-en-tillaberi-fire" || atom.Lang != "en" || atom.Outlet != "Niger Desk (test)" || atom.Format != FormatHTML ||
		atom.Published.Format("2006-01-02") != "2024-06-01" || !strings.Contains(string(atom.Raw), "<p>Residents") {
		t.Errorf("atom entry %+v", atom)
	}
	if r := res.reports[3]; r.Published.Hour() != 7 || r.Format != FormatText {
		t.Errorf("published should win over updated: %+v", r)
	}
}

func TestReadYieldErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Read(context.Background(), []string{"testdata/reports.jsonl", "testdata/note.txt"}, Options{},
		func(event.Report, error) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err %v after %d calls", err, n)
	}
	if err := Read(context.Background(), nil, Options{Format: "pdf"}, nil); err == nil {
		t.Error("unknown format accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Read(ctx, []string{"testdata/note.txt"}, Options{}, func(event.Report, error) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		ext, ctype, head, want string
	}{
		{".txt", "", `{"doc":1}`, FormatText},
		{".xml", "", `<?xml version="1.0"?><!-- c --><rss version="2.0">`, FormatFeed},
		{".xml", "", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">`, FormatFeed},
		{"", "", `<feed xmlns="http://www.w3.org/2005/Atom">`, FormatFeed},
		{".xml", "", `<catalog><book/></catalog>`, FormatText},
		{".json", "", `{"version":"https://jsonfeed.org/version/1.1","items":[]}`, FormatFeed},
		{".json", "", `{"doc":"a"}`, FormatJSONL},
		{"", "", "{\"a\":1}\n\n  {\"b\":2}\n", FormatJSONL},
		{"", "", "{\"a\":1}\nplain line\n", FormatText},
		{"", "", "<!DOCTYPE html><html>", FormatHTML},
		{"", "", "Some text with <p>a tag</p>.", FormatHTML},
		{"", "", "Gao, 3 mai (AFP) - Des tirs...", FormatText},
		{"", "application/rss+xml; charset=utf-8", "garbage", FormatFeed},
		{"", "text/csv", "a,b", FormatCSV},
		{".CSV", "", "a,b", FormatCSV},
		{"", "", "\xef\xbb\xbf<rss>", FormatFeed},
	}
	for _, tt := range tests {
		if got := DetectFormat(tt.ext, tt.ctype, []byte(tt.head)); got != tt.want {
			t.Errorf("DetectFormat(%q, %q, %q) = %q, want %q", tt.ext, tt.ctype, tt.head, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.org/2024/05/Attaque-à-Djibo?id=3", "example-org-2024-05-attaque-djibo-id-3"},
		{"urn:uuid:1234-ABCD", "urn-uuid-1234-abcd"},
		{"---", "doc-"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Slug(%q) = %q, want prefix %q", tt.in, got, tt.want)
		}
	}
	long := Slug("https://example.org/" + strings.Repeat("a", 200))
	if len(long) > 80 || long == Slug("https://example.org/"+strings.Repeat("a", 201)) {
		t.Errorf("long slug %q", long)
	}
}

func TestFeedItemCap(t *testing.T) {
	rdf := `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">` +
		`<channel><title>R</title></channel>` + strings.Repeat(`<item><title>x</title><link>https://r.example/a</link></item>`, 5) + `</rdf:RDF>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>` +
		strings.Repeat(`<entry><title>y</title><content type="html">&lt;p&gt;Gao&nbsp;&lt;/p&gt;</content></entry>`, 5) + `</feed>`
	rss := string(floodFeed(5))
	for name, feed := range map[string]string{"rdf": rdf, "atom": atom, "rss": rss} {
		for _, max := range []int{2, 5} {
			r, err := parseFeed([]byte(feed), "https://feeds.example/x", max)
			if len(r) != min(max, 5) || (max < 5) != errors.Is(err, ErrTruncated) || (max == 5 && err != nil) {
				t.Errorf("%s max %d: %d reports, %v", name, max, len(r), err)
			}
		}
		if cut, ok := truncateFeed([]byte(feed), 2); !ok || bytes.Count(cut, []byte("<title>")) > 3 {
			t.Errorf("%s: truncateFeed did not cut: %s", name, cut)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	f := NewFetcher(Options{MaxRetryAfter: time.Minute})
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	tests := []struct {
		header  string
		attempt int
		want    time.Duration
	}{
		{"", 0, time.Second},
		{"", 2, 4 * time.Second},
		{"5", 0, 5 * time.Second},
		{"3600", 0, time.Minute},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 0, 30 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, 0},
		{"soon", 1, 2 * time.Second},
	}
	for _, tt := range tests {
		if got := f.retryDelay(tt.header, tt.attempt); got != tt.want {
			t.Errorf("retryDelay(%q, %d) = %v, want %v", tt.header, tt.attempt, got, tt.want)
		}
	}
}

func TestInputErrorMessage(t *testing.T) {
	err := error(&InputError{Input: "a.jsonl:3", Err: fmt.Errorf("%w: unexpected end", ErrMalformed)})
	if err.Error() != "source: a.jsonl:3: malformed: unexpected end" || !errors.Is(err, ErrMalformed) {
		t.Errorf("%v", err)
	}
}
