package analysis

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

//go:embed data/situations.tsv
var situationsTSV []byte

type term struct {
	kind, status, text string
}

// lexicon holds the situation words, folded.
type lexicon struct {
	terms []term
}

func loadLexicon() (*lexicon, error) {
	lx := &lexicon{}
	sc := bufio.NewScanner(bytes.NewReader(situationsTSV))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("analysis: situations.tsv line %d: want 3 tab-separated columns", n)
		}
		lx.terms = append(lx.terms, term{kind: f[0], status: f[1], text: strings.ToLower(nlp.Fold(f[2]))})
	}
	return lx, sc.Err()
}

// match returns the terms of kind found in folded text, as word prefixes.
func (lx *lexicon) match(folded, kind string) []term {
	var out []term
	for _, t := range lx.terms {
		if (kind == "" || t.kind == kind) && hasWordPrefix(folded, t.text) {
			out = append(out, t)
		}
	}
	return out
}

// classify returns the situation kinds text names, in lexicon order.
func (lx *lexicon) classify(folded string) []term {
	var out []term
	seen := map[string]bool{}
	for _, t := range lx.match(folded, "") {
		if t.kind == "convoy" || t.kind == "road" || t.kind == "hedge" || seen[t.kind] {
			continue
		}
		seen[t.kind] = true
		out = append(out, t)
	}
	return out
}

func hasWordPrefix(s, p string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], p)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isWordByte(s[j-1]) {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}
