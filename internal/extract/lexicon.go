package extract

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

//go:embed data/*.tsv
var dataFS embed.FS

// pattern is one phrase of a lexicon: a sequence of folded words, the last
// of which may end in a wildcard.
type pattern struct {
	words  []string
	prefix bool // the last word matches by prefix
	value  string
}

// phraseSet matches phrases against word sequences. It is indexed by the
// first word (or its first three letters for prefix phrases) so a sentence
// is scanned once.
type phraseSet struct {
	exact  map[string][]pattern
	prefix map[string][]pattern // keyed by the first 3 bytes of the first word
}

func newPhraseSet() *phraseSet {
	return &phraseSet{exact: map[string][]pattern{}, prefix: map[string][]pattern{}}
}

func (s *phraseSet) add(phrase, value string) {
	words := splitWords(nlp.Fold(phrase))
	if len(words) == 0 {
		return
	}
	p := pattern{value: value}
	last := words[len(words)-1]
	if strings.HasSuffix(last, "*") {
		p.prefix = true
		words[len(words)-1] = strings.TrimSuffix(last, "*")
	}
	p.words = words
	first := words[0]
	if p.prefix && len(words) == 1 {
		key := first
		if len(key) > 3 {
			key = key[:3]
		}
		s.prefix[key] = append(s.prefix[key], p)
		return
	}
	s.exact[first] = append(s.exact[first], p)
}

// hit is one phrase found in a word sequence: words [from, to).
type hit struct {
	from, to int
	value    string
}

// match returns the longest phrase starting at each word, left to right,
// not overlapping. A hyphenated word also matches by its last part
// ("dual-IED", "triple-attack", "contre-attaque").
func (s *phraseSet) match(ws []word) []hit {
	var out []hit
	for i := 0; i < len(ws); {
		best := hit{from: -1}
		try := func(p pattern, first string) {
			n := len(p.words)
			if i+n > len(ws) {
				return
			}
			for k, w := range p.words {
				t := ws[i+k].text
				if k == 0 {
					t = first
				}
				if k == n-1 && p.prefix {
					if !strings.HasPrefix(t, w) {
						return
					}
				} else if t != w {
					return
				}
			}
			if best.from < 0 || n > best.to-best.from {
				best = hit{from: i, to: i + n, value: p.value}
			}
		}
		firsts := []string{ws[i].text}
		if h := strings.LastIndexByte(ws[i].text, '-'); h > 0 && h < len(ws[i].text)-1 {
			firsts = append(firsts, ws[i].text[h+1:])
		}
		for _, first := range firsts {
			for _, p := range s.exact[first] {
				try(p, first)
			}
			key := first
			if len(key) > 3 {
				key = key[:3]
			}
			for _, p := range s.prefix[key] {
				try(p, first)
			}
		}
		if best.from >= 0 {
			out = append(out, best)
			i = best.to
			continue
		}
		i++
	}
	return out
}

// countRoles are the roles of counts.tsv.
var countRoles = map[string]bool{"not-people": true, "subset": true, "code": true, "filler": true, "plural": true,
	"kill": true, "die": true}

// class says what a trigger class means.
type class struct {
	name      string
	priority  int
	eventType string // "BY_TARGET" when the target decides
	subType   string
	situation bool
	weak      bool
}

// Lexicon is everything the extractor reads from data files.
type Lexicon struct {
	triggers *phraseSet
	classes  map[string]class
	cues     *phraseSet
	negative *phraseSet
	targets  *phraseSet
	deaths   *phraseSet
	words    map[string]map[string]bool // role -> folded words (counts.tsv)
}

// is tells whether a folded word has a role in counts.tsv.
func (lx *Lexicon) is(role, w string) bool { return lx.words[role][w] }

