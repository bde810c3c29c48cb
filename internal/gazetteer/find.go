package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/fold"
)

// Match is a known place name found in a text.
type Match struct {
	Start, End int     // byte offsets of the name in the text
	Text       string  // the name as written
	Entries    []Entry // candidates, best rank first
}

// Token is one word of a text with its byte offsets; words split at spaces,
// punctuation, hyphens and apostrophes.
type Token struct {
	Start, End int
	Word       string // folded
	Upper      bool   // starts with an upper-case letter
	AllCaps    bool   // two or more letters, all upper case
}

// Tokens splits text into words. Invalid UTF-8 bytes separate words.
func Tokens(text string) []Token {
	var out []Token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		r, _ := utf8.DecodeRuneInString(w)
		t := Token{Start: start, End: end, Word: fold.Words(w), Upper: unicode.IsUpper(r)}
		if t.Upper && utf8.RuneCountInString(w) >= 2 {
			t.AllCaps = strings.ToUpper(w) == w && strings.ToLower(w) != w
		}
		if t.Word != "" {
			out = append(out, t)
		}
		start = -1
	}
	for i, r := range text {
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(text))
	return out
}

// joinable reports whether the text between two words may sit inside one
// place name: a space, hyphen or apostrophe ("Ti-n-Zaouâtene",
// "N'Tillit", "Tin Zaouatene").
func joinable(sep string) bool {
	if sep == "" || len(sep) > 4 {
		return false
	}
	for _, r := range sep {
		switch r {
		case ' ', '-', '\'', '’', '‘', '‐', '‑', '`':
		default:
			return false
		}
	}
	return true
}

// FindAll returns every known place name in text, longest match first and
// not overlapping, in text order. To keep news prose from matching villages
// called "Police" or "Amadou", a name must start with a capital letter, must
// not be on the stop list, must be at least three letters (unless a major
// place), must not be an all-capitals acronym (unless a major place), must
// not follow a first name or title, and must not lie inside a known
// armed-group name such as "Katiba Macina".
func (g *Gazetteer) FindAll(text string) []Match {
	toks := Tokens(text)
	masked := g.maskGroups(toks)
	headline := headlines(text, toks)
	var out []Match
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if masked[i] || !t.Upper || g.afterPersonWord(text, toks, i) || !headline[i] && g.afterNameWord(text, toks, i) {
			continue
		}
		if text[t.Start:t.End] == "À" {
			// French "à" opening a sentence: a preposition, never part of
			// a name (keys join words without spaces, so "À Djibo" would
			// otherwise read as a village "Adjibo")
			continue
		}
		best, bestN := []int32(nil), 0
		var key strings.Builder
		for n := 1; n <= g.maxWords && i+n <= len(toks); n++ {
			j := i + n - 1
			if n > 1 && (masked[j] || !joinable(text[toks[j-1].End:toks[j].Start])) {
				break
			}
			key.WriteString(strings.ReplaceAll(toks[j].Word, " ", ""))
			k := key.String()
			ids := g.index[k]
			if len(ids) == 0 || g.stop[k] || g.person[k] {
				continue
			}
			top := g.entries[ids[0]].Rank
			if len(k) < 3 && top < 80 {
				continue
			}
			if n == 1 && t.AllCaps && top < 80 {
				continue
			}
			// A multi-word name must end on a capitalised word or be a
			// hyphenated/apostrophe compound; "Gao and" is not a name.
			if n > 1 && !toks[j].Upper && !strings.ContainsAny(text[toks[j-1].End:toks[j].Start], "-'’") && !g.isAffix(toks[j].Word) {
				continue
			}
			best, bestN = ids, n
		}
		if bestN == 0 {
			continue
		}
		end := toks[i+bestN-1].End
		// Part of a longer compound we do not know ("Tin" of "Tin-Toukar",
		// "Tin Bidene"): not this place.
		if g.partial(text, toks, i, i+bestN) {
			i += bestN - 1
			if bestN == 1 && tamasheq[t.Word] {
				i++ // the rest of the unknown compound
			}
			continue
		}
		m := Match{Start: t.Start, End: end, Text: text[t.Start:end], Entries: make([]Entry, len(best))}
		for x, id := range best {
			m.Entries[x] = g.entries[id]
		}
		out = append(out, m)
		i += bestN - 1
	}
	return out
}

// isAffix reports whether a folded word is an administrative suffix
// ("region", "cercle"), which may follow a name in lower case.
func (g *Gazetteer) isAffix(w string) bool {
	for _, s := range g.suffixes {
		if len(s) == 1 && s[0] == w {
			return true
		}
	}
	return false
}

