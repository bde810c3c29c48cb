package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTableMax bounds the precomputed folding table: Latin-1 and Latin
// Extended-A/B cover nearly every rune in English and French news text.
const foldTableMax = 0x250

var foldTable = func() [foldTableMax]string {
	var t [foldTableMax]string
	for r := rune(0); r < foldTableMax; r++ {
		t[r] = slowFold(r)
	}
	return t
}()

// slowFold folds one rune: special letters and punctuation first, then
// lowercase and drop the combining marks of its canonical decomposition.
func slowFold(r rune) string {
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß':
		return "ss"
	case 'ø', 'Ø':
		return "o"
	case 'ł', 'Ł':
		return "l"
	case 'đ', 'Đ':
		return "d"
	case 'ı':
		return "i"
	case '’', '‘', 'ʼ', '‛', '′', '`', '´':
		return "'"
	case '“', '”', '„', '‟', '«', '»', '″', '‹', '›':
		return "\""
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹘', '﹣', '－':
		return "-"
	case '…':
		return "..."
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return "" // invisible: soft hyphen, zero-width joiners, BOM
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return string(r)
	}
	if unicode.Is(unicode.Mn, r) {
		return ""
	}
	if unicode.IsSpace(r) {
		return " " // no-break and thin spaces, used in French figures "1 000"
	}
	d := norm.NFD.String(string(unicode.ToLower(r)))
	var b strings.Builder
	for _, c := range d {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func foldRune(r rune) string {
	if r >= 0 && r < foldTableMax {
		return foldTable[r]
	}
	return slowFold(r)
}

// Fold lowercases s, strips accents, maps œ to oe and æ to ae, typographic
// apostrophes to ', typographic quotes and guillemets to ", dashes to -, and
// unusual spaces to a plain space. Invalid UTF-8 bytes become U+FFFD. The
// result is meant for matching, not display; its length may differ from s.
func Fold(s string) string {
	f, _ := fold(s, false)
	return f
}

// FoldWithMap returns Fold(s) and, for each byte of the folded string, the
// byte offset in s of the rune it came from, so that a match found in the
// folded text maps back to offsets in s.
func FoldWithMap(s string) (string, []int) {
	return fold(s, true)
}

func fold(s string, withMap bool) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	var m []int
	if withMap {
		m = make([]int, 0, len(s)+8)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			if withMap {
				m = append(m, i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		f := "\uFFFD"
		if r != utf8.RuneError || size > 1 {
			f = foldRune(r)
		}
		b.WriteString(f)
		if withMap {
			for range len(f) {
				m = append(m, i)
			}
		}
		i += size
	}
	return b.String(), m
}
