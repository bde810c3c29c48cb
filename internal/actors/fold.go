package actors

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: a maximal run of letters and digits, with
// its byte span in the original text, folded two ways.
type token struct {
	start, end int
	lower      string // accents dropped, lower case: what aliases are keyed by
	cased      string // accents dropped, case kept: for case-sensitive abbreviations
}

// ligatures NFKD leaves whole but French and English writers spell out.
var ligatures = map[rune]string{'œ': "oe", 'Œ': "OE", 'æ': "ae", 'Æ': "AE", 'ß': "ss", 'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D"}

// latinFold caches foldRune for the Latin blocks French and English text
// lives in, so tokenizing rarely calls into the normalizer.
var latinFold [0x250]string

func init() {
	for r := rune(0); r < 0x250; r++ {
		latinFold[r] = foldSlow(r)
	}
}

// foldRune returns r without accents, case kept; "" for a combining mark.
func foldRune(r rune) string {
	if r >= 0 && r < 0x250 {
		return latinFold[r]
	}
	return foldSlow(r)
}

func foldSlow(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	if s, ok := ligatures[r]; ok {
		return s
	}
	var b strings.Builder
	for _, c := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		if s, ok := ligatures[c]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenize splits text into words. Combining marks (decomposed accents)
// stay inside the word they follow; everything else that is not a letter or
// digit separates words, so "al-Qaïda", "al Qaida" and "Al Qaïda" all give
// the words al, qaida. Invalid UTF-8 bytes separate words too.
func tokenize(text string) []token {
	var toks []token
	var lower, cased strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			toks = append(toks, token{start: start, end: end, lower: lower.String(), cased: cased.String()})
			lower.Reset()
			cased.Reset()
			start = -1
		}
	}
	for i, r := range text {
		if r < 0x80 { // fast path for ASCII
			c := byte(r)
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				if start < 0 {
					start = i
				}
				cased.WriteByte(c)
				lower.WriteByte(c)
			case c >= 'A' && c <= 'Z':
				if start < 0 {
					start = i
				}
				cased.WriteByte(c)
				lower.WriteByte(c + 'a' - 'A')
			default:
				flush(i)
			}
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// an accent written as its own code point: part of the word
		case isWordRune(r):
			if start < 0 {
				start = i
			}
			f := foldRune(r)
			cased.WriteString(f)
			lower.WriteString(strings.ToLower(f))
		default:
			flush(i)
		}
	}
	flush(len(text))
	return toks
}

// Fold is the key two names are compared by: accents dropped, lower case,
// words separated by single spaces. "Armée  malienne" and "armee malienne"
// fold alike.
func Fold(s string) string {
	toks := tokenize(s)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.lower
	}
	return strings.Join(parts, " ")
}

// isAbbrev reports whether an alias is a short abbreviation that must be
// matched with its case: one word of at most six letters, two or more of
// them capitals (FAMa, JNIM, FDS, HANI...), so that "fan", "fla" or the
// name "Hani" are not read as actors.
func isAbbrev(alias string, toks []token) bool {
	if len(toks) != 1 || len([]rune(toks[0].cased)) > 6 {
		return false
	}
	upper := 0
	for _, r := range toks[0].cased {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

// allUpper reports whether a word is written in capitals only, as in
// headlines ("LES FAMA REPRENNENT..."), where an abbreviation's own mixed
// case is lost.
func allUpper(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			has = true
		}
	}
	return has
}
