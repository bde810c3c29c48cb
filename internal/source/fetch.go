package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Fetcher fetches web pages and feeds politely and safely (see the
// package documentation). It is safe for concurrent use; keep one for the
// life of the program so that connections, robots.txt answers and the
// per-host rate limit are shared.
type Fetcher struct {
	opts   Options
	client *http.Client
	// robotsClient fetches robots.txt itself: same safety checks, but no
	// robots check of its own.
	robotsClient *http.Client
	now          func() time.Time

	mu     sync.Mutex
	next   map[string]time.Time // host -> earliest time of its next request
	robots map[string]*robotsEntry
}

// Page is one fetched document.
type Page struct {
	URL          string // after redirects
	ContentType  string
	Body         []byte // decoded from gzip, at most Options.MaxBytes
	ETag         string
	LastModified string
	NotModified  bool // a 304 answer to a conditional request; Body is empty
}

// NewFetcher returns a Fetcher configured by opts (zero fields take the
// Default values; Format, MaxItems and Stdin are not used).
func NewFetcher(opts Options) *Fetcher {
	opts = opts.withDefaults()
	f := &Fetcher{
		opts:   opts,
		now:    time.Now,
		next:   map[string]time.Time{},
		robots: map[string]*robotsEntry{},
	}
	dialer := &net.Dialer{
		Timeout:   opts.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		// Control runs after the name is resolved and before connect, so
		// the address checked is the one dialled, whatever DNS said before.
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return fmt.Errorf("%w: bad address %q", ErrBlocked, address)
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("%w: bad address %q", ErrBlocked, address)
			}
			if !f.allowed(ip) {
				return fmt.Errorf("%w: address %s is not public", ErrBlocked, ip)
			}
			return nil
		},
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would be dialled instead of the checked address
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ResponseHeaderTimeout: opts.Timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
	}
	f.client = &http.Client{Transport: tr, Timeout: opts.Timeout, CheckRedirect: f.checkRedirect(true)}
	f.robotsClient = &http.Client{Transport: tr, Timeout: opts.Timeout, CheckRedirect: f.checkRedirect(false)}
	return f
}

// IsPublic reports whether ip is a public unicast address: not private,
// loopback, link-local, unspecified, multicast, CGNAT (100.64.0.0/10) or
// otherwise reserved. It is the default rule for dialling.
func IsPublic(ip net.IP) bool {
	a, ok := netip.AddrFromSlice(ip)
	return ok && isPublic(a)
}

var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 could reach a private IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fec0::/10"),
}

func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

func (f *Fetcher) allowed(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if f.opts.Allow != nil {
		return f.opts.Allow(net.IP(a.AsSlice()))
	}
	return f.opts.AllowPrivate || isPublic(a)
}

// checkURL refuses what must never be fetched, before any connection:
// other schemes and literal addresses that are not allowed.
func (f *Fetcher) checkURL(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	default:
		return fmt.Errorf("%w: scheme %q is not http or https", ErrBlocked, u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("%w: no host", ErrBlocked)
	}
	if ip, err := netip.ParseAddr(host); err == nil && !f.allowed(ip) {
		return fmt.Errorf("%w: address %s is not public", ErrBlocked, ip)
	}
	return nil
}

func (f *Fetcher) checkRedirect(robots bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > f.opts.MaxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrFetch, f.opts.MaxRedirects)
		}
		if err := f.checkURL(req.URL); err != nil {
			return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
		}
		if robots {
			if err := f.checkRobots(req.Context(), req.URL); err != nil {
				return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
			}
		}
		return f.wait(req.Context(), req.URL.Host)
	}
}

// wait holds a request to host until HostInterval has passed since the
// last one, reserving its slot first so that concurrent callers queue.
func (f *Fetcher) wait(ctx context.Context, host string) error {
	if f.opts.HostInterval < 0 {
		return ctx.Err()
	}
	f.mu.Lock()
	now := f.now()
	at := f.next[host]
	if at.Before(now) {
		at = now
	}
	f.next[host] = at.Add(f.opts.HostInterval)
	if len(f.next) > 4096 { // forget hosts that are free anyway
		for h, t := range f.next {
			if t.Before(now) {
				delete(f.next, h)
			}
		}
	}
	f.mu.Unlock()
	return f.opts.Sleep(ctx, at.Sub(now))
}

// Close closes the idle connections the Fetcher keeps for reuse.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// Fetch GETs one URL. Errors are *InputError values naming the URL.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	p, err := f.get(ctx, rawURL, nil)
	if err != nil {
		return nil, wrapURL(ctx, rawURL, err)
	}
	return p, nil
}

func wrapURL(ctx context.Context, rawURL string, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	return &InputError{Input: rawURL, Err: err}
}

