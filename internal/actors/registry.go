package actors

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed data/actors.tsv
var actorsTSV []byte

//go:embed data/generic.tsv
var genericTSV []byte

// ErrFormat marks a registry file that cannot be read.
var ErrFormat = errors.New("actors: bad registry file")

// Actor is one actor of the registry. Parent is the id of the group it
// belongs to ("" for none); Inter is ACLED's interaction code (1 state
// forces, 2 rebel groups, 3 political militias, 4 identity militias,
// 5 rioters, 6 protesters, 7 civilians, 8 external/other forces). Generic
// actors come from words that name no group ("gunmen", "civilians",
// "soldiers"): their Country is "" until ForCountry gives them one.
type Actor struct {
	ID, Name, Parent string /* parent id */
	Inter            int
	Country          string
	Generic          bool
}

// Registry is the actor registry with its alias index. It is read-only
// after loading and safe for concurrent use.
type Registry struct {
	actors []Actor
	byID   map[string]int
	// form[generic id] is the name pattern of a generic actor's
	// country-specific form, e.g. "Civilians ({country})".
	form map[string]string
	// forCountry[generic id + "\x00" + folded country] is the registry
	// actor that is that form, e.g. Military Forces of Mali (2021-).
	forCountry map[string]int
	aliases    [][]string // per actor, as written in the data
	root       *node
}

// node is a trie over folded words.
type node struct {
	next    map[string]*node
	entries []entry
}

// entry is one alias ending at a node.
type entry struct {
	actor  int
	cased  []string // set for case-sensitive abbreviations
	gaps   []string // the alias's own separators between words, e.g. ": "
	length int      // words
	tail   string   // closing punctuation the alias ends with, e.g. ")" or "-)"
}

// Load returns the registry shipped in data/.
func Load() (*Registry, error) { return build(nil, "") }

// LoadWithExtra returns the shipped registry plus the actors of a file in
// the format of data/actors.tsv. A row whose id is already known adds its
// aliases to that actor and overrides the fields it fills in; other rows add
// actors.
func LoadWithExtra(path string) (*Registry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	return build(b, path)
}

type row struct {
	a       Actor
	generic string // the generic actor this one is the country form of
	aliases []string
}

