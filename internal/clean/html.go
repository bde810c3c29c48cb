package clean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// defaultPrune removes the blocks around an article that trafilatura
// sometimes keeps: subscription boxes, related links, "lire aussi",
// share bars, cookie banners and comment threads.
const defaultPrune = `.subscribe, .subscription, .newsletter, .newsletter-signup, #newsletter, .abonnement,` +
	` .related, .related-posts, .related-articles, .related-news, #related, #related-posts, .jp-relatedposts,` +
	` .lire-aussi, .lireaussi, .read-also, .share, .sharing, .share-buttons, .social-share, .sharedaddy,` +
	` .cookie, .cookie-banner, .cookie-notice, #cookie-notice, .cookies, #comments, .comments, .comment-list,` +
	` #respond, .comment-respond, aside`

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
		opts := trafilatura.Options{
			Focus:           trafilatura.Balanced,
			ExcludeComments: true,
			EnableFallback:  true,
			PruneSelector:   c.pruneSelector(pageURL),
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

func (c *Cleaner) pruneSelector(pageURL string) string {
	sel := defaultPrune
	if len(c.opts.PruneSelectors) == 0 {
		return sel
	}
	if u, err := url.Parse(pageURL); err == nil {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		for h, extra := range c.opts.PruneSelectors {
			if strings.TrimPrefix(strings.ToLower(h), "www.") == host && extra != "" {
				sel += ", " + extra
			}
		}
	}
	return sel
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
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) != "" && n == root {
					out = append(out, block{text: squash(ch.Data), kind: kindPara})
				}
				continue
			}
			switch ch.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				addBlock(&out, textOf(ch), kindHeading)
			case atom.Li, atom.Dt, atom.Dd:
				if hasBlockChild(ch) {
					walk(ch, depth+1)
				} else {
					addBlock(&out, textOf(ch), kindItem)
				}
			case atom.Tr:
				var cells []string
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
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
			switch ch.DataAtom {
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
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
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