func (f *Fetcher) get(ctx context.Context, rawURL string, hdr http.Header) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := f.checkURL(u); err != nil {
		return nil, err
	}
	if err := f.checkRobots(ctx, u); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := f.wait(ctx, u.Host); err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		req.Header.Set("User-Agent", f.opts.UserAgent)
		for k, v := range hdr {
			req.Header[k] = v
		}
		resp, err := f.client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, ErrBlocked) || errors.Is(err, ErrFetch) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrFetch, err)
		}
		code := resp.StatusCode
		if (code == http.StatusTooManyRequests || code >= 500) && attempt < f.opts.MaxRetries {
			delay := f.retryDelay(resp.Header.Get("Retry-After"), attempt)
			drain(resp.Body)
			if err := f.opts.Sleep(ctx, delay); err != nil {
				return nil, err
			}
			continue
		}
		return f.page(resp)
	}
}

func drain(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10) // lets the connection be reused
	_ = body.Close()
}

// retryDelay honours Retry-After (seconds or a date) up to MaxRetryAfter,
// and otherwise backs off exponentially from one second.
func (f *Fetcher) retryDelay(retryAfter string, attempt int) time.Duration {
	d := time.Second << attempt
	if s := strings.TrimSpace(retryAfter); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			d = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(s); err == nil {
			d = t.Sub(f.now())
		}
	}
	return min(max(d, 0), f.opts.MaxRetryAfter)
}

func (f *Fetcher) page(resp *http.Response) (*Page, error) {
	defer drain(resp.Body)
	p := &Page{
		URL:          resp.Request.URL.String(),
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	switch code := resp.StatusCode; {
	case code == http.StatusNotModified:
		p.NotModified = true
		return p, nil
	case code == http.StatusNotFound || code == http.StatusGone:
		return nil, fmt.Errorf("%w: %w: HTTP %s", ErrFetch, ErrNotFound, resp.Status)
	case code < 200 || code > 299:
		return nil, fmt.Errorf("%w: HTTP %s", ErrFetch, resp.Status)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d over %d bytes", ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	// The transport has already undone gzip, so this caps the decoded size.
	body, err := readCapped(resp.Body, f.opts.MaxBytes)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: reading body: %v", ErrFetch, err)
	}
	p.Body = body
	return p, nil
}

// FeedState is what Poll remembers about one feed between calls. The zero
// value is ready to use; keep one per feed URL, and do not share one
// between concurrent Polls.
type FeedState struct {
	ETag         string
	LastModified string
	// Seen holds the document names of the items the feed carried at the
	// last poll, so that items come back from Poll only once. Items that
	// leave the feed are forgotten, which keeps the map the feed's size.
	Seen map[string]bool
}

// Poll fetches a feed with a conditional GET (If-None-Match,
// If-Modified-Since from st) and returns the items not seen before, in
// feed order, as reports. A 304 answer returns no reports and no error.
// st is updated only after a feed was read successfully; a nil st polls
// unconditionally and returns every item.
//
// Errors are *InputError values naming the URL: ErrMalformed when the
// body is not a feed, ErrBlocked, ErrFetch, ErrTooLarge as for Fetch.
// Past Options.MaxItems items, Poll returns the first MaxItems together
// with an error wrapping ErrTruncated.
func (f *Fetcher) Poll(ctx context.Context, feedURL string, st *FeedState) ([]event.Report, error) {
	hdr := http.Header{}
	if st != nil {
		if st.ETag != "" {
			hdr.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			hdr.Set("If-Modified-Since", st.LastModified)
		}
	}
	p, err := f.get(ctx, feedURL, hdr)
	if err != nil {
		return nil, wrapURL(ctx, feedURL, err)
	}
	if p.NotModified {
		return nil, nil
	}
	reports, err := parseFeed(p.Body, p.URL, f.opts.MaxItems)
	switch {
	case errors.Is(err, ErrEmpty):
		err = nil
	case err != nil && !errors.Is(err, ErrTruncated):
		return nil, &InputError{Input: feedURL, Err: err}
	case err != nil:
		err = &InputError{Input: feedURL, Err: err}
	}
	if st == nil {
		return reports, err
	}
	st.ETag, st.LastModified = p.ETag, p.LastModified
	seen := make(map[string]bool, len(reports))
	fresh := reports[:0]
	for _, r := range reports {
		k := itemKey(r)
		if !st.Seen[k] && !seen[k] {
			fresh = append(fresh, r)
		}
		seen[k] = true
	}
	st.Seen = seen
	if len(fresh) == 0 {
		fresh = nil
	}
	return fresh, err
}

// url reads one URL input: one report for a page, one per item for a feed.
func (rd *reader) url(in string) error {
	if rd.fetcher == nil {
		rd.fetcher = NewFetcher(rd.opts)
	}
	p, err := rd.fetcher.Fetch(rd.ctx, in)
	if err != nil {
		if rd.ctx.Err() != nil {
			return rd.ctx.Err()
		}
		return rd.yield(event.Report{}, err)
	}
	m := meta{doc: Slug(p.URL), url: p.URL, outlet: hostOf(p.URL)}
	if u, err := url.Parse(p.URL); err == nil {
		if i := strings.LastIndexByte(u.Path, '.'); i >= 0 && reportExts[strings.ToLower(u.Path[i:])] {
			m.ext = strings.ToLower(u.Path[i:])
		}
	}
	n, err := rd.stream(in, m, p.ContentType, bytes.NewReader(p.Body))
	if err == nil && n == 0 {
		err = rd.fail(in, ErrEmpty)
	}
	return err
}
