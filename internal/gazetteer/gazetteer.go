package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/fold"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/geo"
)

var (
	//go:embed data/places.tsv.gz
	placesGz []byte
	//go:embed data/additions.tsv
	additionsTSV []byte
	//go:embed data/affixes.txt
	affixesTxt []byte
	//go:embed data/stopwords.txt
	stopTxt []byte
	//go:embed data/persons.txt
	personsTxt []byte
	//go:embed data/groups.txt
	groupsTxt []byte
	//go:embed data/admin.geojson
	adminJSON []byte
)

// ErrBadData is returned (wrapped) when a data file cannot be parsed.
var ErrBadData = errors.New("gazetteer: bad data")

// Level tells whether an entry is a point place or an administrative area.
type Level int

const (
	Place   Level = iota // a settlement, base, well or other point
	Admin3               // a commune: a small area, named like its seat
	Admin2               // a cercle (Mali), province (Burkina Faso) or department (Niger)
	Admin1               // a region
	Country              // a country
)

// Entry is one gazetteer record.
type Entry struct {
	ID      int     // GeoNames id; 0 for additions
	Name    string  // main spelling
	Feature string  // GeoNames feature code (PPL, PPLA2, ADM1, MILB, ...)
	CC      string  // ISO country code
	Country string  // English country name
	Admin1  string  // ACLED's region spelling
	Admin2  string  // cercle or province
	Lat     float64 //
	Lon     float64 //
	Rank    int     // feature rank: higher is a more important place
	Level   Level
}

// Gazetteer is an in-memory index of place names. It is safe for
// concurrent use once loaded.
type Gazetteer struct {
	entries  []Entry
	index    map[string][]int32  // fold.Key -> entries, best rank first
	skeleton map[string][]string // fold.Skeleton -> keys, for near-miss spellings
	nasal    map[string][]string // fold.Nasal of the skeleton -> keys
	stop     map[string]bool     // keys never matched in free text
	person   map[string]bool     // first names and titles: the next word is a surname
	prefixes [][]string          // folded words dropped before a name
	suffixes [][]string          // folded words dropped after a name
	groups   [][]string          // folded word sequences that are not places
	areas    []*geo.Area
	grid     map[cell][]int32 // one-degree cells -> entries
	maxWords int
}

// Load builds the gazetteer from the embedded data: the GeoNames extract
// and the embedded additions file.
func Load() (*Gazetteer, error) { return LoadWithAdditions("") }

// LoadWithAdditions is Load plus a user additions file (same format as
// data/additions.tsv); an empty path adds nothing.
func LoadWithAdditions(path string) (*Gazetteer, error) {
	g := &Gazetteer{index: map[string][]int32{}, skeleton: map[string][]string{}, nasal: map[string][]string{}, stop: map[string]bool{}, person: map[string]bool{}}
	if err := g.loadLists(); err != nil {
		return nil, err
	}
	if err := g.loadAreas(); err != nil {
		return nil, err
	}
	// The user's file first, so a bad one fails before the slow part.
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: additions: %w", err)
		}
		defer f.Close()
		if err := g.readAdditions(f, path); err != nil {
			return nil, err
		}
	}
	if err := g.readAdditions(bytes.NewReader(additionsTSV), "embedded additions"); err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(placesGz))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: places: %w", err)
	}
	if err := g.readPlaces(zr); err != nil {
		return nil, err
	}
	g.finish()
	return g, nil
}

var countryNames = map[string]string{
	"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "DZ": "Algeria", "MR": "Mauritania",
	"SN": "Senegal", "GN": "Guinea", "CI": "Ivory Coast", "GH": "Ghana", "TG": "Togo",
	"BJ": "Benin", "NG": "Nigeria", "TD": "Chad",
}

// CountryName returns the English name for an ISO code, or "".
func CountryName(cc string) string { return countryNames[cc] }

