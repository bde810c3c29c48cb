package clean

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Sentinel errors; Clean wraps them with the document name.
var (
	ErrBinary   = errors.New("binary input")
	ErrTooLarge = errors.New("input over the size cap")
	ErrEmpty    = errors.New("no article text")
	ErrEncoding = errors.New("undecodable text")
)

// DefaultMaxBytes is the size cap used when Options.MaxBytes is zero.
const DefaultMaxBytes = 20 << 20

// Options configures a Cleaner. The zero value is ready to use.
type Options struct {
	MaxBytes       int64             // size cap for raw input (default 20 MiB); larger -> ErrTooLarge
	PruneSelectors map[string]string // host -> extra CSS prune selector, configurable per site
	Lexicon        string            // optional path to an extra junk-vocabulary file (same format as the embedded one)
}

// Cleaner cleans reports. It is safe for concurrent use.
type Cleaner struct {
	opts      Options
	lx        *lexicon
	prune     cascadia.SelectorGroup            // defaultPrune, compiled
	siteprune map[string]cascadia.SelectorGroup // Options.PruneSelectors, compiled

	mu   sync.RWMutex
	feed map[string]int // folded line -> number of feed texts holding it
}

var _ event.Cleaner = (*Cleaner)(nil)

// New loads the embedded vocabulary (and Options.Lexicon, if set).
func New(opts Options) (*Cleaner, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	lx, err := loadLexicon(opts.Lexicon)
	if err != nil {
		return nil, err
	}
	c := &Cleaner{opts: opts, lx: lx, siteprune: map[string]cascadia.SelectorGroup{}}
	if c.prune, err = cascadia.ParseGroup(defaultPrune); err != nil {
		return nil, fmt.Errorf("clean: prune selector: %w", err)
	}
	for host, sel := range opts.PruneSelectors {
		if strings.TrimSpace(sel) == "" {
			continue
		}
		g, err := cascadia.ParseGroup(sel)
		if err != nil {
			return nil, fmt.Errorf("clean: prune selector for %s: %w", host, err)
		}
		c.siteprune[host] = g
	}
	return c, nil
}

// Clean reads r.Raw (as r.Format: "text", "html" or "" to detect) and sets
// r.Text, r.Format, r.Lang, and the metadata it finds: r.Title, r.Author,
// r.URL (only when empty) and r.Published with r.DateSource (only when
// r.Published is zero). An already-set r.Lang is the prior for language
// identification. r.Text is deterministic: the same input always gives
// the same bytes, so evidence offsets stay valid.
//
// Errors wrap ErrTooLarge, ErrBinary, ErrEncoding or ErrEmpty (no article
// text, with the reason) and the context's error on cancellation.
func (c *Cleaner) Clean(ctx context.Context, r *event.Report) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clean: %s: %w", r.Doc, err)
	}
	if int64(len(r.Raw)) > c.opts.MaxBytes {
		return fmt.Errorf("clean: %s: %d bytes, cap %d: %w", r.Doc, len(r.Raw), c.opts.MaxBytes, ErrTooLarge)
	}
	s, err := Decode(r.Raw)
	if err != nil {
		return fmt.Errorf("clean: %s: %w", r.Doc, err)
	}
	format := r.Format
	if format != "text" && format != "html" {
		format = Detect([]byte(s[:min(len(s), 4096)]))
	}
	r.Format = format

	var doc document
	switch format {
	case "html":
		doc, err = c.cleanHTML(ctx, s, r.URL)
	default:
		doc = c.cleanText(s, r.Lang)
		if doc.text == "" {
			if note, ok := c.cleanNote(s, r.Lang); ok {
				doc = note
			}
		}
	}
	if err != nil {
		return fmt.Errorf("clean: %s: %w", r.Doc, err)
	}
	r.Lang = c.language(doc.text, firstNonEmpty(r.Lang, doc.lang))
	r.Text = doc.text
	if r.Title == "" {
		r.Title = doc.title
	}
	if r.Author == "" {
		r.Author = doc.author
	}
	if r.URL == "" && doc.url != "" {
		if u, err := url.Parse(doc.url); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			r.URL = doc.url
		}
	}
	if r.Published.IsZero() {
		switch {
		case !doc.published.IsZero():
			r.Published, r.DateSource = doc.published, "html-meta"
		default:
			if t, ok := c.dateline(s, format, doc.text); ok {
				r.Published, r.DateSource = t, "dateline"
			}
		}
	}
	if strings.TrimSpace(r.Text) == "" {
		reason := doc.reason
		if reason == "" {
			reason = "every block looked like boilerplate"
		}
		return fmt.Errorf("clean: %s: %s: %w", r.Doc, reason, ErrEmpty)
	}
	return nil
}

// document is what a format-specific cleaner found.
type document struct {
	text, title, author, url, lang string
	published                      time.Time
	reason                         string // why text is empty
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