// readTSV yields the non-comment, non-blank rows of a tab-separated file,
// checking the column count. A first row starting with "id" is a header.
func readTSV(b []byte, name string, cols int, fn func(line int, f []string) error) error {
	if !utf8.Valid(b) {
		return fmt.Errorf("%w: %s: not UTF-8", ErrFormat, name)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return fmt.Errorf("%w: %s:%d: %d columns, want %d", ErrFormat, name, n, len(f), cols)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if f[0] == "id" {
			continue
		}
		if f[0] == "" {
			return fmt.Errorf("%w: %s:%d: empty id", ErrFormat, name, n)
		}
		if err := fn(n, f); err != nil {
			return fmt.Errorf("%w: %s:%d: %v", ErrFormat, name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	return nil
}

func parseInter(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 8 {
		return 0, fmt.Errorf("inter %q is not 1..8", s)
	}
	return n, nil
}

func splitAliases(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// actor file columns: id name inter parent country generic aliases
func readActors(b []byte, name string, merge bool, rows *[]row, index map[string]int) error {
	return readTSV(b, name, 7, func(_ int, f []string) error {
		r := row{a: Actor{ID: f[0], Name: f[1], Parent: f[3], Country: f[4]}, generic: f[5], aliases: splitAliases(f[6])}
		if f[2] != "" {
			n, err := parseInter(f[2])
			if err != nil {
				return err
			}
			r.a.Inter = n
		}
		if i, ok := index[r.a.ID]; ok {
			if !merge {
				return fmt.Errorf("duplicate id %q", r.a.ID)
			}
			old := &(*rows)[i]
			if r.a.Name != "" {
				old.a.Name = r.a.Name
			}
			if r.a.Inter != 0 {
				old.a.Inter = r.a.Inter
			}
			if r.a.Parent != "" {
				old.a.Parent = r.a.Parent
			}
			if r.a.Country != "" {
				old.a.Country = r.a.Country
			}
			if r.generic != "" {
				old.generic = r.generic
			}
			old.aliases = append(old.aliases, r.aliases...)
			return nil
		}
		if r.a.Name == "" || r.a.Inter == 0 {
			return fmt.Errorf("actor %q needs a name and an inter code", r.a.ID)
		}
		index[r.a.ID] = len(*rows)
		*rows = append(*rows, r)
		return nil
	})
}

func build(extra []byte, extraName string) (*Registry, error) {
	var rows []row
	index := map[string]int{}
	form := map[string]string{}
	// generic file columns: id name country_form inter aliases
	err := readTSV(genericTSV, "data/generic.tsv", 5, func(_ int, f []string) error {
		n, err := parseInter(f[3])
		if err != nil {
			return err
		}
		if _, dup := index[f[0]]; dup {
			return fmt.Errorf("duplicate id %q", f[0])
		}
		index[f[0]] = len(rows)
		rows = append(rows, row{a: Actor{ID: f[0], Name: f[1], Inter: n, Generic: true}, aliases: splitAliases(f[4])})
		form[f[0]] = f[2]
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := readActors(actorsTSV, "data/actors.tsv", false, &rows, index); err != nil {
		return nil, err
	}
	if extra != nil {
		if err := readActors(extra, extraName, true, &rows, index); err != nil {
			return nil, err
		}
	}
	r := &Registry{byID: index, form: form, forCountry: map[string]int{}, root: &node{}}
	for i, rw := range rows {
		if p := rw.a.Parent; p != "" {
			if _, ok := index[p]; !ok {
				return nil, fmt.Errorf("%w: actor %q: unknown parent %q", ErrFormat, rw.a.ID, p)
			}
		}
		if g := rw.generic; g != "" {
			if _, ok := form[g]; !ok {
				return nil, fmt.Errorf("%w: actor %q: %q is not a generic actor", ErrFormat, rw.a.ID, g)
			}
			if rw.a.Country == "" {
				return nil, fmt.Errorf("%w: actor %q: a country form needs a country", ErrFormat, rw.a.ID)
			}
			r.forCountry[g+"\x00"+Fold(rw.a.Country)] = i
		}
		r.actors = append(r.actors, rw.a)
		names := append([]string{rw.a.Name}, rw.aliases...)
		r.aliases = append(r.aliases, names)
		for _, al := range names {
			r.add(i, al)
		}
	}
	for p := range r.byID {
		if err := r.checkCycle(p); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *Registry) checkCycle(id string) error {
	seen := map[string]bool{}
	for id != "" {
		if seen[id] {
			return fmt.Errorf("%w: parent cycle through %q", ErrFormat, id)
		}
		seen[id] = true
		id = r.actors[r.byID[id]].Parent
	}
	return nil
}

// add indexes one alias of actor i.
func (r *Registry) add(i int, alias string) {
	toks := tokenize(alias)
	if len(toks) == 0 {
		return
	}
	e := entry{actor: i, length: len(toks)}
	for k := 1; k < len(toks); k++ {
		e.gaps = append(e.gaps, alias[toks[k-1].end:toks[k].start])
	}
	e.tail = strings.TrimSpace(alias[toks[len(toks)-1].end:])
	if isAbbrev(alias, toks) {
		e.cased = []string{toks[0].cased}
	}
	n := r.root
	for _, t := range toks {
		if n.next == nil {
			n.next = map[string]*node{}
		}
		c, ok := n.next[t.lower]
		if !ok {
			c = &node{}
			n.next[t.lower] = c
		}
		n = c
	}
	for _, old := range n.entries {
		if old.actor == i && (old.cased == nil) == (e.cased == nil) {
			return // the same alias twice
		}
	}
	n.entries = append(n.entries, e)
	// case-sensitive entries are tried first: "FDS" must not fall back to
	// a looser reading when its case matches
	sort.SliceStable(n.entries, func(a, b int) bool { return n.entries[a].cased != nil && n.entries[b].cased == nil })
}

// ByID returns the actor with the given id.
func (r *Registry) ByID(id string) (Actor, bool) {
	i, ok := r.byID[id]
	if !ok {
		return Actor{}, false
	}
	return r.actors[i], true
}

// Parent returns the group a belongs to (Katiba Macina -> JNIM).
func (r *Registry) Parent(a Actor) (Actor, bool) {
	if a.Parent == "" {
		return Actor{}, false
	}
	return r.ByID(a.Parent)
}

// Actors returns every actor, generic ones first, in file order.
func (r *Registry) Actors() []Actor { return append([]Actor(nil), r.actors...) }

// Aliases returns the names an actor is found by, its own name first.
func (r *Registry) Aliases(id string) []string {
	i, ok := r.byID[id]
	if !ok {
		return nil
	}
	return append([]string(nil), r.aliases[i]...)
}

// ForCountry returns the country-specific form of a generic actor:
// Civilians (Mali), Unidentified Armed Group (Burkina Faso), Military
// Forces of Niger (2023-)... country is the English name. The registry's
// own row is used when there is one (it carries ACLED's dated name);
// otherwise the generic actor's name pattern is filled in and the id gets
// the country as a suffix (civilians_ghana). A generic actor whose pattern
// has no {country} (islamist_militants) keeps its id and name and gains
// the country. The result is never Generic. Non-generic actors, and an
// empty country, return a unchanged.
func (r *Registry) ForCountry(a Actor, country string) Actor {
	country = strings.TrimSpace(country)
	if !a.Generic || country == "" {
		return a
	}
	if i, ok := r.forCountry[a.ID+"\x00"+Fold(country)]; ok {
		return r.actors[i]
	}
	out := a
	out.Generic = false
	out.Country = country
	if f, ok := r.form[a.ID]; ok && strings.Contains(f, "{country}") {
		out.Name = strings.ReplaceAll(f, "{country}", country)
		out.ID = a.ID + "_" + strings.ReplaceAll(Fold(country), " ", "_")
	}
	return out
}
