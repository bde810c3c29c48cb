package source

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// feed yields one report per item of an RSS, Atom or JSON feed.
func (rd *reader) feed(label string, m meta, body []byte) error {
	reports, err := parseFeed(body, m.url, rd.opts.MaxItems)
	if err != nil && len(reports) == 0 {
		return rd.fail(label, err)
	}
	for _, r := range reports {
		if err := rd.emit(r); err != nil {
			return err
		}
	}
	if err != nil { // truncated: say so after the items that came
		return rd.fail(label, err)
	}
	return nil
}

// parseFeed turns a feed document into reports, hashed and in document
// order. Past maxItems items it returns the first maxItems and an error
// wrapping ErrTruncated. A document gofeed cannot read, or one with no
// items, is an error wrapping ErrMalformed or ErrEmpty.
func parseFeed(body []byte, feedURL string, maxItems int) (reports []event.Report, err error) {
	body, truncated := truncateFeed(body, maxItems)
	defer func() {
		// gofeed is third-party code fed hostile bytes; a panic there is one bad feed.
		if p := recover(); p != nil {
			reports, err = nil, fmt.Errorf("%w: feed parser panicked: %v", ErrMalformed, p)
		}
	}()
	f, perr := gofeed.NewParser().Parse(bytes.NewReader(body))
	if perr != nil {
		return nil, fmt.Errorf("%w: not a feed: %v", ErrMalformed, perr)
	}
	if len(f.Items) == 0 {
		return nil, fmt.Errorf("%w: feed has no items", ErrEmpty)
	}
	if len(f.Items) > maxItems {
		f.Items, truncated = f.Items[:maxItems], true
	}
	outlet := strings.TrimSpace(f.Title)
	if outlet == "" {
		outlet = hostOf(feedURL)
	}
	lang := primaryLang(f.Language)
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		r := itemReport(it, i, outlet, lang, feedURL)
		if len(bytes.TrimSpace(r.Raw)) == 0 {
			continue // no content, description or title: nothing to read
		}
		reports = append(reports, r)
	}
	if len(reports) == 0 {
		return nil, fmt.Errorf("%w: feed items carry no text", ErrEmpty)
	}
	if truncated {
		err = fmt.Errorf("%w: feed has more than %d items; kept the first %d", ErrTruncated, maxItems, maxItems)
	}
	return reports, err
}

func itemReport(it *gofeed.Item, i int, outlet, lang, feedURL string) event.Report {
	link := strings.TrimSpace(it.Link)
	r := event.Report{
		URL: link, Title: strings.TrimSpace(it.Title), Outlet: outlet, Lang: lang,
	}
	if r.Outlet == "" {
		r.Outlet = hostOf(link)
	}
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		r.Author = it.Authors[0].Name
	}
	var t *time.Time
	if t = it.PublishedParsed; t == nil {
		t = it.UpdatedParsed
	}
	if t != nil && !t.IsZero() {
		r.Published, r.DateSource = *t, "feed"
	}
	raw := it.Content
	if strings.TrimSpace(raw) == "" {
		raw = it.Description
	}
	if strings.TrimSpace(raw) == "" {
		// Headline-only feeds still tell of incidents.
		raw = r.Title
	}
	r.Raw = []byte(raw)
	r.Format = FormatText
	if looksHTML(r.Raw) {
		r.Format = FormatHTML
	}
	r.Hash = hashOf(r.Raw)
	switch {
	case link != "":
		r.Doc = Slug(link)
	case strings.TrimSpace(it.GUID) != "":
		r.Doc = Slug(it.GUID)
	default:
		r.Doc = Slug(fmt.Sprintf("%s-%d-%s", hostOf(feedURL), i+1, r.Hash[:12]))
	}
	return r
}

// itemKey identifies an item across polls.
func itemKey(r event.Report) string {
	if r.Doc != "" {
		return r.Doc
	}
	return r.Hash
}

// truncateFeed cuts an XML feed after its first max items (RSS item,
// Atom entry), closing the elements still open, so that a feed with
// 100,000 items costs gofeed max items of memory, not all of them. It
// returns body unchanged when the feed is short, not XML, or unreadable.
func truncateFeed(body []byte, max int) ([]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []xml.Name
	items := 0
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			return body, false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			isItem := len(open) <= 2 && (tok.Name.Local == "item" || tok.Name.Local == "entry")
			if isItem && items == max {
				var b bytes.Buffer
				b.Grow(int(off) + 64)
				b.Write(body[:off])
				for i := len(open) - 1; i >= 0; i-- {
					b.WriteString("</" + rawName(open[i]) + ">")
				}
				return b.Bytes(), true
			}
			open = append(open, tok.Name)
		case xml.EndElement:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			if len(open) <= 2 && (tok.Name.Local == "item" || tok.Name.Local == "entry") {
				items++
			}
		}
	}
}

func rawName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// primaryLang keeps the language subtag: "fr-FR" -> "fr".
func primaryLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}

// Slug turns a link, GUID or name into a stable, file-safe document name:
// lower-case ASCII letters and digits joined by dashes, without the scheme
// or "www.", at most 80 bytes (longer ones end in a short hash of the
// whole so that they stay distinct).
func Slug(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	s = strings.TrimPrefix(strings.ToLower(s), "www.")
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteByte(c)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	const max = 80
	if len(out) > max || out == "" {
		h := hashOf([]byte(s))[:10]
		if len(out) > max-11 {
			out = strings.TrimRight(out[:max-11], "-")
		}
		if out == "" {
			return "doc-" + h
		}
		out += "-" + h
	}
	return out
}