// rank orders features: capitals and admin seats over villages, villages
// over localities and wells. Populations are not used: they are almost all
// zero for Mali.
func rank(fc string) (int, Level) {
	switch fc {
	case "PPLC":
		return 100, Place
	case "PCLI":
		return 95, Country
	case "PPLA":
		return 90, Place
	case "ADM1":
		return 85, Admin1
	case "PPLA2":
		return 80, Place
	case "ADM2":
		return 70, Admin2
	case "PPLA3":
		return 66, Place
	case "PPLA4":
		return 62, Place
	case "MILB":
		return 58, Place
	case "ADM3":
		return 55, Admin3
	case "PPL", "PPLL", "PPLS", "PPLF", "PPLR":
		return 50, Place
	case "AIRP":
		// Below the town it serves: "Barsalogho" is the town; "Barsalogho
		// airport" still matches the airport by its full name.
		return 45, Place
	case "PPLX", "PPLQ", "PPLH", "PPLW", "AIRF":
		return 40, Place
	case "MN", "MNAU":
		return 38, Place
	case "CMP", "CMPRF", "LCTY":
		return 30, Place
	case "WLL", "WLLS", "DAM", "BDG":
		return 22, Place
	case "WAD", "WTRH", "STMI", "WTLD", "WTLDI", "DPR", "HLL", "DUNE", "SCRP", "PNDI", "MRSH", "ISL":
		// Natural features: named points in nomadic areas, below any
		// settlement so a village of the same name always wins.
		return 18, Place
	}
	return 15, Place
}

func (g *Gazetteer) readPlaces(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) < 9 {
			return fmt.Errorf("%w: places line %d: %d fields", ErrBadData, line, len(f))
		}
		id, _ := strconv.Atoi(f[0])
		lat, err1 := strconv.ParseFloat(f[6], 64)
		lon, err2 := strconv.ParseFloat(f[7], 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("%w: places line %d: bad coordinates", ErrBadData, line)
		}
		var alts []string
		if f[8] != "" {
			alts = strings.Split(f[8], "|")
		}
		g.add(Entry{ID: id, Name: f[1], Feature: f[2], CC: f[3], Admin1: f[4], Admin2: f[5], Lat: lat, Lon: lon}, alts)
	}
	return sc.Err()
}

// readAdditions reads the additions format: name, alternates (|), lat, lon,
// feature code, country code, then optional admin1 and admin2 (derived from
// the polygons when blank). Lines starting with # are comments.
func (g *Gazetteer) readAdditions(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) < 6 {
			return fmt.Errorf("%w: %s line %d: want at least 6 tab-separated fields", ErrBadData, name, line)
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
		if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return fmt.Errorf("%w: %s line %d: bad coordinates", ErrBadData, name, line)
		}
		e := Entry{Name: strings.TrimSpace(f[0]), Feature: strings.TrimSpace(f[4]), CC: strings.TrimSpace(f[5]), Lat: lat, Lon: lon}
		if len(f) > 6 {
			e.Admin1 = strings.TrimSpace(f[6])
		}
		if len(f) > 7 {
			e.Admin2 = strings.TrimSpace(f[7])
		}
		if e.Admin1 == "" && (e.CC == "ML" || e.CC == "BF") {
			if c, a1, a2, ok := g.Admin(lat, lon); ok && countryNames[e.CC] == c {
				e.Admin1, e.Admin2 = a1, a2
			}
		}
		var alts []string
		for _, a := range strings.Split(f[1], "|") {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, a)
			}
		}
		g.add(e, alts)
	}
	return sc.Err()
}

func (g *Gazetteer) add(e Entry, alts []string) {
	e.Country = countryNames[e.CC]
	e.Rank, e.Level = rank(e.Feature)
	i := int32(len(g.entries))
	g.entries = append(g.entries, e)
	var seen []string // a few keys per entry: a slice beats a map
	for _, n := range append([]string{e.Name}, alts...) {
		ks, nw := g.keysWords(n)
		g.maxWords = max(g.maxWords, nw)
		for _, k := range ks {
			if k == "" || slices.Contains(seen, k) {
				continue
			}
			seen = append(seen, k)
			g.index[k] = append(g.index[k], i)
		}
	}
}

// keys returns the name's key plus its key with administrative affixes
// ("Cercle de", "Region", "Commune rurale de") removed.
func (g *Gazetteer) keys(name string) []string {
	out, _ := g.keysWords(name)
	return out
}

