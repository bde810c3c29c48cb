package clean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// defaultPrune removes the blocks around an article that trafilatura
// sometimes keeps: subscription boxes, related links, "lire aussi",
// share bars and cookie banners. A theme may give the article's own
// container one of these class words, so an element holding most of the
// page's paragraph text is spared (see prune).
const defaultPrune = `.subscribe, .subscription, .newsletter, .newsletter-signup, #newsletter, .abonnement,` +
	` .related, .related-posts, .related-articles, .related-news, #related, #related-posts, .jp-relatedposts,` +
	` .lire-aussi, .lireaussi, .read-also, .share, .sharing, .share-buttons, .social-share, .sharedaddy,` +
	` .cookie, .cookie-banner, .cookie-notice, #cookie-notice, .cookies, aside`

// commentPrune removes comment threads whatever their size: a long
// discussion can outweigh the article it follows.
const commentPrune = `#comments, .comments, .comment-list, #respond, .comment-respond`

// maxDepth bounds the element nesting trafilatura is asked to walk; deeper
// pages are read with the flat tokenizer instead.
const maxDepth = 512

func (c *Cleaner) cleanHTML(ctx context.Context, s, pageURL string) (document, error) {
	depth, err := htmlDepth(s)
	if err != nil {
		return document{}, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	if depth > maxDepth {
		d := c.cleanText(flatText(s), "")
		d.text = strings.TrimSpace(d.text)
		if d.text == "" {
			d.reason = fmt.Sprintf("page nested %d deep and no prose in its text", depth)
		}
		return d, nil
	}

	type result struct {
		res *trafilatura.ExtractResult
		err error
	}
	done := make(chan result, 1)
	var page outline // written by the goroutine before it sends on done
	go func() {
		defer func() {
			// The extractor is third-party code: a panic on odd markup
			// becomes an error, not a crash.
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("html extractor: %v", p)}
			}
		}()
		root, err := html.Parse(strings.NewReader(s))
		if err != nil {
			done <- result{err: err}
			return
		}
		page = pageOutline(root)
		prune(root, c.pruneSelector(pageURL))
		opts := trafilatura.Options{
			Focus:           trafilatura.Balanced,
			ExcludeComments: true,
			EnableFallback:  true,
		}
		if u, err := url.Parse(pageURL); err == nil && u.Host != "" {
			opts.OriginalURL = u
		}
		res, err := trafilatura.ExtractDocument(root, opts)
		done <- result{res, err}
	}()
	var r result
	select {
	case <-ctx.Done():
		return document{}, ctx.Err()
	case r = <-done:
	}
	if r.err != nil || r.res == nil || r.res.ContentNode == nil {
		// No main content found: fall back to the page's flat text, which
		// the classifier may still read an article from.
		d := c.cleanText(flatText(s), "")
		if d.text == "" {
			d.reason = "no main content in the page"
			if r.err != nil {
				d.reason += ": " + r.err.Error()
			}
		}
		return d, nil
	}
	blocks := nodeBlocks(r.res.ContentNode)
	blocks = withLeads(blocks, c.leads(page, blocks))
	keep := c.classify(blocks, true)
	m := r.res.Metadata
	d := document{
		text:      joinBlocks(blocks, keep),
		title:     strings.TrimSpace(m.Title),
		author:    strings.TrimSpace(m.Author),
		url:       strings.TrimSpace(m.URL),
		lang:      normLang(m.Language),
		published: m.Date,
	}
	if d.text == "" {
		d.reason = "the main content was all boilerplate"
	}
	return d, nil
}

func (c *Cleaner) pruneSelector(pageURL string) cascadia.SelectorGroup {
	sel := c.prune
	if len(c.opts.PruneSelectors) == 0 {
		return sel
	}
	if u, err := url.Parse(pageURL); err == nil {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		for h, extra := range c.siteprune {
			if strings.TrimPrefix(strings.ToLower(h), "www.") == host {
				sel = append(sel[:len(sel):len(sel)], extra...)
			}
		}
	}
	return sel
}

// prune removes the elements the selector matches, except one that holds
// most of the page's paragraph text: a theme that puts "share" in the
// class of the article's own container must not lose the article.
var commentSel = func() cascadia.SelectorGroup {
	g, err := cascadia.ParseGroup(commentPrune)
	if err != nil {
		panic(err) // a constant: caught by every test run
	}
	return g
}()

func prune(root *html.Node, sel cascadia.SelectorGroup) {
	for _, m := range cascadia.QueryAll(root, commentSel) {
		if m.Parent != nil {
			m.Parent.RemoveChild(m)
		}
	}
	if len(sel) == 0 {
		return
	}
	ptext := map[*html.Node]int{}
	var measure func(n *html.Node, inP bool, depth int) int
	measure = func(n *html.Node, inP bool, depth int) int {
		if depth > maxDepth*2 {
			return 0
		}
		if n.Type == html.TextNode {
			if inP {
				return len(strings.TrimSpace(n.Data))
			}
			return 0
		}
		inP = inP || tag(n) == atom.P
		sum := 0
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sum += measure(ch, inP, depth+1)
		}
		if n.Type == html.ElementNode {
			ptext[n] = sum
		}
		return sum
	}
	total := measure(root, false, 0)
	for _, m := range cascadia.QueryAll(root, sel) {
		if m.Parent == nil || (total > 0 && ptext[m]*2 > total) {
			continue
		}
		m.Parent.RemoveChild(m)
	}
}

