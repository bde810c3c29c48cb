package actors

import (
	"slices"
	"strings"
)

// Mention is one actor named in a text; Start and End are byte offsets and
// Text is text[Start:End].
type Mention struct {
	Start, End int
	Actor      Actor
	Text       string
}

// maxGap is the longest run of separators allowed between two words of an
// alias in a text ("JNIM : Group", "Mali (2021-)").
const maxGap = 6

// gapOK reports whether the separators between two words of a text may
// join them into one alias: no sentence end or paragraph break in between,
// unless the alias itself has the same separators.
func gapOK(gap, own string) bool {
	if gap == own {
		return true
	}
	if len(gap) > maxGap || strings.ContainsAny(gap, ".!?;") || strings.Count(gap, "\n") > 1 {
		return false
	}
	return true
}

// accept reports whether an entry's case rule allows the words it spans.
func (e entry) accept(toks []token) bool {
	if e.cased == nil {
		return true
	}
	w := toks[0].cased
	return w == e.cased[0] || allUpper(w)
}

type candidate struct {
	first, last int // token range, inclusive
	actor       int
	tail        string
}

// Find returns the actor mentions in text, in text order: the longest
// match wins where aliases overlap, matches do not overlap, and they start
// and end on word boundaries. Matching ignores case and accents, except
// for short abbreviations (FAMa, JNIM, FDS, HANI...) which must be written
// with their own capitals or in all capitals. Generic terms ("gunmen",
// "civilians", "soldats") come back with Country "" for the caller to fill
// in with ForCountry.
func (r *Registry) Find(text string) []Mention {
	toks := tokenize(text)
	var cands []candidate
	for i := range toks {
		n := r.root
		for j := i; j < len(toks); j++ {
			next, ok := n.next[toks[j].lower]
			if !ok {
				break
			}
			n = next
			for _, e := range n.entries {
				if !e.accept(toks[i:]) || !r.gapsOK(text, toks[i:j+1], e.gaps) {
					continue
				}
				cands = append(cands, candidate{i, j, e.actor, e.tail})
				break
			}
		}
	}
	// longest first (in bytes), then leftmost
	slices.SortStableFunc(cands, func(a, b candidate) int {
		la := toks[a.last].end - toks[a.first].start
		lb := toks[b.last].end - toks[b.first].start
		if la != lb {
			return lb - la
		}
		return a.first - b.first
	})
	taken := make([]bool, len(toks))
	var out []Mention
	for _, c := range cands {
		free := true
		for k := c.first; k <= c.last; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := c.first; k <= c.last; k++ {
			taken[k] = true
		}
		s, e := toks[c.first].start, toks[c.last].end
		if c.tail != "" && strings.HasPrefix(text[e:], c.tail) {
			e += len(c.tail) // "(2023-)": keep the closing bracket the name ends with
		}
		out = append(out, Mention{Start: s, End: e, Actor: r.actors[c.actor], Text: text[s:e]})
	}
	slices.SortFunc(out, func(a, b Mention) int { return a.Start - b.Start })
	return out
}

func (r *Registry) gapsOK(text string, toks []token, own []string) bool {
	for k := 1; k < len(toks); k++ {
		o := ""
		if k-1 < len(own) {
			o = own[k-1]
		}
		if !gapOK(text[toks[k-1].end:toks[k].start], o) {
			return false
		}
	}
	return true
}