// keysWords is keys plus the number of words in the name.
func (g *Gazetteer) keysWords(name string) ([]string, int) {
	w := strings.Fields(fold.Words(name))
	if len(w) == 0 {
		return nil, 0
	}
	out := []string{strings.Join(w, "")}
	s := w
	for _, p := range g.prefixes {
		if len(s) > len(p) && equalWords(s[:len(p)], p) {
			s = s[len(p):]
			break
		}
	}
	for _, p := range g.suffixes {
		if len(s) > len(p) && equalWords(s[len(s)-len(p):], p) {
			s = s[:len(s)-len(p)]
			break
		}
	}
	if len(s) != len(w) {
		out = append(out, strings.Join(s, ""))
	}
	return out, len(w)
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (g *Gazetteer) finish() {
	// GeoNames marks some cercle and province seats as plain villages
	// (Bandiagara is a PPL); a settlement named like its own cercle is its
	// seat, so rank it as one.
	for i := range g.entries {
		e := &g.entries[i]
		if e.Level == Place && strings.HasPrefix(e.Feature, "PPL") && e.Rank < 75 && e.Admin2 != "" && fold.Key(e.Name) == fold.Key(e.Admin2) {
			e.Rank = 75
		}
	}
	g.grid = map[cell][]int32{}
	for i, e := range g.entries {
		c := cellOf(e.Lat, e.Lon)
		g.grid[c] = append(g.grid[c], int32(i))
	}
	for k, ids := range g.index {
		sort.SliceStable(ids, func(a, b int) bool { return g.entries[ids[a]].Rank > g.entries[ids[b]].Rank })
		g.index[k] = ids[:len(ids):len(ids)]
		s := fold.Skeleton(k)
		g.skeleton[s] = append(g.skeleton[s], k)
		if n := fold.Nasal(s); n != s && len(n) >= 3 {
			g.nasal[n] = append(g.nasal[n], k)
		}
	}
	// Map order is random: sort so near-miss ties resolve the same way on
	// every run.
	for _, ks := range g.skeleton {
		sort.Strings(ks)
	}
	for _, ks := range g.nasal {
		sort.Strings(ks)
	}
}

// loadLists reads the affix, stop word and armed-group lists.
func (g *Gazetteer) loadLists() error {
	for _, l := range lines(affixesTxt) {
		kind, words, ok := strings.Cut(l, ":")
		w := strings.Fields(fold.Words(words))
		if !ok || len(w) == 0 {
			return fmt.Errorf("%w: affixes: %q", ErrBadData, l)
		}
		switch strings.TrimSpace(kind) {
		case "prefix":
			g.prefixes = append(g.prefixes, w)
		case "suffix":
			g.suffixes = append(g.suffixes, w)
		default:
			return fmt.Errorf("%w: affixes: %q", ErrBadData, l)
		}
	}
	// Longest affixes first so "commune rurale de" wins over "commune de".
	sort.SliceStable(g.prefixes, func(i, j int) bool { return len(g.prefixes[i]) > len(g.prefixes[j]) })
	sort.SliceStable(g.suffixes, func(i, j int) bool { return len(g.suffixes[i]) > len(g.suffixes[j]) })
	for _, l := range lines(stopTxt) {
		g.stop[fold.Key(l)] = true
	}
	for _, l := range lines(personsTxt) {
		g.person[fold.Key(l)] = true
	}
	for _, l := range lines(groupsTxt) {
		if w := strings.Fields(fold.Words(l)); len(w) > 0 {
			g.groups = append(g.groups, w)
		}
	}
	sort.SliceStable(g.groups, func(i, j int) bool { return len(g.groups[i]) > len(g.groups[j]) })
	return nil
}

// lines returns the non-empty, non-comment lines of a data file.
func lines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Lookup returns the entries whose name or alternate name folds to the same
// key as name (administrative prefixes such as "cercle de" or "village of"
// are ignored), best rank first. The slice is a copy.
func (g *Gazetteer) Lookup(name string) []Entry {
	var out []Entry
	seen := map[int32]bool{}
	for _, k := range g.keys(name) {
		for _, i := range g.index[k] {
			if !seen[i] {
				seen[i] = true
				out = append(out, g.entries[i])
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Rank > out[b].Rank })
	return out
}

// FuzzyDistance returns the edit distance between name and an entry's
// nearest spelling (main or alternate), for judging a LookupFuzzy hit.
func (g *Gazetteer) FuzzyDistance(name string, e Entry) int {
	k := fold.Key(name)
	best := distance(k, fold.Key(e.Name))
	for _, c := range g.near(k) {
		for _, i := range g.index[c] {
			if g.entries[i].ID == e.ID && g.entries[i].Name == e.Name {
				best = min(best, distance(k, c))
			}
		}
	}
	return best
}

// distance is the edit distance between two keys, or between their oral
// forms when that is smaller; names that differ only by nasals count as
// one edit.
func distance(a, b string) int {
	oa, ob := fold.Oral(a), fold.Oral(b)
	d := min(fold.Distance(a, b), fold.Distance(oa, ob))
	if d > 1 && fold.Nasal(oa) == fold.Nasal(ob) {
		d = 1
	}
	return d
}

// near returns the known keys that may be near-miss spellings of k: the
// same consonant frame, or the same oral form but for nasals.
func (g *Gazetteer) near(k string) []string {
	s := fold.Skeleton(k)
	out := g.skeleton[s]
	n := fold.Nasal(s)
	if len(n) < 3 {
		return out
	}
	bare := fold.Nasal(fold.Oral(k))
	for _, more := range [][]string{g.nasal[n], g.skeleton[n]} {
		for _, c := range more {
			if fold.Nasal(fold.Oral(c)) == bare {
				out = append(out[:len(out):len(out)], c)
			}
		}
	}
	return out
}

// LookupFuzzy returns the entries of the known names closest in spelling to
// name (same consonant frame, edit distance at most a quarter of the name),
// for names the text marks as places but Lookup does not know. Candidates
// share the name's consonant frame, with or without nasals
// ("Tindibawen" finds "Tidimbawen").
func (g *Gazetteer) LookupFuzzy(name string) []Entry { return g.LookupFuzzyFunc(name, nil) }

// LookupFuzzyFunc is LookupFuzzy among the entries keep accepts (all when
// keep is nil): the nearest spellings that agree with what the text says
// about the place ("Tarkint, Gao").
func (g *Gazetteer) LookupFuzzyFunc(name string, keep func(Entry) bool) []Entry {
	k := fold.Key(name)
	if len(k) < 5 {
		return nil
	}
	// Accept at most one edit per five letters, counted on the written
	// form or the oral one ("Ouolon" is "Wolon").
	best, bestKeys := len(k)/5+1, []string(nil)
	seen := map[string]bool{}
	for _, cand := range g.near(k) {
		if seen[cand] {
			continue
		}
		seen[cand] = true
		if keep != nil && !g.anyKept(cand, keep) {
			continue
		}
		d := distance(k, cand)
		if d < best {
			best, bestKeys = d, []string{cand}
		} else if d == best {
			bestKeys = append(bestKeys, cand)
		}
	}
	var out []Entry
	for _, c := range bestKeys {
		for _, i := range g.index[c] {
			if keep == nil || keep(g.entries[i]) {
				out = append(out, g.entries[i])
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Rank > out[b].Rank })
	return out
}

func (g *Gazetteer) anyKept(key string, keep func(Entry) bool) bool {
	for _, i := range g.index[key] {
		if keep(g.entries[i]) {
			return true
		}
	}
	return false
}

// Stop reports whether a name is on the stop list (common words and first
// names that are also village names).
func (g *Gazetteer) Stop(name string) bool { return g.stop[fold.Key(name)] }

// Len returns the number of entries.
func (g *Gazetteer) Len() int { return len(g.entries) }

// Admin1Entry returns the region entry for an ACLED region name in a
// country, for region-level coordinates.
func (g *Gazetteer) Admin1Entry(country, admin1 string) (Entry, bool) {
	for _, e := range g.Lookup(admin1) {
		if e.Level == Admin1 && e.Country == country && e.Admin1 == admin1 {
			return e, true
		}
	}
	return Entry{}, false
}

// Key exposes the folding used for matching, so callers compare names the
// same way the gazetteer does.
func Key(s string) string { return fold.Key(s) }

// Words folds s into lower-case unaccented words separated by spaces.
func Words(s string) string { return fold.Words(s) }

// Each calls fn for every entry, in load order.
func (g *Gazetteer) Each(fn func(Entry)) {
	for _, e := range g.entries {
		fn(e)
	}
}

// IsPerson reports whether a folded word is a first name or title, after
// which a capitalised word is a surname.
func (g *Gazetteer) IsPerson(word string) bool { return g.person[fold.Key(word)] }

// Distance is the edit distance between two folded keys.
func Distance(a, b string) int { return fold.Distance(a, b) }