// outline is what the page says before extraction: its meta
// descriptions and its visible leaf blocks in document order. It lets the
// standfirst be put back when the extractor leaves it out, as it often
// does: the standfirst sits in the header, between the title and the body.
type outline struct {
	descs  []string // dupKey of each meta description
	leaves []leaf
}

type leaf struct {
	text string
	key  string // dupKey(text)
	h1   bool
}

func pageOutline(root *html.Node) outline {
	var o outline
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth*2 || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		switch tag(n) {
		case atom.Meta:
			var name, content string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "name", "property":
					name = strings.ToLower(a.Val)
				case "content":
					content = a.Val
				}
			}
			if name == "description" || name == "og:description" || name == "twitter:description" {
				if d := dupKey(strings.TrimRight(strings.TrimSpace(content), ".…")); len(d) >= 40 {
					o.descs = append(o.descs, d)
				}
			}
			return
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Footer, atom.Aside,
			atom.Title, atom.Button, atom.Form, atom.Select, atom.Iframe, atom.Svg, atom.Figure, atom.Figcaption:
			// Captions sit between a title and a body too, but are no standfirst.
			return
		}
		if n.Type == html.ElementNode && blockElement(tag(n)) && !hasBlockElementChild(n) {
			if t := squash(textOf(n)); t != "" {
				o.leaves = append(o.leaves, leaf{text: t, key: dupKey(t), h1: tag(n) == atom.H1})
			}
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
	}
	walk(root, 0)
	return o
}

func hasBlockElementChild(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (blockElement(tag(ch)) || hasBlockElementChild(ch)) {
			return true
		}
	}
	return false
}

// maxLead bounds how many blocks between the title and the body count as
// the standfirst.
const maxLead = 3

// leads returns the standfirst blocks the extracted content lacks: prose
// blocks between the page's <h1> and the content's first block, else a
// visible block whose text is the meta description.
func (c *Cleaner) leads(o outline, blocks []block) []string {
	var all strings.Builder
	for _, b := range blocks {
		all.WriteString(dupKey(b.text))
		all.WriteByte(' ')
	}
	have := all.String()
	missing := func(k string) bool { return len(k) >= 40 && !strings.Contains(have, k) }

	// Where the body starts in the page: its first long block.
	first := -1
	for _, b := range blocks {
		k := dupKey(b.text)
		if len(k) < 40 {
			continue
		}
		for i, l := range o.leaves {
			if l.key == k {
				first = i
				break
			}
		}
		break
	}
	var out []string
	if first > 0 {
		h := -1
		for i := first - 1; i >= 0 && i >= first-12; i-- {
			if o.leaves[i].h1 {
				h = i
				break
			}
		}
		if h >= 0 {
			for _, l := range o.leaves[h+1 : first] {
				if f := c.measure(l.text); missing(l.key) && isProse(f) && f.words >= 12 && !c.lx.junk(l.text, f.words) && len(out) < maxLead {
					out = append(out, l.text)
				}
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, l := range o.leaves {
		if !missing(l.key) {
			continue
		}
		for _, d := range o.descs {
			// Descriptions are often cut short: a long shared start is enough.
			if l.key == d || strings.HasPrefix(l.key, d) || (len(l.key) >= 60 && strings.HasPrefix(d, l.key)) {
				return []string{l.text}
			}
		}
	}
	return nil
}

// withLeads puts the standfirst in front of the content, after its title.
func withLeads(blocks []block, leads []string) []block {
	if len(leads) == 0 {
		return blocks
	}
	at := 0
	if len(blocks) > 0 && blocks[0].kind == kindHeading {
		at = 1
	}
	out := make([]block, 0, len(blocks)+len(leads))
	out = append(out, blocks[:at]...)
	for _, l := range leads {
		out = append(out, block{text: l, kind: kindPara})
	}
	return append(out, blocks[at:]...)
}

// htmlDepth measures the deepest element nesting with the tokenizer, which
// is linear and cannot be made to recurse.
func htmlDepth(s string) (int, error) {
	z := html.NewTokenizer(strings.NewReader(s))
	depth, maxD := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return maxD, nil
			}
			return maxD, z.Err()
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElement(atom.Lookup(name)) {
				depth++
				maxD = max(maxD, depth)
			}
		case html.EndTagToken:
			if depth > 0 {
				depth--
			}
		}
	}
}

func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.P, atom.Li, atom.Option:
		// p, li and option close themselves implicitly; counting them
		// would make ordinary sloppy pages look deep.
		return true
	}
	return false
}

