package nlp

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/*.txt
var dataFS embed.FS

// phrase is a folded multi-token word sequence from a data file.
type phrase struct {
	toks []string
	tag  string
	lang string
}

// phraseSet indexes phrases by their first token, longest first, so that a
// match at one position costs a few comparisons whatever the list length.
type phraseSet map[string][]phrase

func (ps phraseSet) add(p phrase) {
	if len(p.toks) == 0 {
		return
	}
	l := append(ps[p.toks[0]], p)
	sort.SliceStable(l, func(i, j int) bool { return len(l[i].toks) > len(l[j].toks) })
	ps[p.toks[0]] = l
}

type monthWord struct {
	month int
	lang  string
	abbr  bool
}

type weekdayWord struct {
	wd   int
	lang string
}

type collective struct {
	value  int
	plural bool
}

type lexicon struct {
	abbrev      map[string]bool // never end a sentence
	abbrevFinal map[string]bool // may end a sentence before a capital
	cardinals   map[string]int
	collectives map[string]collective
	qualifiers  phraseSet
	unitsAfter  map[string]bool
	unitsBefore map[string]bool
	yearPreps   map[string]bool
	months      map[string][]monthWord
	weekdays    map[string][]weekdayWord
	datePhrases phraseSet
	stopwords   map[string]string
	// dateStarts and numStarts hold every word that can open a date or a
	// count, so most tokens are skipped with one map look-up.
	dateStarts map[string]bool
	numStarts  map[string]bool
	errs       []string // malformed data lines, reported by tests
}

var (
	lexOnce sync.Once
	lex     *lexicon
)

func getLex() *lexicon {
	lexOnce.Do(func() { lex = loadLexicon() })
	return lex
}

// dataLines returns the fields of the non-blank, non-comment lines of a data file.
func (l *lexicon) dataLines(name string) [][]string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		l.errs = append(l.errs, fmt.Sprintf("%s: %v", name, err))
		return nil
	}
	var out [][]string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Fields(line))
	}
	return out
}

func (l *lexicon) bad(name string, f []string) {
	l.errs = append(l.errs, fmt.Sprintf("%s: malformed line %q", name, strings.Join(f, " ")))
}

// phraseTokens folds and tokenizes a phrase the way text is tokenized.
func phraseTokens(s string) []string {
	f := Fold(s)
	toks := tokenize(f)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = f[t.s:t.e]
	}
	return out
}

func loadLexicon() *lexicon {
	l := &lexicon{
		abbrev:      map[string]bool{},
		abbrevFinal: map[string]bool{},
		cardinals:   map[string]int{},
		collectives: map[string]collective{},
		qualifiers:  phraseSet{},
		unitsAfter:  map[string]bool{},
		unitsBefore: map[string]bool{},
		yearPreps:   map[string]bool{},
		months:      map[string][]monthWord{},
		weekdays:    map[string][]weekdayWord{},
		datePhrases: phraseSet{},
		stopwords:   map[string]string{},
	}
	for _, f := range l.dataLines("abbreviations.txt") {
		l.abbrev[Fold(f[0])] = true
	}
	for _, f := range l.dataLines("abbreviations_final.txt") {
		l.abbrevFinal[Fold(f[0])] = true
	}
	for _, f := range l.dataLines("numbers.txt") {
		if len(f) != 3 {
			l.bad("numbers.txt", f)
			continue
		}
		v, err := strconv.Atoi(f[2])
		if err != nil {
			l.bad("numbers.txt", f)
			continue
		}
		l.cardinals[Fold(f[1])] = v
	}
	for _, f := range l.dataLines("collectives.txt") {
		if len(f) < 3 {
			l.bad("collectives.txt", f)
			continue
		}
		v, err := strconv.Atoi(f[2])
		if err != nil {
			l.bad("collectives.txt", f)
			continue
		}
		l.collectives[Fold(f[1])] = collective{value: v, plural: len(f) > 3 && f[3] == "plural"}
	}
	for _, f := range l.dataLines("qualifiers.txt") {
		if len(f) < 2 {
			l.bad("qualifiers.txt", f)
			continue
		}
		l.qualifiers.add(phrase{toks: phraseTokens(strings.Join(f[1:], " ")), tag: f[0]})
	}
	for _, f := range l.dataLines("units.txt") {
		if len(f) != 2 {
			l.bad("units.txt", f)
			continue
		}
		switch f[0] {
		case "after":
			l.unitsAfter[Fold(f[1])] = true
		case "before":
			l.unitsBefore[Fold(f[1])] = true
		case "yearprep":
			l.yearPreps[Fold(f[1])] = true
		default:
			l.bad("units.txt", f)
		}
	}
	for _, f := range l.dataLines("months.txt") {
		n, err := strconv.Atoi(f[0])
		if len(f) < 3 || err != nil || n < 1 || n > 12 {
			l.bad("months.txt", f)
			continue
		}
		w := Fold(f[2])
		l.months[w] = append(l.months[w], monthWord{month: n, lang: f[1], abbr: len(f) > 3 && f[3] == "abbr"})
	}
	for _, f := range l.dataLines("weekdays.txt") {
		n, err := strconv.Atoi(f[0])
		if len(f) != 3 || err != nil || n < 0 || n > 6 {
			l.bad("weekdays.txt", f)
			continue
		}
		w := Fold(f[2])
		l.weekdays[w] = append(l.weekdays[w], weekdayWord{wd: n, lang: f[1]})
	}
	for _, f := range l.dataLines("dates.txt") {
		if len(f) < 3 || (f[1] != "en" && f[1] != "fr") {
			l.bad("dates.txt", f)
			continue
		}
		l.datePhrases.add(phrase{toks: phraseTokens(strings.Join(f[2:], " ")), tag: f[0], lang: f[1]})
	}
	for _, f := range l.dataLines("stopwords.txt") {
		if len(f) != 2 {
			l.bad("stopwords.txt", f)
			continue
		}
		l.stopwords[Fold(f[1])] = f[0]
	}
	l.dateStarts, l.numStarts = map[string]bool{}, map[string]bool{}
	for _, m := range []map[string]bool{l.yearPreps} {
		for w := range m {
			l.dateStarts[w] = true
		}
	}
	for w := range l.datePhrases {
		l.dateStarts[w] = true
	}
	for w := range l.months {
		l.dateStarts[w] = true
	}
	for w := range l.weekdays {
		l.dateStarts[w] = true
	}
	for w := range l.cardinals {
		l.dateStarts[w] = true
		l.numStarts[w] = true
	}
	for _, w := range []string{"this", "ce", "cet", "cette", "l", "la", "le", "a", "an", "un", "une"} {
		l.dateStarts[w] = true
	}
	for w := range l.collectives {
		l.numStarts[w] = true
	}
	for w := range l.qualifiers {
		l.numStarts[w] = true
	}
	l.numStarts["a"], l.numStarts["an"] = true, true
	return l
}
