package source

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Input formats accepted by Options.Format.
const (
	FormatAuto  = "auto"
	FormatText  = "text"
	FormatHTML  = "html"
	FormatJSONL = "jsonl"
	FormatFeed  = "feed"
	FormatCSV   = "csv"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxBytes       = 20 << 20
	DefaultMaxItems       = 1000
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultHostInterval   = time.Second
	DefaultMaxRedirects   = 5
	DefaultMaxRetries     = 3
	DefaultMaxRetryAfter  = 60 * time.Second
	DefaultUserAgent      = "sahelwatch/0.1 (+https://github.com/sahelwatch/sahelwatch)"
)

// Sentinel errors carried by *InputError; test them with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrEmpty     = errors.New("no content")
	ErrBinary    = errors.New("binary content")
	ErrTooLarge  = errors.New("too large")
	ErrMalformed = errors.New("malformed")
	ErrBlocked   = errors.New("fetch refused")
	ErrFetch     = errors.New("fetch failed")
	// ErrTruncated says a feed had more items than Options.MaxItems; the
	// items before the cap were still delivered.
	ErrTruncated = errors.New("truncated")
)

// InputError reports one input (a path, path:line, or URL) that yielded
// no report. Err wraps one of the sentinel errors.
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return "source: " + e.Input + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Options controls Read and NewFetcher. The zero value is usable: every
// zero field means the matching Default constant.
type Options struct {
	// Format forces how inputs are parsed; "" or FormatAuto decides per
	// input by extension, then Content-Type, then by sniffing the bytes.
	Format string
	// MaxBytes caps one report: a whole text, HTML or feed file, a fetched
	// body after gzip decoding, one JSON line or one CSV record.
	MaxBytes int64
	// MaxItems caps the items taken from one feed.
	MaxItems int
	// Stdin is read for the input "-"; nil means os.Stdin.
	Stdin io.Reader
	// Fetcher fetches URL inputs; nil means NewFetcher(opts).
	Fetcher *Fetcher

	// The fields below configure NewFetcher.

	// UserAgent is sent with every request and matched against robots.txt.
	UserAgent string
	// ConnectTimeout bounds dialling; Timeout bounds a whole request,
	// body included.
	ConnectTimeout, Timeout time.Duration
	// HostInterval is the least time between two requests to one host;
	// negative means no limit.
	HostInterval time.Duration
	// MaxRedirects is how many redirects one fetch follows.
	MaxRedirects int
	// MaxRetries is how many times a 429 or 5xx answer is retried;
	// negative means never.
	MaxRetries int
	// MaxRetryAfter caps the wait a server may ask for with Retry-After.
	MaxRetryAfter time.Duration
	// AllowPrivate lets the fetcher dial private, loopback and other
	// non-public addresses (for tests and intranet feeds).
	AllowPrivate bool
	// Allow, when set, decides alone which resolved addresses may be
	// dialled, replacing both the public-only rule and AllowPrivate.
	// IsPublic is the default rule, for hooks that extend it.
	Allow func(ip net.IP) bool
	// IgnoreRobots skips robots.txt (only for sites you run yourself).
	IgnoreRobots bool
	// Sleep waits between retries and for the host rate limit; nil means
	// a timer that stops early when ctx is done. Tests inject a fake.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (o Options) withDefaults() Options {
	if o.Format == "" {
		o.Format = FormatAuto
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxItems <= 0 {
		o.MaxItems = DefaultMaxItems
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HostInterval == 0 {
		o.HostInterval = DefaultHostInterval
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	return o
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ValidFormat reports whether f is a value Options.Format accepts.
func ValidFormat(f string) bool {
	switch f {
	case "", FormatAuto, FormatText, FormatHTML, FormatJSONL, FormatFeed, FormatCSV:
		return true
	}
	return false
}

// reportExts are the extensions a directory walk picks up.
var reportExts = map[string]bool{
	".txt": true, ".text": true, ".md": true, ".html": true, ".htm": true, ".xhtml": true,
	".rss": true, ".atom": true, ".xml": true, ".jsonl": true, ".json": true, ".csv": true,
}

// Read reads every input in order and calls yield once for each report
// (with a nil error) and once for each input, line or record that could
// not be read (with the zero Report and an *InputError). An input is a
// file, a directory (walked recursively, skipping hidden entries and
// files whose extension is not a report's), "-" for Options.Stdin, or an
// http(s) URL (one page, or every item when it is a feed).
//
// Read stops and returns yield's error as soon as yield returns one, and
// returns ctx.Err() when ctx is cancelled; bad inputs alone never make it
// fail. An unknown Options.Format is an error before anything is read.
func Read(ctx context.Context, inputs []string, opts Options, yield func(event.Report, error) error) error {
	if !ValidFormat(opts.Format) {
		return fmt.Errorf("source: unknown input format %q", opts.Format)
	}
	opts = opts.withDefaults()
	rd := &reader{ctx: ctx, opts: opts, yield: yield, fetcher: opts.Fetcher}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rd.input(in); err != nil {
			return err
		}
	}
	return ctx.Err()
}

type reader struct {
	ctx     context.Context
	opts    Options
	yield   func(event.Report, error) error
	fetcher *Fetcher
}

// fail passes one bad input on; its result is yield's.
func (rd *reader) fail(input string, err error) error {
	return rd.yield(event.Report{}, &InputError{Input: input, Err: err})
}

// emit fills the hash and passes a report on.
func (rd *reader) emit(r event.Report) error {
	r.Hash = hashOf(r.Raw)
	return rd.yield(r, nil)
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (rd *reader) input(in string) error {
	switch {
	case in == "-":
		n, err := rd.stream("-", meta{doc: "stdin"}, "", rd.opts.Stdin)
		if err == nil && n == 0 {
			err = rd.fail("-", ErrEmpty)
		}
		return err
	case isURL(in):
		return rd.url(in)
	}
	fi, err := os.Stat(in)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return rd.fail(in, ErrNotFound)
		}
		return rd.fail(in, err)
	}
	if fi.IsDir() {
		return rd.dir(in)
	}
	return rd.file(in)
}

// isURL tells URLs (any scheme, so file:// and gopher:// get a clear
// refusal) from paths; a Windows drive letter is not a scheme.
func isURL(s string) bool {
	i := strings.Index(s, "://")
	if i < 2 {
		return false
	}
	for _, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (rd *reader) dir(root string) error {
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// An unreadable subfolder is one bad input, not the end of the walk.
			if ferr := rd.fail(path, err); ferr != nil {
				return ferr
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !reportExts[strings.ToLower(filepath.Ext(path))] {
			return nil
		}
		if !d.Type().IsRegular() {
			// Follow symlinks to files, never to folders (no cycles).
			fi, err := os.Stat(path)
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		}
		found++
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		return rd.file(path)
	})
	if err != nil {
		return err
	}
	if found == 0 {
		return rd.fail(root, fmt.Errorf("%w: no report files in folder", ErrEmpty))
	}
	return nil
}

func (rd *reader) file(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return rd.fail(path, ErrNotFound)
		}
		return rd.fail(path, err)
	}
	defer f.Close()
	base := filepath.Base(path)
	m := meta{doc: strings.TrimSuffix(base, filepath.Ext(base)), ext: strings.ToLower(filepath.Ext(base))}
	n, err := rd.stream(path, m, "", f)
	if err == nil && n == 0 {
		err = rd.fail(path, ErrEmpty)
	}
	return err
}

