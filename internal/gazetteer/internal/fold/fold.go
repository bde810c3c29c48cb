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