// LoadLexicon reads the embedded lexicon, plus the files in extraDir (same
// names as the embedded ones) when extraDir is not empty, so an analyst can
// add trigger words without rebuilding.
func LoadLexicon(extraDir string) (*Lexicon, error) {
	lx := &Lexicon{
		triggers: newPhraseSet(), classes: map[string]class{}, cues: newPhraseSet(),
		negative: newPhraseSet(), targets: newPhraseSet(), deaths: newPhraseSet(),
		words: map[string]map[string]bool{},
	}
	pairs := map[string]*phraseSet{
		"triggers.tsv": lx.triggers, "cues.tsv": lx.cues, "negative.tsv": lx.negative,
		"targets.tsv": lx.targets, "deaths.tsv": lx.deaths,
	}
	names := []string{"classes.tsv", "counts.tsv", "cues.tsv", "deaths.tsv", "negative.tsv", "targets.tsv", "triggers.tsv"}
	for _, name := range names {
		f, err := dataFS.Open("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("extract: lexicon %s: %w", name, err)
		}
		err = lx.read(name, f, pairs)
		f.Close()
		if err != nil {
			return nil, err
		}
		if extraDir == "" {
			continue
		}
		path := extraDir + string(os.PathSeparator) + name
		ef, err := os.Open(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("extract: lexicon %s: %w", path, err)
		}
		err = lx.read(path, ef, pairs)
		ef.Close()
		if err != nil {
			return nil, err
		}
	}
	for _, set := range []*phraseSet{lx.triggers} {
		for _, ps := range set.exact {
			for _, p := range ps {
				if _, ok := lx.classes[p.value]; !ok {
					return nil, fmt.Errorf("extract: trigger %q has unknown class %q", strings.Join(p.words, " "), p.value)
				}
			}
		}
	}
	return lx, nil
}

func (lx *Lexicon) read(name string, r io.Reader, pairs map[string]*phraseSet) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r ")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		base := name[strings.LastIndexAny(name, "/\\")+1:]
		if base == "classes.tsv" {
			if len(cols) < 3 {
				return fmt.Errorf("extract: %s:%d: want class, priority, event type", name, n)
			}
			pr, err := strconv.Atoi(cols[1])
			if err != nil {
				return fmt.Errorf("extract: %s:%d: priority: %w", name, n, err)
			}
			c := class{name: cols[0], priority: pr, eventType: cols[2]}
			if len(cols) > 3 {
				c.subType = cols[3]
			}
			for _, fl := range cols[min(4, len(cols)):] {
				c.situation = c.situation || fl == "situation"
				c.weak = c.weak || fl == "weak"
			}
			lx.classes[c.name] = c
			continue
		}
		if base == "counts.tsv" {
			if len(cols) != 2 || !countRoles[strings.TrimSpace(cols[1])] {
				return fmt.Errorf("extract: %s:%d: want word, role (not-people, subset, code, filler, plural, kill or die)", name, n)
			}
			role := strings.TrimSpace(cols[1])
			if lx.words[role] == nil {
				lx.words[role] = map[string]bool{}
			}
			lx.words[role][strings.Join(splitWords(nlp.Fold(cols[0])), " ")] = true
			continue
		}
		set := pairs[base]
		if set == nil {
			return fmt.Errorf("extract: %s: not a lexicon file", name)
		}
		value := ""
		if len(cols) > 1 {
			value = strings.TrimSpace(cols[1])
		}
		set.add(cols[0], value)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("extract: %s: %w", name, err)
	}
	return nil
}

// word is a token of folded text with its byte span in the folded string.
type word struct {
	text       string
	start, end int
	orig       int // offset of the word in the original text, once known
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '\'' || c == '-' || c >= 0x80
}

// tokenize splits folded text into words. Apostrophes split French elisions
// ("l'armee" → "l'", "armee") so phrases can name the noun alone; hyphens
// stay inside words ("cessez-le-feu").
func tokenize(s string) []word {
	var out []word
	i := 0
	for i < len(s) {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		start := i
		for i < len(s) && isWordByte(s[i]) {
			if s[i] == '\'' {
				i++
				break
			}
			i++
		}
		if i > start {
			t := strings.Trim(s[start:i], "-")
			if t != "" && t != "'" {
				off := start + strings.Index(s[start:i], t)
				out = append(out, word{text: t, start: off, end: off + len(t)})
			}
		}
	}
	return out
}

func splitWords(s string) []string {
	ws := tokenize(s)
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.text)
	}
	// keep a trailing wildcard, which tokenize drops
	if strings.HasSuffix(strings.TrimSpace(s), "*") && len(out) > 0 {
		out[len(out)-1] += "*"
	}
	return out
}

// classNames lists classes by priority, highest first (for stable output).
func (lx *Lexicon) classNames() []string {
	var names []string
	for n := range lx.classes {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := lx.classes[names[i]], lx.classes[names[j]]
		if a.priority != b.priority {
			return a.priority > b.priority
		}
		return a.name < b.name
	})
	return names
}