// maskGroups marks the tokens inside known armed-group and other non-place
// names.
func (g *Gazetteer) maskGroups(toks []Token) []bool {
	masked := make([]bool, len(toks))
	for i := range toks {
		for _, grp := range g.groups {
			if i+len(grp) > len(toks) {
				continue
			}
			ok := true
			for k, w := range grp {
				if toks[i+k].Word != w {
					ok = false
					break
				}
			}
			if ok {
				for k := range grp {
					masked[i+k] = true
				}
				break
			}
		}
	}
	return masked
}

// afterPersonWord reports whether token i directly follows a first name or
// a title ("Amadou Koufa", "Colonel Goita", "Iyad Ag Ghaly"), which makes it
// a surname rather than a place.
func (g *Gazetteer) afterPersonWord(text string, toks []Token, i int) bool {
	if i == 0 || text[toks[i-1].End:toks[i].Start] != " " {
		return false
	}
	p := toks[i-1]
	return p.Upper && g.person[strings.ReplaceAll(p.Word, " ", "")] || p.Word == "ag" || p.Word == "ould" || p.Word == "ben"
}

// afterNameWord reports whether token i directly follows a capitalised
// word that is neither a known place nor a stop word, in the middle of a
// sentence: "Lionel Bilgo", "Gabriel Toure hospital". Such a pair is a
// person's or an institution's name more often than a village, and a
// village named after an unknown word ("Mama Daga") is not the known
// village either.
func (g *Gazetteer) afterNameWord(text string, toks []Token, i int) bool {
	if i == 0 || text[toks[i-1].End:toks[i].Start] != " " {
		return false
	}
	p := toks[i-1]
	k := strings.ReplaceAll(p.Word, " ", "")
	if !p.Upper || p.AllCaps || len(g.index[k]) > 0 || g.stop[k] || g.isAffix(k) || len(k) < 3 {
		return false
	}
	// Sentence-initial words are capitalised for another reason.
	before := strings.TrimRight(text[:p.Start], " \t\"“«'‘(")
	if before == "" {
		return false
	}
	switch before[len(before)-1] {
	case '.', '!', '?', ':', '\n', ';', '-':
		return false
	}
	return true
}

// headlines marks the tokens of lines written in title case (more than
// three quarters of their words of four letters or more capitalised), where a
// capitalised word says nothing about names.
func headlines(text string, toks []Token) []bool {
	out := make([]bool, len(toks))
	for a := 0; a < len(toks); {
		end := strings.IndexByte(text[toks[a].Start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += toks[a].Start
		}
		b, long, upper := a, 0, 0
		for ; b < len(toks) && toks[b].Start < end; b++ {
			if toks[b].End-toks[b].Start >= 4 {
				long++
				if toks[b].Upper {
					upper++
				}
			}
		}
		if long >= 3 && upper*4 >= long*3 {
			for k := a; k < b; k++ {
				out[k] = true
			}
		}
		a = b
	}
	return out
}

// Masked reports which tokens of text lie inside armed-group names.
func (g *Gazetteer) Masked(toks []Token) []bool { return g.maskGroups(toks) }

var tamasheq = map[string]bool{"tin": true, "in": true, "ti": true, "i": true}

// partial reports whether tokens [i, j) are glued by a hyphen to a word
// that is not itself a known name (so "Tin" of "Tin-Toukar", but not "Gao"
// of the road "Gao-Ansongo"), or are a short word followed by another
// capitalised word, i.e. only a piece of a longer name.
func (g *Gazetteer) partial(text string, toks []Token, i, j int) bool {
	hyphen := func(gap string) bool { return gap == "-" || gap == "‑" || gap == "‐" }
	if i > 0 && hyphen(text[toks[i-1].End:toks[i].Start]) && len(g.index[toks[i-1].Word]) == 0 {
		return true
	}
	if j < len(toks) {
		gap := text[toks[j-1].End:toks[j].Start]
		if hyphen(gap) && len(g.index[toks[j].Word]) == 0 {
			return true
		}
		next := toks[j]
		// "Tin", "In", "Ti" and "I" open Tamasheq compounds ("Tin
		// Aouker", "In Tebezas"); when the compound is not known, the
		// pieces are not places either.
		if j-i == 1 && next.Upper && joinable(gap) && tamasheq[toks[i].Word] {
			return true
		}
		// A single village-rank word followed by an unknown capitalised
		// word is the first half of a two-word name ("Souk Nagadar").
		if j-i == 1 && gap == " " && next.Upper && !next.AllCaps && len(g.index[next.Word]) == 0 && !g.stop[next.Word] && !g.isAffix(next.Word) {
			ids := g.index[strings.ReplaceAll(toks[i].Word, " ", "")]
			if len(ids) > 0 && g.entries[ids[0]].Rank < 80 {
				return true
			}
		}
	}
	return false
}
