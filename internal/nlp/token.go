package nlp

import (
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord  tokKind = iota + 1 // letters
	tNum                      // ASCII digits
	tPunct                    // any other single non-space rune
)

// token is a span of folded text. Offsets are int32 to keep the token slice
// small on multi-megabyte inputs.
type token struct {
	s, e  int32
	kind  tokKind
	glued bool // no space between this token and the previous one
}

// tokenize splits folded text into words, digit runs and single punctuation
// runes. Apostrophes and hyphens are their own tokens, so "d'une" is d ' une.
func tokenize(f string) []token {
	toks := make([]token, 0, len(f)/4+1)
	glued := false
	for i := 0; i < len(f); {
		c := f[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			glued = false
			i++
			continue
		}
		start := i
		var kind tokKind
		switch {
		case 'a' <= c && c <= 'z':
			kind = tWord
			i = wordEnd(f, i)
		case '0' <= c && c <= '9':
			kind = tNum
			for i < len(f) && '0' <= f[i] && f[i] <= '9' {
				i++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(f[i:])
			i += n
			kind = tPunct
			if unicode.IsSpace(r) {
				glued = false
				continue
			}
			if unicode.IsLetter(r) {
				kind = tWord
				i = wordEnd(f, i)
			}
		default:
			kind = tPunct
			i++
		}
		toks = append(toks, token{s: int32(start), e: int32(i), kind: kind, glued: glued && len(toks) > 0})
		glued = true
	}
	return toks
}

// doc is a text prepared for matching: folded, mapped back, tokenized.
type doc struct {
	src  string
	f    string
	m    []int
	toks []token
}

func newDoc(src string) *doc {
	f, m := FoldWithMap(src)
	return &doc{src: src, f: f, m: m, toks: tokenize(f)}
}

func (d *doc) text(i int) string {
	if i < 0 || i >= len(d.toks) {
		return ""
	}
	t := d.toks[i]
	return d.f[t.s:t.e]
}

func (d *doc) kind(i int) tokKind {
	if i < 0 || i >= len(d.toks) {
		return 0
	}
	return d.toks[i].kind
}

// glued reports whether token i touches the token before it.
func (d *doc) glued(i int) bool {
	return i > 0 && i < len(d.toks) && d.toks[i].glued
}

// span maps tokens i..j (inclusive) back to byte offsets in the source.
func (d *doc) span(i, j int) (int, int) {
	start := d.m[d.toks[i].s]
	o := d.m[d.toks[j].e-1]
	_, n := utf8.DecodeRuneInString(d.src[o:])
	end := o + n
	if end <= start {
		end = start + 1
	}
	if end > len(d.src) {
		end = len(d.src)
	}
	return start, end
}

// origUpper reports whether token i starts with an upper-case letter in the source.
func (d *doc) origUpper(i int) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(d.src[d.m[d.toks[i].s]:])
	return unicode.IsUpper(r)
}

// matchPhrase returns the longest phrase of ps starting at token i that
// passes keep (nil keeps all), and the index just past it, or ok=false.
func (d *doc) matchPhrase(ps phraseSet, i int, keep func(phrase) bool) (phrase, int, bool) {
	for _, p := range ps[d.text(i)] {
		if keep != nil && !keep(p) {
			continue
		}
		if d.hasSeq(i, p.toks) {
			return p, i + len(p.toks), true
		}
	}
	return phrase{}, i, false
}

func (d *doc) hasSeq(i int, seq []string) bool {
	if i < 0 || i+len(seq) > len(d.toks) {
		return false
	}
	for k, w := range seq {
		if d.text(i+k) != w {
			return false
		}
	}
	return true
}

// matchPhraseBefore returns the longest phrase of ps (with tag in tags) that
// ends just before token i, and the index of its first token.
func (d *doc) matchPhraseBefore(ps phraseSet, i int, tags ...string) (phrase, int, bool) {
	best, bestStart, found := phrase{}, i, false
	// Phrases are at most a handful of tokens: try every start a few tokens back.
	for k := 1; k <= 6 && i-k >= 0; k++ {
		for _, p := range ps[d.text(i-k)] {
			if len(p.toks) != k || !hasTag(p.tag, tags) {
				continue
			}
			if d.hasSeq(i-k, p.toks) {
				best, bestStart, found = p, i-k, true
			}
		}
	}
	return best, bestStart, found
}

func hasTag(tag string, tags []string) bool {
	if len(tags) == 0 {
		return true
	}
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// wordEnd returns the end of the run of letters of f that starts at or
// continues from i.
func wordEnd(f string, i int) int {
	for i < len(f) {
		c := f[i]
		if 'a' <= c && c <= 'z' {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(f[i:])
			if unicode.IsLetter(r) {
				i += n
				continue
			}
		}
		break
	}
	return i
}
