package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sleeps records the waits a Fetcher asked for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.d = append(s.d, d)
	}
	return ctx.Err()
}

// testOptions allow loopback test servers and never sleep.
func testOptions(s *sleeps) Options {
	if s == nil {
		s = &sleeps{}
	}
	return Options{AllowPrivate: true, HostInterval: -1, Sleep: s.sleep}
}

func server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h) // binds 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

func wantErr(t *testing.T, err error, target error, input string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) || !errors.Is(err, target) {
		t.Fatalf("got %v (%T), want an *InputError wrapping %v", err, err, target)
	}
	if input != "" && ie.Input != input {
		t.Errorf("error names %q, want %q", ie.Input, input)
	}
}

func TestReadURLs(t *testing.T) {
	rss := mustRead(t, "testdata/sahel.rss")
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/article":
			if r.Header.Get("User-Agent") != DefaultUserAgent {
				http.Error(w, "bad agent", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><p>Des tirs à Kaya.</p></body></html>")
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(rss)
		case "/empty":
		default:
			http.NotFound(w, r)
		}
	})
	res := read(t, []string{srv.URL + "/article", srv.URL + "/feed", srv.URL + "/missing", srv.URL + "/empty"}, testOptions(nil))
	if len(res.reports) != 3 {
		t.Fatalf("docs %v errors %v", res.docs(), res.errs)
	}
	page := res.reports[0]
	if page.Format != FormatHTML || page.URL != srv.URL+"/article" || page.Outlet != "127.0.0.1" || !strings.HasSuffix(page.Doc, "-article") {
		t.Errorf("page %+v", page)
	}
	if res.reports[1].Doc != "news-example-org-2024-05-attaque-djibo" {
		t.Errorf("feed item %+v", res.reports[1])
	}
	if len(res.errs) != 2 || !errors.Is(res.errs[0], ErrNotFound) || !errors.Is(res.errs[0], ErrFetch) || !errors.Is(res.errs[1], ErrEmpty) {
		t.Errorf("errors %v", res.errs)
	}
}

func TestFetchRefusesSchemes(t *testing.T) {
	f := NewFetcher(testOptions(nil))
	for _, u := range []string{"file:///etc/passwd", "gopher://example.org/1", "ftp://example.org/x", "http:///nohost"} {
		_, err := f.Fetch(context.Background(), u)
		wantErr(t, err, ErrBlocked, u)
	}
	res := read(t, []string{"file:///etc/hostname"}, Options{})
	if len(res.errs) != 1 || !errors.Is(res.errs[0], ErrBlocked) {
		t.Errorf("Read file://: %v", res.errs)
	}
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := server(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	opts := Options{HostInterval: -1, IgnoreRobots: true} // default rule: public addresses only
	f := NewFetcher(opts)
	for _, u := range []string{
		srv.URL, // literal loopback: refused before dialling
		fmt.Sprintf("http://localhost:%d/", port), // a name: refused at dial time, after resolving
		"http://[::ffff:127.0.0.1]:1/",
		"http://100.64.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
	} {
		_, err := f.Fetch(context.Background(), u)
		wantErr(t, err, ErrBlocked, u)
	}
	if hits.Load() != 0 {
		t.Errorf("server was reached %d times", hits.Load())
	}
	for ip, want := range map[string]bool{"8.8.8.8": true, "2001:4860::1": true, "10.1.2.3": false, "192.168.0.1": false,
		"fe80::1": false, "::1": false, "224.0.0.1": false, "100.100.0.1": false, "fd00::1": false} {
		if got := IsPublic(net.ParseIP(ip)); got != want {
			t.Errorf("IsPublic(%s) = %v", ip, got)
		}
	}
}

func TestRedirectToPrivateAddressRefused(t *testing.T) {
	var hits atomic.Int32
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	opts := testOptions(nil)
	opts.AllowPrivate = false
	opts.IgnoreRobots = true
	opts.Allow = func(ip net.IP) bool { return ip.Equal(net.IPv4(127, 0, 0, 1)) }
	f := NewFetcher(opts)
	for _, target := range []string{"http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]:9/", "http://192.168.1.1:8080/admin", "file:///etc/passwd"} {
		u := srv.URL + "/?to=" + url.QueryEscape(target)
		before := hits.Load()
		_, err := f.Fetch(context.Background(), u)
		wantErr(t, err, ErrBlocked, u)
		if hits.Load() != before+1 {
			t.Errorf("%s: first hop not fetched", target)
		}
	}
}

func TestRedirectLimit(t *testing.T) {
	// /r/N redirects N more times before answering.
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/r/%d", &n)
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, "ok")
	})
	f := NewFetcher(testOptions(nil))
	if p, err := f.Fetch(context.Background(), srv.URL+"/r/5"); err != nil || p.URL != srv.URL+"/r/0" {
		t.Errorf("five redirects: %v, %v", p, err)
	}
	_, err := f.Fetch(context.Background(), srv.URL+"/r/6")
	wantErr(t, err, ErrFetch, srv.URL+"/r/6")
}