// flatText reads a page's text with the tokenizer, one line per block
// element, skipping scripts and styles.
func flatText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style || a == atom.Noscript || a == atom.Template {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if blockElement(a) {
				b.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				b.WriteString(strings.Join(strings.Fields(string(z.Text())), " "))
				b.WriteByte(' ')
			}
		}
	}
}

func blockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Article, atom.Section, atom.Header, atom.Footer, atom.Blockquote, atom.Pre, atom.Table,
		atom.Ul, atom.Ol, atom.Dd, atom.Dt, atom.Figcaption, atom.Title, atom.Td, atom.Th:
		return true
	}
	return false
}

// nodeBlocks turns trafilatura's content node into blocks: one per
// paragraph, heading, list item or table row, in document order.
func nodeBlocks(root *html.Node) []block {
	var out []block
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth*2 {
			return
		}
		// Loose text and inline elements between the blocks of a
		// container (a quoted post's attribution and body) form paragraphs.
		var run strings.Builder
		flush := func() {
			addBlock(&out, run.String(), kindPara)
			run.Reset()
		}
		defer flush()
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode {
				run.WriteString(ch.Data)
				continue
			}
			if ch.Type != html.ElementNode {
				continue
			}
			if a := tag(ch); a == atom.Br || (!blockElement(a) && !hasBlockChild(ch) && a != atom.Script && a != atom.Style) {
				run.WriteString(textOf(ch))
				continue
			}
			flush()
			switch tag(ch) {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				addBlock(&out, textOf(ch), kindHeading)
			case atom.Li, atom.Dt, atom.Dd:
				// A short item built of divs ("1" / "can of pineapple
				// slices") is still one item: split, its number would stand
				// alone and look like junk.
				if hasBlockChild(ch) && len(textOf(ch)) > maxItem {
					walk(ch, depth+1)
				} else {
					addBlock(&out, textOf(ch), kindItem)
				}
			case atom.Tr:
				var cells []string
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (tag(td) == atom.Td || tag(td) == atom.Th) {
						cells = append(cells, strings.ReplaceAll(textOf(td), "|", "/"))
					}
				}
				if strings.TrimSpace(strings.Join(cells, "")) != "" {
					addBlock(&out, "| "+strings.Join(cells, " | ")+" |", kindRow)
				}
			case atom.P, atom.Blockquote, atom.Pre, atom.Figcaption, atom.Code, atom.Q:
				if hasBlockChild(ch) {
					walk(ch, depth+1)
				} else {
					addBlock(&out, textOf(ch), kindPara)
				}
			case atom.Script, atom.Style:
			default:
				if hasBlockChild(ch) {
					walk(ch, depth+1)
				} else {
					addBlock(&out, textOf(ch), kindPara)
				}
			}
		}
	}
	walk(root, 0)
	return out
}

// maxItem is the length up to which a list item with block children is
// read as one line.
const maxItem = 200

func addBlock(out *[]block, s string, k blockKind) {
	// <br> line breaks inside a block become separate lines of one block.
	for _, l := range strings.Split(s, "\n") {
		l = squash(l)
		if l != "" {
			*out = append(*out, block{text: l, kind: k})
		}
	}
}

func hasBlockChild(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode {
			switch tag(ch) {
			case atom.P, atom.Div, atom.Ul, atom.Ol, atom.Li, atom.Table, atom.Tr, atom.Blockquote,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre, atom.Section, atom.Dl, atom.Tbody, atom.Thead:
				return true
			}
		}
	}
	return false
}

// textOf is a node's text with <br> as a line break.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node, int)
	rec = func(n *html.Node, depth int) {
		if depth > maxDepth*2 {
			return
		}
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && tag(n) == atom.Br:
			b.WriteByte('\n')
		case n.Type == html.ElementNode && blockElement(tag(n)):
			// Block children of a block read as one line keep a space
			// between them ("1" + "can" is "1 can", not "1can").
			b.WriteByte(' ')
			defer b.WriteByte(' ')
		case n.Type == html.ElementNode && (tag(n) == atom.Script || tag(n) == atom.Style):
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			rec(ch, depth+1)
		}
	}
	rec(n, 0)
	return b.String()
}

// squash collapses white space to single spaces and drops invisible
// characters (soft hyphens, zero-width spaces) that would split words.
func squash(s string) string {
	return strings.Join(strings.Fields(invisible.Replace(s)), " ")
}

var invisible = strings.NewReplacer("\u00ad", "", "\u200b", "", "\u2060", "", "\ufeff", "")

// tag is a node's element type. Nodes the extractor builds carry only
// their name, not the parser's atom, so the name is looked up when the atom
// is missing; without this its lists and tables would read as one line.
func tag(n *html.Node) atom.Atom {
	if n.DataAtom != 0 || n.Type != html.ElementNode {
		return n.DataAtom
	}
	return atom.Lookup([]byte(strings.ToLower(n.Data)))
}
