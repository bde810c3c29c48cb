package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open range of byte offsets into a text.
type Span struct{ Start, End int }

// maxAbbrevLen bounds the look-back for the word before a period, which keeps
// splitting linear even on text without spaces.
const maxAbbrevLen = 24

// Sentences splits text into sentences and returns their spans, trimmed of
// surrounding white space, in order.
//
// A blank line is always a boundary. A single line break is a boundary unless
// the next line starts with a lower-case letter (a hard-wrapped line), so a
// headline without final punctuation is its own sentence. A period does not
// end a sentence after a known abbreviation (data/abbreviations.txt), an
// initial ("J. Smith", "M. Traoré"), inside a number ("3.5") or before a
// lower-case word. Closing quotes, guillemets and brackets after the final
// punctuation stay with the sentence.
func Sentences(text string) []Span {
	l := getLex()
	var out []Span
	add := func(s, e int) {
		for s < e {
			r, n := utf8.DecodeRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			s += n
		}
		for e > s {
			r, n := utf8.DecodeLastRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= n
		}
		if s < e {
			out = append(out, Span{s, e})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			if newlineBreaks(text, i) {
				add(start, i)
				start = i + 1
			}
			i++
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + n
			single := r == '.'
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if r2 != '.' && r2 != '!' && r2 != '?' && r2 != '…' {
					break
				}
				single = false
				j += n2
			}
			j = skipClosers(text, j)
			if j >= len(text) {
				i = j
				continue
			}
			if r2, _ := utf8.DecodeRuneInString(text[j:]); !unicode.IsSpace(r2) {
				i = j // "3.5", "U.S.", "example.com"
				continue
			}
			next := nextRune(text, j)
			if unicode.IsLower(next) {
				i = j
				continue
			}
			if single && r == '.' && !periodEnds(l, text, i, next) {
				i = j
				continue
			}
			add(start, j)
			start = j
			i = j
		default:
			i += n
		}
	}
	add(start, len(text))
	return out
}

// newlineBreaks decides whether the line break at i ends a sentence.
func newlineBreaks(text string, i int) bool {
	j := i + 1
	for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
		j++
	}
	if j >= len(text) || text[j] == '\n' {
		return true // paragraph end
	}
	r, _ := utf8.DecodeRuneInString(text[j:])
	if !unicode.IsLower(r) {
		return true
	}
	// A lower-case start continues a wrapped line, unless the line before
	// was already finished.
	k := i
	for k > 0 && (text[k-1] == ' ' || text[k-1] == '\t' || text[k-1] == '\r') {
		k--
	}
	if k == 0 {
		return true
	}
	p, _ := utf8.DecodeLastRuneInString(text[:k])
	return p == '.' || p == '!' || p == '?' || p == '…' || p == ':'
}

// skipClosers moves past closing quotes and brackets after final
// punctuation, including a French closing guillemet after a space.
func skipClosers(text string, j int) int {
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		switch r {
		case '"', '\'', '”', '’', '»', ')', ']', '›':
			j += n
			continue
		case ' ', '\u00a0', '\u202f':
			k := j + n
			if r != ' ' {
				k = j + n
			}
			for k < len(text) && text[k] == ' ' {
				k++
			}
			r2, n2 := utf8.DecodeRuneInString(text[k:])
			if r2 == '»' || r2 == '”' {
				j = k + n2
				continue
			}
		}
		return j
	}
	return j
}

// nextRune returns the first non-space rune at or after j, skipping opening
// quotes and brackets, or 0 at the end.
func nextRune(text string, j int) rune {
	for steps := 0; j < len(text) && steps < 64; steps++ {
		r, n := utf8.DecodeRuneInString(text[j:])
		if unicode.IsSpace(r) || r == '"' || r == '\'' || r == '«' || r == '“' || r == '(' || r == '[' || r == '‘' {
			j += n
			continue
		}
		return r
	}
	return 0
}

// periodEnds decides whether the lone period at i ends a sentence, given the
// first rune of the next word.
func periodEnds(l *lexicon, text string, i int, next rune) bool {
	ws := i
	for ws > 0 && i-ws < maxAbbrevLen {
		c := text[ws-1]
		if c == ' ' || c == '\n' || c == '\t' || c == '(' || c == '"' || c == '[' {
			break
		}
		ws--
	}
	if ws > 0 && i-ws >= maxAbbrevLen {
		return true // a long run without spaces: not an abbreviation
	}
	word := text[ws:i]
	if word == "" {
		return true
	}
	fw := strings.TrimLeft(Fold(word), "\"'«(-")
	if l.abbrev[fw] {
		return false
	}
	if r, n := utf8.DecodeRuneInString(word); n == len(word) && unicode.IsUpper(r) {
		return false // an initial
	}
	if l.abbrevFinal[fw] && !unicode.IsUpper(next) {
		return false
	}
	return true
}