func TestFetchSizeCaps(t *testing.T) {
	bomb := gzipZeros(t, 100<<20)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/big":
			w.Write(bytes.Repeat([]byte("Mopti "), 1000))
		case "/chunked": // no Content-Length: only the LimitReader can stop it
			for range 100 {
				w.Write(bytes.Repeat([]byte("Gao "), 100))
				w.(http.Flusher).Flush()
			}
		}
	})
	for _, tt := range []struct {
		path string
		max  int64
	}{
		// The cap is above the ~100 KB on the wire, so only a cap on the
		// decoded bytes stops the bomb.
		{"/bomb", 1 << 20},
		{"/big", 1 << 12},
		{"/chunked", 1 << 12},
	} {
		opts := testOptions(nil)
		opts.MaxBytes = tt.max
		_, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+tt.path)
		wantErr(t, err, ErrTooLarge, srv.URL+tt.path)
	}
	if len(bomb) >= 1<<20 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
}

func TestFetchDecodesGzip(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, "Des tirs à Kaya.")
	zw.Close()
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "no gzip", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	})
	p, err := NewFetcher(testOptions(nil)).Fetch(context.Background(), srv.URL+"/a.txt")
	if err != nil || string(p.Body) != "Des tirs à Kaya." {
		t.Errorf("got %v, %v", p, err)
	}
}

// gzipZeros makes a gzip stream of n zero bytes (n a multiple of 1 MiB)
// cheaply: one compressed MiB repeated as concatenated gzip members, which
// a gzip reader decodes as one stream. 100 MB costs about 100 KB.
func gzipZeros(t *testing.T, n int) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), n/(1<<20))
}

func TestSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	opts := testOptions(nil)
	opts.Timeout = 50 * time.Millisecond
	_, err := NewFetcher(opts).Fetch(context.Background(), srv.URL)
	wantErr(t, err, ErrFetch, srv.URL)
}

func TestRetries(t *testing.T) {
	var n atomic.Int32
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		k := n.Add(1)
		switch {
		case r.URL.Path == "/429" && k == 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/429-long" && k == 1:
			w.Header().Set("Retry-After", "86400")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/503" && k <= 3, r.URL.Path == "/500":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, "ok")
		}
	})
	tests := []struct {
		path      string
		wantSleep []time.Duration
		wantCalls int32
		wantErr   error
	}{
		{"/429", []time.Duration{7 * time.Second}, 2, nil},
		{"/429-long", []time.Duration{DefaultMaxRetryAfter}, 2, nil},
		{"/503", []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, 4, nil},
		{"/500", []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, 4, ErrFetch},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			n.Store(0)
			s := &sleeps{}
			opts := testOptions(s)
			opts.IgnoreRobots = true
			p, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+tt.path)
			if tt.wantErr != nil {
				wantErr(t, err, tt.wantErr, "")
			} else if err != nil || string(p.Body) != "ok" {
				t.Fatalf("page %v err %v", p, err)
			}
			if !slices.Equal(s.d, tt.wantSleep) || n.Load() != tt.wantCalls {
				t.Errorf("slept %v in %d calls, want %v in %d", s.d, n.Load(), tt.wantSleep, tt.wantCalls)
			}
		})
	}
}

func TestHostRateLimit(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	s := &sleeps{}
	opts := testOptions(s)
	opts.HostInterval = 0 // the default, one second
	opts.IgnoreRobots = true
	f := NewFetcher(opts)
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	for range 3 {
		if _, err := f.Fetch(context.Background(), srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !slices.Equal(s.d, want) {
		t.Errorf("waits %v, want %v", s.d, want)
	}
}

func TestRobots(t *testing.T) {
	var robotsHits atomic.Int32
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: sahelwatch\nDisallow: /private/\nAllow: /private/open\n")
			return
		}
		fmt.Fprint(w, "ok")
	})
	f := NewFetcher(testOptions(nil))
	for path, allowed := range map[string]bool{"/news": true, "/private/x": false, "/private/open/1": true, "/": true} {
		_, err := f.Fetch(context.Background(), srv.URL+path)
		if allowed && err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if !allowed {
			wantErr(t, err, ErrBlocked, srv.URL+path)
		}
	}
	// Concurrent first requests to a new fetcher share one robots.txt fetch.
	f = NewFetcher(testOptions(nil))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), srv.URL+"/news"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if robotsHits.Load() != 2 {
		t.Errorf("robots.txt fetched %d times, want once per fetcher", robotsHits.Load())
	}
}

func TestRobotsServerErrorDisallows(t *testing.T) {
	var pages atomic.Int32
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		pages.Add(1)
	})
	_, err := NewFetcher(testOptions(nil)).Fetch(context.Background(), srv.URL+"/news")
	wantErr(t, err, ErrBlocked, srv.URL+"/news")
	if pages.Load() != 0 {
		t.Error("page fetched although robots.txt failed")
	}
}

