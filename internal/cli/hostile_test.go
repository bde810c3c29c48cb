package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// The hostile input catalogue (issue 9): each input must end in an error
// that names it, never a crash or hang, and the store must keep exactly
// the events it had, in a file that passes SQLite's integrity check.

// baseline is a store holding the events of one good report.
type baseline struct {
	dir, db, export string
}

func newBaseline(t *testing.T) *baseline {
	t.Helper()
	dir := t.TempDir()
	b := &baseline{dir: dir, db: filepath.Join(dir, "sw.db")}
	good := write(t, dir, "good.txt", []byte(report))
	if _, errs, code := sw(t, "", "ingest", "-q", "--db", b.db, "--published", "2024-06-11", good); code != exitOK {
		t.Fatalf("baseline ingest: code %d: %s", code, errs)
	}
	b.export = exportJSONL(t, b.db)
	if strings.Count(b.export, "\n") == 0 {
		t.Fatal("baseline: nothing stored")
	}
	return b
}

func exportJSONL(t *testing.T, db string) string {
	t.Helper()
	out, errs, code := sw(t, "", "export", "--db", db, "--format", "jsonl")
	if code != exitOK {
		t.Fatalf("export: code %d: %s", code, errs)
	}
	return out
}

// ingestHostile runs one ingest of inputs and checks that it failed with
// exit code 1, that stderr names want, and that the store is intact.
func (b *baseline) ingestHostile(t *testing.T, want string, extra []string, inputs ...string) string {
	t.Helper()
	args := append([]string{"ingest", "-q", "--db", b.db}, extra...)
	_, errs, code := sw(t, "", append(args, inputs...)...)
	if code != exitFailed {
		t.Errorf("code %d, want %d (some input failed); stderr:\n%s", code, exitFailed, errs)
	}
	if !strings.Contains(errs, want) {
		t.Errorf("stderr does not name %q:\n%.2000s", want, errs)
	}
	b.checkIntact(t)
	return errs
}

func (b *baseline) checkIntact(t *testing.T) {
	t.Helper()
	if got := exportJSONL(t, b.db); got != b.export {
		t.Errorf("the stored events changed:\nbefore %.1000s\nafter  %.1000s", b.export, got)
	}
	integrityCheck(t, b.db)
}

// integrityCheck opens db as the CLI does and runs PRAGMA integrity_check.
func integrityCheck(t *testing.T, db string) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("store does not open: %v", err)
	}
	st.Close()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: %s", res)
	}
}

