package clean

import (
	"bufio"
	"embed"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

//go:embed data/*.txt
var dataFS embed.FS

// lexicon is the junk vocabulary, the stop words and the month names, all
// read from data files so an analyst can extend them without reading Go.
type lexicon struct {
	exact   map[string]bool // "= phrase": the whole folded line
	section []string        // "> phrase": starts a junk section
	strong  []string        // "! phrase": junk at any length
	weak    []string        // "phrase": junk in a short line
	res     []*regexp.Regexp
	stop    map[string]map[string]bool // lang -> stop words
	months  map[string]int
}

func loadLexicon(extra string) (*lexicon, error) {
	lx := &lexicon{exact: map[string]bool{}, stop: map[string]map[string]bool{}, months: map[string]int{}}
	for _, name := range []string{"junk_common.txt", "junk_en.txt", "junk_fr.txt"} {
		b, err := dataFS.ReadFile("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("clean: %s: %w", name, err)
		}
		if err := lx.addJunk(name, string(b)); err != nil {
			return nil, err
		}
	}
	if extra != "" {
		b, err := os.ReadFile(extra)
		if err != nil {
			return nil, fmt.Errorf("clean: lexicon: %w", err)
		}
		if err := lx.addJunk(extra, string(b)); err != nil {
			return nil, err
		}
	}
	for _, lang := range []string{"en", "fr"} {
		b, err := dataFS.ReadFile("data/stop_" + lang + ".txt")
		if err != nil {
			return nil, fmt.Errorf("clean: stop words: %w", err)
		}
		set := map[string]bool{}
		eachLine(string(b), func(_ int, l string) error {
			for _, w := range strings.Fields(l) {
				set[foldWord(w)] = true
			}
			return nil
		})
		lx.stop[lang] = set
	}
	b, err := dataFS.ReadFile("data/months.txt")
	if err != nil {
		return nil, fmt.Errorf("clean: months: %w", err)
	}
	err = eachLine(string(b), func(n int, l string) error {
		f := strings.Fields(l)
		m, err := strconv.Atoi(f[0])
		if err != nil || m < 1 || m > 12 || len(f) < 2 {
			return fmt.Errorf("clean: months.txt:%d: bad line %q", n, l)
		}
		for _, name := range f[1:] {
			lx.months[name] = m
		}
		return nil
	})
	return lx, err
}

// eachLine calls fn for every line that is neither blank nor a comment.
func eachLine(s string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(strings.NewReader(s))
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if err := fn(n, l); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (lx *lexicon) addJunk(name, s string) error {
	return eachLine(s, func(n int, l string) error {
		switch {
		case strings.HasPrefix(l, "re:"):
			re, err := regexp.Compile(strings.TrimSpace(l[3:]))
			if err != nil {
				return fmt.Errorf("clean: %s:%d: %w", name, n, err)
			}
			lx.res = append(lx.res, re)
		case strings.HasPrefix(l, "="):
			lx.exact[foldLine(l[1:])] = true
		case strings.HasPrefix(l, ">"):
			lx.section = append(lx.section, foldLine(l[1:]))
		case strings.HasPrefix(l, "!"):
			lx.strong = append(lx.strong, foldText(l[1:]))
		default:
			lx.weak = append(lx.weak, foldText(l))
		}
		return nil
	})
}

// foldText lower-cases s, straightens quotes and apostrophes and collapses
// white space, so vocabulary matches however a site typed it.
func foldText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		switch r {
		case '’', '‘', '`', '´':
			r = '\''
		case '“', '”', '«', '»', '„':
			r = '"'
		case '\u00a0', '\u2009', '\u202f':
			r = ' '
		}
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSpace(b.String())
}

// foldLine is foldText without the punctuation that menus and headings
// trail or lead with ("Related News:", "> Explore", "Sources |").
func foldLine(s string) string {
	return strings.TrimFunc(foldText(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":|>»«\"'-–—•·*.,;!()[]", r)
	})
}

func foldWord(w string) string {
	return strings.TrimFunc(foldText(w), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
}

// isSection reports whether a folded line opens a junk section: the marker
// alone, or the marker followed by punctuation ("Read also | …").
func (lx *lexicon) isSection(fl string) bool {
	for _, m := range lx.section {
		if fl == m {
			return true
		}
		if strings.HasPrefix(fl, m) && len(fl) > len(m) {
			r := fl[len(m)]
			if r == '|' || r == ':' || r == '-' || (r == ' ' && len(fl) > len(m)+1 && strings.ContainsRune("|:-–", rune(fl[len(m)+1]))) {
				return true
			}
		}
	}
	return false
}

// junk reports whether the vocabulary alone marks a line as junk.
func (lx *lexicon) junk(line string, words int) bool {
	fl := foldLine(line)
	if lx.exact[fl] {
		return true
	}
	ft := foldText(line)
	for _, p := range lx.strong {
		if strings.Contains(ft, p) {
			return true
		}
	}
	cues := 0
	for _, p := range lx.weak {
		if strings.Contains(ft, p) {
			cues++
		}
	}
	if cues > 0 && (words <= 12 || cues >= 2) {
		return true
	}
	for _, re := range lx.res {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}
