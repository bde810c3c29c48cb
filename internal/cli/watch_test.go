package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/source"
)

// loopbackOnly lets the fetcher reach the test's own servers and nothing
// else: every private, link-local or public address stays refused. It
// also drops the per-host wait, so the tests never sleep.
func loopbackOnly(t *testing.T) {
	t.Helper()
	fetchHook = func(o *source.Options) {
		o.Allow = func(ip net.IP) bool { return ip.IsLoopback() }
		o.HostInterval = -1
		o.MaxRetries = -1
		o.Timeout = 2 * time.Second // bounds the slow server, never asserted on
		o.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	}
	t.Cleanup(func() { fetchHook = nil })
}

// Feed items in our own words.
var feedItems = []struct{ guid, title, body string }{
	{"boni-1", "Army post attacked in Boni",
		"On Sunday, JNIM fighters attacked the army post in Boni, killing 11 soldiers, the army said on Monday."},
	{"tessit-1", "Market raid near Tessit",
		"On Saturday, gunmen killed seven traders at the market of Tessit, in the Gao region, local officials said."},
	{"djibo-1", "Convoy ambushed near Djibo",
		"On Friday, militants ambushed a supply convoy near Djibo, killing four soldiers, a security source said."},
}

func rss(items int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel desk</title><link>https://desk.example.org/</link>`)
	for _, it := range feedItems[:items] {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://desk.example.org/%s</link><guid>%s</guid>
			<pubDate>Tue, 11 Jun 2024 08:00:00 GMT</pubDate><description>%s</description></item>`, it.title, it.guid, it.guid, it.body)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// feedServer serves a good feed with ETags, a malformed feed, a slow feed
// that never answers, and a redirect to a private address.
type feedServer struct {
	*httptest.Server
	mu          sync.Mutex
	items       int // how many items the good feed carries
	conditional int // requests of the good feed that carried If-None-Match
	notModified int
	release     chan struct{}
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{items: 2, release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		etag := fmt.Sprintf(`"v%d"`, fs.items)
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			fs.conditional++
			if inm == etag {
				fs.notModified++
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss(fs.items))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss><channel><item><title>cut off`)
	})
	mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) {
		select { // answers only when the client gives up or the test ends
		case <-r.Context().Done():
		case <-fs.release:
		}
	})
	mux.HandleFunc("/moved.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.20.30.40/feed.xml", http.StatusFound)
	})
	mux.HandleFunc("/article.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%s</title><meta property="article:published_time" content="2024-06-11"></head>
			<body><article><h1>%s</h1><p>%s</p><p>Residents said the fighting lasted several hours.</p></article></body></html>`,
			feedItems[0].title, feedItems[0].title, feedItems[0].body)
	})
	fs.Server = httptest.NewServer(mux) // binds 127.0.0.1
	t.Cleanup(func() { close(fs.release); fs.Close() })
	return fs
}

func exportEvents(t *testing.T, db string) string {
	t.Helper()
	out, errs, code := sw(t, "", "export", "--db", db)
	if code != 0 {
		t.Fatalf("export: code %d: %s", code, errs)
	}
	return out
}

func TestWatch(t *testing.T) {
	loopbackOnly(t)
	srv := newFeedServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sw.db")
	feeds := write(t, dir, "feeds.txt", []byte(fmt.Sprintf(`# test feeds
%[1]s/feed.xml 30m Sahel desk
%[1]s/broken.xml
%[1]s/slow.xml
%[1]s/moved.xml 1h
`, srv.URL)))

	out, errs, code := sw(t, "", "watch", "--db", db, "--feeds", feeds, "--once")
	if code != exitFailed {
		t.Fatalf("first poll: code %d, want %d (three bad feeds)\n%s\n%s", code, exitFailed, out, errs)
	}
	if !strings.Contains(out, "polled 4 feeds (3 failed): 2 new items") {
		t.Errorf("first poll output %q", out)
	}
	first := exportEvents(t, db)
	if n := strings.Count(first, "\n"); n == 0 {
		t.Fatalf("no events from the feed")
	}
	for _, it := range feedItems[:2] {
		if !strings.Contains(first, "https://desk.example.org/"+it.guid) {
			t.Errorf("export lacks the source URL of %s", it.guid)
		}
	}
	if !strings.Contains(first, `"outlet":"Sahel desk"`) {
		t.Errorf("the feed's name is not the items' outlet")
	}

	// The state file keeps the validators and each feed's last error.
	b, err := os.ReadFile(db + ".feeds.json")
	if err != nil {
		t.Fatal(err)
	}
	var state watchState
	if err := json.Unmarshal(b, &state); err != nil {
		t.Fatal(err)
	}
	if rec := state.Feeds[srv.URL+"/feed.xml"]; rec == nil || rec.ETag != `"v2"` || len(rec.Seen) != 2 || rec.LastError != "" {
		t.Errorf("good feed state = %+v", rec)
	}
	for _, tc := range []struct{ path, want string }{
		{"/broken.xml", "malformed"}, {"/slow.xml", "fetch"}, {"/moved.xml", "10.20.30.40 is not public"},
	} {
		rec := state.Feeds[srv.URL+tc.path]
		if rec == nil || !strings.Contains(strings.ToLower(rec.LastError), tc.want) {
			t.Errorf("%s state = %+v, want an error mentioning %q", tc.path, rec, tc.want)
		}
	}

	// A re-poll asks conditionally, gets 304 and adds nothing.
	out, _, _ = sw(t, "", "watch", "--db", db, "--feeds", feeds, "--once")
	if !strings.Contains(out, ": 0 new items") {
		t.Errorf("re-poll output %q", out)
	}
	srv.mu.Lock()
	if srv.conditional != 1 || srv.notModified != 1 {
		t.Errorf("re-poll: %d conditional requests, %d answered 304; want 1, 1", srv.conditional, srv.notModified)
	}
	srv.items = 3 // the feed gains an item
	srv.mu.Unlock()
	if again := exportEvents(t, db); again != first {
		t.Errorf("a re-poll changed the export")
	}

	// Only the new item is ingested; the two seen ones are not offered again.
	out, _, _ = sw(t, "", "watch", "--db", db, "--feeds", feeds, "--once")
	if !strings.Contains(out, ": 1 new items") {
		t.Errorf("poll after the feed changed: %q", out)
	}
	if third := exportEvents(t, db); !strings.Contains(third, "desk.example.org/djibo-1") {
		t.Errorf("the new item's events are missing")
	}
}

func TestWatchUsage(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, dir, "bad.txt", []byte("ftp://example.org/feed\n"))
	short := write(t, dir, "short.txt", []byte("https://example.org/feed 10s\n"))
	empty := write(t, dir, "empty.txt", []byte("# nothing\n\n"))
	dup := write(t, dir, "dup.txt", []byte("https://example.org/f\nhttps://example.org/f 1h\n"))
	db := filepath.Join(dir, "sw.db")
	for _, args := range [][]string{
		{"watch", "--db", db},
		{"watch", "--db", db, "--feeds", bad},
		{"watch", "--db", db, "--feeds", short},
		{"watch", "--db", db, "--feeds", empty},
		{"watch", "--db", db, "--feeds", dup},
		{"watch", "--db", db, "--feeds", empty, "--interval", "5s"},
		{"watch", "--db", db, "--feeds", filepath.Join(dir, "missing.txt")},
	} {
		if _, _, code := sw(t, "", args...); code != exitUsage {
			t.Errorf("%v: code %d, want %d", args, code, exitUsage)
		}
	}
}

func TestParseFeeds(t *testing.T) {
	feeds, err := parseFeeds(strings.NewReader("# c\nhttps://a.example/rss\n  https://b.example/atom.xml 2h Le Journal du Sahel \n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []feedSpec{{URL: "https://a.example/rss"}, {URL: "https://b.example/atom.xml", Interval: 2 * time.Hour, Name: "Le Journal du Sahel"}}
	if fmt.Sprint(feeds) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", feeds, want)
	}
}

func FuzzParseFeeds(f *testing.F) {
	f.Add("https://a.example/rss 15m Name\n# comment\n")
	f.Add("\x00\xff http://[::1 \n")
	f.Fuzz(func(t *testing.T, s string) {
		feeds, err := parseFeeds(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, fd := range feeds {
			if !strings.HasPrefix(fd.URL, "http://") && !strings.HasPrefix(fd.URL, "https://") {
				t.Errorf("accepted %q", fd.URL)
			}
		}
	})
}

// ingest URL fetches one page; the fetcher refuses loopback unless allowed.
// Not parallel: it sets the environment.
func TestIngestURL(t *testing.T) {
	srv := newFeedServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "sw.db")
	_, errs, code := sw(t, "", "ingest", "-q", "--db", db, srv.URL+"/article.html")
	if code != exitFailed || !strings.Contains(errs, "not public") {
		t.Errorf("loopback page without permission: code %d, stderr %q", code, errs)
	}
	loopbackOnly(t)
	// ingest also honours the operator's allow-list.
	t.Setenv("SAHELWATCH_ALLOW_PRIVATE", "127.0.0.1")
	out, errs, code := sw(t, "", "ingest", "-q", "--db", db, srv.URL+"/article.html")
	if code != 0 || !strings.HasPrefix(out, "1 reports read") {
		t.Fatalf("ingest URL: code %d\n%s\n%s", code, out, errs)
	}
	exp := exportEvents(t, db)
	if !strings.Contains(exp, srv.URL+"/article.html") || !strings.Contains(exp, "Boni") {
		t.Errorf("export lacks the page's event and URL: %s", exp)
	}
}