// heapGrowth runs f and returns how many bytes it allocated in total: a
// bound on what it can have held at once.
func heapGrowth(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// extraAlloc is what ingesting inputs allocates beyond an ingest of one
// tiny bad file, which pays for loading the gazetteer and the lexicons.
func (b *baseline) extraAlloc(t *testing.T, run func()) uint64 {
	t.Helper()
	tiny := write(t, b.dir, "tiny.bin", []byte{0, 1, 2, 0xff})
	base := heapGrowth(func() { sw(t, "", "ingest", "-q", "--db", b.db, tiny) })
	grew := heapGrowth(run)
	if grew < base {
		return 0
	}
	return grew - base
}

func TestHostileBinary(t *testing.T) {
	b := newBaseline(t)
	data := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	copy(data, "\x7fELF\x02\x01\x01\x00")
	p := write(t, b.dir, "program.txt", data)
	errs := b.ingestHostile(t, "program.txt", nil, p)
	if !strings.Contains(errs, "binary") {
		t.Errorf("the error does not say binary: %s", errs)
	}
}

// Invalid UTF-8 that is no legacy encoding's text either: control bytes
// and lone continuation bytes throughout.
func TestHostileInvalidUTF8(t *testing.T) {
	b := newBaseline(t)
	var buf bytes.Buffer
	for i := range 4000 {
		buf.WriteByte(byte(0x80 + i%64))
		buf.WriteString("\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc")
		if i%40 == 0 {
			buf.WriteByte('\n')
		}
	}
	p := write(t, b.dir, "garbled.txt", buf.Bytes())
	// Errors past the reader name the document, the file name without
	// its extension.
	b.ingestHostile(t, "garbled", nil, p)
}

// A 100 MB text is refused as too large without being read whole: what
// the refusal allocates does not grow with the file past the size cap.
func TestHostileHugeText(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 130 MB")
	}
	b := newBaseline(t)
	line := []byte(strings.Repeat("Gunmen attacked the market in Djibo on Sunday, residents said. ", 16) + "\n")
	writeRepeated := func(name string, size int) string {
		p := filepath.Join(b.dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < size; n += len(line) {
			if _, err := f.Write(line); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	over := writeRepeated("over.txt", 30<<20) // just past the 20 MB cap
	huge := writeRepeated("huge.txt", 100<<20)
	var errs string
	small := heapGrowth(func() { b.ingestHostile(t, "over.txt", nil, over) })
	large := heapGrowth(func() { errs = b.ingestHostile(t, "huge.txt", nil, huge) })
	if !strings.Contains(errs, "too large") {
		t.Errorf("the error does not say too large: %s", errs)
	}
	if large > small+25<<20 {
		t.Errorf("refusing 100 MB allocated %d MB, refusing 30 MB %d MB: the file was read past the cap", large>>20, small>>20)
	}
}

// 10,000 nested elements must neither overflow a stack nor hang; the page
// has no article, so the ingest fails with a reason.
func TestHostileDeepHTML(t *testing.T) {
	b := newBaseline(t)
	var buf bytes.Buffer
	buf.WriteString("<!DOCTYPE html><html><body>")
	for range 10000 {
		buf.WriteString("<div><span>")
	}
	buf.WriteString("x")
	for range 10000 {
		buf.WriteString("</span></div>")
	}
	buf.WriteString("</body></html>")
	p := write(t, b.dir, "deep.html", buf.Bytes())
	b.ingestHostile(t, "deep", nil, p)
}

// loopback serves h on 127.0.0.1 and lets URL inputs reach it, and only it.
func loopback(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Setenv("SAHELWATCH_ALLOW_PRIVATE", "127.0.0.1/32")
	return srv
}

// A 1 GB page of zeros that travels as 1 MB of gzip: the fetcher must
// stop decoding at its size cap.
func TestHostileGzipBomb(t *testing.T) {
	b := newBaseline(t)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 1024 {
		zw.Write(zeros)
	}
	zw.Close()
	srv := loopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	}))
	url := srv.URL + "/news/bomb.html"
	var errs string
	grew := b.extraAlloc(t, func() { errs = b.ingestHostile(t, url, nil, url) })
	if !strings.Contains(errs, "too large") {
		t.Errorf("the error does not say too large: %s", errs)
	}
	if grew > 100<<20 {
		t.Errorf("ingest allocated %d MB more for the bomb: decoding was not capped", grew>>20)
	}
}

// A feed of 100,000 items: the first items (up to the cap) are read, and
// the truncation is an error naming the feed. The items carry no events,
// so the stored events do not change.
func TestHostileHugeFeed(t *testing.T) {
	b := newBaseline(t)
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title><link>https://example.org/</link>`)
	for i := range 100000 {
		fmt.Fprintf(&buf, "<item><title>Market prices %d</title><link>https://example.org/p/%d</link><description>Millet sold for %d francs.</description></item>\n", i, i, 100+i%50)
	}
	buf.WriteString("</channel></rss>")
	p := write(t, b.dir, "flood.rss", buf.Bytes())
	errs := b.ingestHostile(t, "flood.rss", nil, p)
	if !strings.Contains(errs, "more than") {
		t.Errorf("the error does not say the feed was truncated: %.500s", errs)
	}
}