// meta is what an input tells about its reports before we read them.
type meta struct {
	doc    string // document name for a single-report input
	ext    string // lower-case extension, for format detection
	url    string
	outlet string
}

// stream reads one input's bytes in the chosen format and yields its
// reports and errors. It returns how many reports and errors it yielded,
// so callers can tell a silent empty input.
func (rd *reader) stream(label string, m meta, contentType string, r io.Reader) (int, error) {
	br := bufio.NewReaderSize(r, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return 1, rd.fail(label, err)
	}
	if len(head) == 0 {
		return 0, nil
	}
	if isBinary(head) {
		return 1, rd.fail(label, ErrBinary)
	}
	format := rd.opts.Format
	if format == FormatAuto {
		format = DetectFormat(m.ext, contentType, head)
	}
	counted := &countingYield{rd: rd}
	sub := *rd
	sub.yield = counted.yield
	switch format {
	case FormatJSONL:
		err = sub.jsonl(label, m, br)
	case FormatCSV:
		err = sub.csv(label, m, br)
	default:
		var body []byte
		body, err = readCapped(br, rd.opts.MaxBytes)
		if err != nil {
			return 1, rd.fail(label, err)
		}
		if format == FormatFeed {
			err = sub.feed(label, m, body)
			break
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			return 1, rd.fail(label, ErrEmpty)
		}
		err = sub.emit(event.Report{Doc: m.doc, URL: m.url, Outlet: m.outlet, Format: format, Raw: body})
	}
	return counted.n, err
}

type countingYield struct {
	rd *reader
	n  int
}

func (c *countingYield) yield(r event.Report, err error) error {
	c.n++
	return c.rd.yield(r, err)
}

// readCapped reads all of r unless it holds more than max bytes; the
// LimitReader means a huge input is never loaded whole.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return b, nil
}

// parsePublished reads the dates JSON Lines and CSV inputs carry.
func parsePublished(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("published %q is neither YYYY-MM-DD nor RFC 3339", s)
	}
	return t, nil
}