func TestParseRobots(t *testing.T) {
	const txt = `# comment
User-agent: Googlebot
Disallow: /

User-agent: *
User-agent: otherbot
Disallow: /search
Disallow: /*.pdf$
Allow: /search/about
Disallow:
`
	tests := []struct {
		agent, path string
		want        bool
	}{
		{"sahelwatch", "/news/1", true},
		{"sahelwatch", "/search?q=gao", false},
		{"sahelwatch", "/search/about", true},
		{"sahelwatch", "/files/report.pdf", false},
		{"sahelwatch", "/files/report.pdf?x=1", true},
		{"googlebot", "/news/1", false},
	}
	for _, tt := range tests {
		if got := parseRobots([]byte(txt), tt.agent).allows(tt.path); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.agent, tt.path, got, tt.want)
		}
	}
	if !parseRobots([]byte("User-agent: sahelwatch\nDisallow:\n\nUser-agent: *\nDisallow: /\n"), "sahelwatch").allows("/x") {
		t.Error("an empty Disallow in our own group should allow all")
	}
}

func TestPollConditional(t *testing.T) {
	rss := string(mustRead(t, "testdata/sahel.rss"))
	var (
		mu      sync.Mutex
		body    = rss
		headers []string
	)
	const etag, lastMod = `"v1"`, "Wed, 15 May 2024 12:00:00 GMT"
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		headers = append(headers, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
		if r.URL.Path == "/etag" && r.Header.Get("If-None-Match") == etag && body == rss {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.URL.Path == "/lastmod" && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.URL.Path == "/etag" {
			w.Header().Set("ETag", etag)
		} else {
			w.Header().Set("Last-Modified", lastMod)
		}
		io.WriteString(w, body)
	})
	f := NewFetcher(testOptions(nil))
	ctx := context.Background()
	for _, p := range []string{"/etag", "/lastmod"} {
		var st FeedState
		got, err := f.Poll(ctx, srv.URL+p, &st)
		if err != nil || len(got) != 2 {
			t.Fatalf("%s first poll: %d reports, %v", p, len(got), err)
		}
		got, err = f.Poll(ctx, srv.URL+p, &st)
		if err != nil || got != nil {
			t.Fatalf("%s second poll: %v, %v; want nothing on 304", p, got, err)
		}
	}
	if want := []string{"|", `"v1"|`, "|", "|" + lastMod}; !slices.Equal(headers, want) {
		t.Errorf("conditional headers %q, want %q", headers, want)
	}

	// A changed feed: only the new item comes back.
	var st FeedState
	if _, err := f.Poll(ctx, srv.URL+"/etag", &st); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	body = strings.Replace(rss, "<item>", "<item><title>Nouvelle attaque à Kaya</title><link>https://news.example.org/kaya</link><description>Kaya.</description></item><item>", 1)
	mu.Unlock()
	got, err := f.Poll(ctx, srv.URL+"/etag", &st)
	if err != nil || len(got) != 1 || got[0].Doc != "news-example-org-kaya" || got[0].Hash == "" {
		t.Errorf("changed feed: %+v, %v", got, err)
	}
	if len(st.Seen) != 3 {
		t.Errorf("seen %v", st.Seen)
	}
}

func TestPollMalformedAndHuge(t *testing.T) {
	huge := func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>`)
		for i := range 100_000 {
			fmt.Fprintf(w, "<item><title>t%d</title><link>https://flood.example/%d</link><description>d</description></item>", i, i)
		}
		io.WriteString(w, "</channel></rss>")
	}
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/broken":
			w.Write(mustRead(t, "testdata/broken.rss"))
		case "/html":
			io.WriteString(w, "<html><body>not a feed</body></html>")
		case "/huge":
			huge(w)
		}
	})
	f := NewFetcher(testOptions(nil))
	defer f.Close()
	for _, p := range []string{"/broken", "/html"} {
		st := FeedState{ETag: "keep"}
		_, err := f.Poll(context.Background(), srv.URL+p, &st)
		wantErr(t, err, ErrMalformed, srv.URL+p)
		if st.ETag != "keep" {
			t.Error("state changed by a failed poll")
		}
	}
	res := read(t, []string{srv.URL + "/huge"}, testOptions(nil))
	if len(res.reports) != DefaultMaxItems || len(res.errs) != 1 || !errors.Is(res.errs[0], ErrTruncated) {
		t.Errorf("Read: %d reports, errors %v", len(res.reports), res.errs)
	}
	got, err := f.Poll(context.Background(), srv.URL+"/huge", &FeedState{})
	wantErr(t, err, ErrTruncated, srv.URL+"/huge")
	if len(got) != DefaultMaxItems || got[999].URL != "https://flood.example/999" {
		t.Errorf("got %d items", len(got))
	}
}