func TestHostileSchemes(t *testing.T) {
	b := newBaseline(t)
	for _, u := range []string{"file:///etc/passwd", "gopher://example.org/1/news", "ftp://example.org/report.txt"} {
		t.Run(u, func(t *testing.T) {
			errs := b.ingestHostile(t, u, nil, u)
			if !strings.Contains(errs, "scheme") {
				t.Errorf("the error does not name the scheme: %s", errs)
			}
		})
	}
}

// Redirects from an allowed server to private, link-local and loopback
// addresses are refused before any connection is made.
func TestHostileRedirectToPrivate(t *testing.T) {
	b := newBaseline(t)
	targets := []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.1/admin",
		"http://192.168.1.1/",
		"http://[::1]/",
		"http://127.0.0.2/", // loopback, but not the address the test allows
	}
	srv := loopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/r/%d", &i); err != nil || i >= len(targets) {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, targets[i], http.StatusFound)
	}))
	for i, target := range targets {
		t.Run(target, func(t *testing.T) {
			u := fmt.Sprintf("%s/r/%d", srv.URL, i)
			errs := b.ingestHostile(t, u, nil, u)
			if !strings.Contains(errs, "not public") {
				t.Errorf("the error does not say the address is refused: %s", errs)
			}
		})
	}
}

func TestHostileCSVBrokenQuote(t *testing.T) {
	b := newBaseline(t)
	csv := "doc,published,text\n" +
		"weather,2024-06-12,\"Rain is expected over Mopti this week.\"\n" +
		"broken,2024-06-12,\"The quote opens here and never closes\n" +
		"and the file ends inside it.\n"
	p := write(t, b.dir, "broken.csv", []byte(csv))
	errs := b.ingestHostile(t, "broken.csv:3", nil, p)
	if !strings.Contains(errs, "quote") && !strings.Contains(errs, "malformed") {
		t.Errorf("the error does not explain the broken record: %s", errs)
	}
}

// A 50 MB JSON line is skipped with an error naming its line, without
// being held whole (what it costs does not grow with the line past the
// cap); the line after it is still read.
func TestHostileHugeJSONLine(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 75 MB")
	}
	b := newBaseline(t)
	writeLine := func(name string, size int) string {
		p := filepath.Join(b.dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"doc":"big","published":"2024-06-12","text":"`)
		chunk := []byte(strings.Repeat("Gunmen attacked the market in Djibo. ", 1000))
		for n := 0; n < size; n += len(chunk) {
			f.Write(chunk)
		}
		f.WriteString("\"}\n" + `{"doc":"weather","published":"2024-06-12","text":"Rain is expected over Mopti this week."}` + "\n")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	over := writeLine("over.jsonl", 25<<20)
	big := writeLine("big.jsonl", 50<<20)
	var errs string
	small := heapGrowth(func() { b.ingestHostile(t, "over.jsonl:1", nil, over) })
	large := heapGrowth(func() { errs = b.ingestHostile(t, "big.jsonl:1", nil, big) })
	if !strings.Contains(errs, "too large") {
		t.Errorf("the error does not say too large: %s", errs)
	}
	if large > small+20<<20 {
		t.Errorf("skipping a 50 MB line allocated %d MB, a 25 MB line %d MB: the line was held past the cap", large>>20, small>>20)
	}
}

// The allow list itself: it adds what it names and nothing else.
func TestAllowPrivate(t *testing.T) {
	allow, err := allowPrivate("127.0.0.1/32, 10.20.0.0/16,::1")
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{
		"127.0.0.1": true, "127.0.0.2": false, "10.20.3.4": true, "10.21.0.1": false,
		"::1": true, "169.254.169.254": false, "8.8.8.8": true, "::ffff:127.0.0.1": true,
	} {
		if got := allow(net.ParseIP(ip)); got != want {
			t.Errorf("%s: allowed %v, want %v", ip, got, want)
		}
	}
	if a, err := allowPrivate(""); a != nil || err != nil {
		t.Errorf("empty list: allow set %v, error %v; want the default rule", a != nil, err)
	}
	if _, err := allowPrivate("localhost"); err == nil {
		t.Error("a host name was accepted")
	}
}
