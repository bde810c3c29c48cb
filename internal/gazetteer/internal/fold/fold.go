// Package fold normalises place names for matching: case, accents,
// punctuation, hyphens and apostrophes all fold away, so "Ti-n-Zaouâtene",
// "Tin Zaouatene" and "TINZAOUATENE" share one key.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// special maps letters that NFD does not decompose to their ASCII spelling.
var special = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l", 'ı': "i", 'ŋ': "ng", 'Ŋ': "ng",
	'ɛ': "e", 'Ɛ': "e", 'ɔ': "o", 'Ɔ': "o", 'ɲ': "ny", 'Ɲ': "ny", 'ƴ': "y",
}

// Words folds s into lower-case ASCII-ish words separated by single spaces:
// accents are dropped and every run of non-letters (hyphens, apostrophes,
// dots, spaces) becomes one space.
func Words(s string) string {
	if ascii(s) {
		return asciiWords(s)
	}
	return nfdWords(s)
}

// nfdWords is Words for any text, through Unicode decomposition.
func nfdWords(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(s) {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case special[r] != "":
			b.WriteString(special[r])
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiWords is Words for ASCII text, without the Unicode normalisation
// that dominates loading the gazetteer (most GeoNames names are ASCII).
func asciiWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
			space = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Key is the matching key: Words without the spaces, so that hyphen, space
// and apostrophe variants of a name meet.
func Key(s string) string {
	return strings.ReplaceAll(Words(s), " ", "")
}

var skeletonReplacer = strings.NewReplacer("tch", "c", "ch", "c", "sh", "c", "dj", "j", "dy", "j", "kh", "k", "gh", "g", "ph", "f", "q", "k", "ck", "k", "w", "", "h", "", "y", "")

// Skeleton reduces a key to a rough phonetic consonant frame used only to
// find candidates for near-miss spellings (Baraouéli/Barouéli,
// Dioïla/Dioila, Ntillit/Intillit); candidates are then checked by edit
// distance.
func Skeleton(key string) string {
	k := skeletonReplacer.Replace(key)
	var b strings.Builder
	var last byte
	for i := 0; i < len(k); i++ {
		c := k[i]
		if strings.IndexByte("aeiou", c) >= 0 {
			continue
		}
		if c == 'c' {
			c = 'k'
		}
		if c == last {
			continue
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}

// Oral reduces a key to how it sounds across the French, English and local
// transcriptions of one name: "ou" and "w", "dj" and "j", "y" and "i",
// "c", "k" and "q", "ch", "sh" and "tch", doubled letters. Near-miss
// spellings are compared on this form ("Ouolon" and "Wolon" are one).
func Oral(key string) string {
	k := oralReplacer.Replace(key)
	var b strings.Builder
	var last byte
	for i := 0; i < len(k); i++ {
		if k[i] == last {
			continue
		}
		b.WriteByte(k[i])
		last = k[i]
	}
	return b.String()
}

var oralReplacer = strings.NewReplacer("tch", "c", "ch", "c", "sh", "c", "dj", "j", "dy", "j", "ou", "w", "kh", "k", "gh", "g", "ph", "f", "qu", "k", "q", "k", "ck", "k", "k", "c", "y", "i")

// Nasal is Skeleton without the nasals, which local names gain and lose
// before consonants ("Tindibawen" and "Tidimbawen", "Mbana" and "Bana").
func Nasal(skeleton string) string { return nasalReplacer.Replace(skeleton) }

var nasalReplacer = strings.NewReplacer("n", "", "m", "")

// Distance is the Levenshtein distance between two ASCII keys.
func Distance(a, b string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
