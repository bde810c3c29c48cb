package geocode

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

// maxText bounds the text a scope analyses; longer reports are cut (at a
// rune boundary) so a huge input cannot make analysis slow.
const maxText = 1 << 20

// mode says how a name is used.
type mode int

const (
	bare   mode = iota // a name on its own
	region             // "the Mopti region", "région de Ségou"
	admin2             // "Bankass cercle", "province du Soum"
)

// mention is one name found in the text, known or not.
type mention struct {
	start, end int // byte offsets of the name
	ti, tj     int // tokens [ti, tj)
	text       string
	cands      []gazetteer.Entry // empty for unknown names
	mode       mode
	local      map[string]bool // keys named in a following "(X, Y)"
	parts      []string        // those parts' keys, in order
	apposition bool            // local comes from ", Y" rather than parentheses
	unknown    bool            // a capitalised name the text marks as a place
	fuzzy      bool            // candidates come from a near-miss spelling
	common     bool            // a region named like a common word ("Sahel", "Centre")
	dropped    bool            // not a place in this report
	border     bool            // a country named as a border ("the Niger border")
	cue        int             // precision the preceding words imply (0: none)
	chosen     gazetteer.Entry
	ok         bool
	score      float64
}

type scope struct {
	gc      *Geocoder
	text    string
	toks    []gazetteer.Token
	masked  []bool
	used    []bool // bytes consumed by parentheses and areas
	ms      []*mention
	country map[string]float64 // country -> weight
	region  map[string]float64 // folded admin1 -> weight, from the places and units the text names
	hint    map[string]float64 // folded admin1 -> weight, from actors and peoples (data/hints.tsv)
	cercle  map[string]float64 // folded admin2 -> weight
	border  map[string]bool    // countries named only as a border ("near the Niger border")
	refs    []event.PlaceRef
	fb      event.Place
	// anchors are the distinct places the mentions chose in the previous
	// pass; comparing against them instead of every mention keeps a text
	// that repeats one name thousands of times linear.
	anchors []anchor
}

// anchor is one distinct chosen place and how many mentions chose it.
type anchor struct {
	e     gazetteer.Entry
	n     int
	fuzzy bool   // every mention that chose it matched by a near-miss spelling
	key   string // the folded name of the first mention that chose it
	mixed bool   // mentions written differently chose it
}

const maxAnchors = 256

// setAnchors collects the distinct places chosen so far.
func (s *scope) setAnchors() {
	s.anchors = s.anchors[:0]
	idx := map[[2]float64]int{}
	for _, o := range s.ms {
		if !o.ok || o.chosen.Level != gazetteer.Place {
			continue
		}
		k := [2]float64{o.chosen.Lat, o.chosen.Lon}
		if i, ok := idx[k]; ok {
			s.anchors[i].n++
			s.anchors[i].fuzzy = s.anchors[i].fuzzy && o.fuzzy
			s.anchors[i].mixed = s.anchors[i].mixed || s.anchors[i].key != gazetteer.Key(o.text)
			continue
		}
		if len(s.anchors) == maxAnchors {
			continue
		}
		idx[k] = len(s.anchors)
		s.anchors = append(s.anchors, anchor{e: o.chosen, n: 1, fuzzy: o.fuzzy, key: gazetteer.Key(o.text)})
	}
}

// others calls f with every anchor other than m's own choice.
func (s *scope) others(m *mention, f func(a anchor) bool) {
	key := gazetteer.Key(m.text)
	for _, a := range s.anchors {
		// A place chosen only by this name (however often it is written)
		// does not support itself.
		if m.ok && a.e.Lat == m.chosen.Lat && a.e.Lon == m.chosen.Lon && (a.n == 1 || !a.mixed && a.key == key) {
			continue
		}
		// The mention's own homonyms (a village and the wadi beside it)
		// do not support one another.
		if a.n == 1 && m.ok && a.e.Name == m.chosen.Name && a.e.Country == m.chosen.Country && gazetteer.Km(a.e.Lat, a.e.Lon, m.chosen.Lat, m.chosen.Lon) < 30 {
			continue
		}
		if !f(a) {
			return
		}
	}
}

func (gc *Geocoder) analyse(text string) *scope {
	if len(text) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	s := &scope{gc: gc, text: text, country: map[string]float64{}, region: map[string]float64{}, hint: map[string]float64{}, cercle: map[string]float64{}, border: map[string]bool{}}
	s.toks = gazetteer.Tokens(text)
	s.masked = gc.gaz.Masked(s.toks)
	s.used = make([]bool, len(text)+1)
	overrides := s.findOverrides()
	areas := s.findAreas()
	s.findMentions()
	s.findUnknown()
	s.context()
	s.resolve()
	s.build(areas, overrides)
	return s
}

// In returns the place expressions within text[start:end].
func (s *scope) In(start, end int) []event.PlaceRef {
	var out []event.PlaceRef
	for _, r := range s.refs {
		if r.Start >= start && r.End <= end {
			out = append(out, r)
		}
	}
	return out
}

// Fallback returns the report's main region or country at RegionPrecision.
func (s *scope) Fallback() event.Place { return s.fb }

// tokenAt returns the index of the first token starting at or after b.
func (s *scope) tokenAt(b int) int {
	return sort.Search(len(s.toks), func(i int) bool { return s.toks[i].Start >= b })
}

// plainGap reports whether the text between two tokens is only spaces and
// apostrophes (so words belong to one phrase).
func plainGap(g string) bool {
	if len(g) > 3 || g == "" {
		return false
	}
	for _, r := range g {
		if r != ' ' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

// before returns the length in tokens of the longest phrase of list that
// ends right before token i, or 0.
func (s *scope) before(i int, list []string) int {
	best := 0
	for _, p := range list {
		w := s.gc.cues.words(p)
		n := len(w)
		if n == 0 || n > i || n <= best {
			continue
		}
		ok := true
		for k := 0; k < n; k++ {
			t := i - n + k
			if s.toks[t].Word != w[k] || !plainGap(s.text[s.toks[t].End:s.toks[t+1].Start]) {
				ok = false
				break
			}
		}
		if ok {
			best = n
		}
	}
	return best
}

// after returns the length in tokens of the longest phrase of list that
// starts right at token j (after a plain gap from token j-1), or 0.
func (s *scope) after(j int, list []string) int {
	if j <= 0 || j >= len(s.toks) || !plainGap(s.text[s.toks[j-1].End:s.toks[j].Start]) {
		return 0
	}
	best := 0
	for _, p := range list {
		w := s.gc.cues.words(p)
		n := len(w)
		if n == 0 || j+n > len(s.toks) || n <= best {
			continue
		}
		ok := true
		for k := 0; k < n; k++ {
			if s.toks[j+k].Word != w[k] || (k > 0 && !plainGap(s.text[s.toks[j+k-1].End:s.toks[j+k].Start])) {
				ok = false
				break
			}
		}
		if ok {
			best = n
		}
	}
	return best
}

var (
	codedAs    = regexp.MustCompile(`(?i)\(\s*coded\s([^()]{0,100})\)`)
	geoPrecRe  = regexp.MustCompile(`(?i)\bgeo-?\s*[a-z]*\s*(\d)`)
	codedNoise = regexp.MustCompile(`(?i)\b(?:as|at|an?|the|approximate|approximately|location|with|in|of|geo\S*)\b|[,;]`)
)

// override is an explicit "(coded as X at geoprecision N)" note: the
// expression right before it is placed at X.
type override struct {
	start, end int
	name       string
	precision  int
}

func (s *scope) findOverrides() []override {
	var out []override
	for _, m := range codedAs.FindAllStringSubmatchIndex(s.text, -1) {
		body := s.text[m[2]:m[3]]
		o := override{start: m[0], end: m[1]}
		if p := geoPrecRe.FindStringSubmatch(body); p != nil {
			o.precision, _ = strconv.Atoi(p[1])
			body = geoPrecRe.ReplaceAllString(body, " ")
		}
		o.name = strings.Join(strings.Fields(codedNoise.ReplaceAllString(body, " ")), " ")
		s.use(m[0], m[1])
		if o.name != "" {
			out = append(out, o)
		}
	}
	return out
}

func (s *scope) use(a, b int) {
	for i := a; i < b && i < len(s.used); i++ {
		s.used[i] = true
	}
}

// findAreas marks vague named areas ("near the Algerian border").
func (s *scope) findAreas() []event.PlaceRef {
	var out []event.PlaceRef
	for i := 0; i < len(s.toks); i++ {
		for _, a := range s.gc.areas {
			n := len(a.words)
			if n == 0 || i+n > len(s.toks) || s.used[s.toks[i].Start] {
				continue
			}
			ok := true
			for k, w := range a.words {
				if s.toks[i+k].Word != w {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			st, en := s.toks[i].Start, s.toks[i+n-1].End
			c, a1, a2 := s.gc.Admin(a.lat, a.lon)
			p := event.Place{Name: s.text[st:en], Mention: s.text[st:en], Country: c, Admin1: a1, Lat: a.lat, Lon: a.lon, Precision: a.precision}
			if a.precision < event.RegionPrecision {
				p.Admin2 = a2
			}
			switch a.admin1 {
			case "":
			case "-":
				p.Admin1, p.Admin2 = "", ""
			default:
				p.Admin1 = a.admin1
			}
			out = append(out, event.PlaceRef{Start: st, End: en, Place: p})
			s.use(st, en)
			i += n - 1
			break
		}
	}
	return out
}

var parenRe = regexp.MustCompile(`^\s*\(([^()]{1,100})\)`)

// findMentions collects the gazetteer's matches, re-reads names used with
// a region or cercle word, and reads "(Bankass, Mopti)" parentheses.
func (s *scope) findMentions() {
	g := s.gc.gaz
	c := s.gc.cues
	for _, m := range g.FindAll(s.text) {
		if s.used[m.Start] {
			continue
		}
		ti := s.tokenAt(m.Start)
		tj := s.tokenAt(m.End)
		if s.after(tj, c.groupAfter) > 0 {
			continue
		}
		// "Sahel region", "Centre-Nord": a region named like a common
		// word needs the report's country to mean the region.
		top := m.Entries[0]
		common := top.Level == gazetteer.Admin1 && g.Stop(top.Admin1) || top.Level == gazetteer.Admin2 && g.Stop(top.Admin2)
		s.ms = append(s.ms, &mention{start: m.Start, end: m.End, ti: ti, tj: tj, text: m.Text, cands: m.Entries, common: common})
	}
	// Region names that are also common words ("Sahel", "Nord", "Centre")
	// are on the stop list; read them only next to a region word.
	for i, t := range s.toks {
		if !t.Upper || s.used[t.Start] || s.masked[i] || s.covered(t.Start) {
			continue
		}
		pre := s.before(i, c.regionBefore) > 0 || s.before(i, c.admin2Before) > 0
		for n := 3; n >= 1; n-- {
			j := i + n
			if j > len(s.toks) {
				continue
			}
			post := s.after(j, c.regionAfter) > 0 || s.after(j, c.admin2After) > 0
			if !pre && !post {
				continue
			}
			st, en := t.Start, s.toks[j-1].End
			es := g.Lookup(s.text[st:en])
			var areas []gazetteer.Entry
			for _, e := range es {
				if e.Level == gazetteer.Admin1 || e.Level == gazetteer.Admin2 {
					areas = append(areas, e)
				}
			}
			if len(areas) == 0 {
				continue
			}
			s.ms = append(s.ms, &mention{start: st, end: en, ti: i, tj: j, text: s.text[st:en], cands: areas, common: true})
			break
		}
	}
	sort.Slice(s.ms, func(a, b int) bool { return s.ms[a].start < s.ms[b].start })
	for _, m := range s.ms {
		s.classify(m)
	}
}

func (s *scope) covered(b int) bool {
	for _, m := range s.ms {
		if b >= m.start && b < m.end {
			return true
		}
	}
	return false
}

// classify sets a mention's mode from the words around it and reads the
// parentheses after it.
func (s *scope) classify(m *mention) {
	c := s.gc.cues
	key := gazetteer.Words(m.text)
	hasLevel := func(l gazetteer.Level) bool {
		for _, e := range m.cands {
			if e.Level == l {
				return true
			}
		}
		return false
	}
	endsWith := func(list []string) bool {
		for _, w := range list {
			if strings.HasSuffix(key, " "+w) {
				return true
			}
		}
		return false
	}
	if m.cue == 0 && m.ti < len(s.toks) {
		switch {
		case s.before(m.ti, c.near) > 0:
			m.cue = event.NearPrecision
		case s.before(m.ti, c.place) > 0 || s.before(m.ti, c.between) > 0 || s.before(m.ti, c.and) > 0:
			m.cue = event.PlacePrecision
		}
	}
	if len(m.cands) > 0 && m.cands[0].Level == gazetteer.Country && (s.before(m.ti, c.borderBefore) > 0 || s.after(m.tj, c.borderAfter) > 0) {
		// Which side of the border is unsaid: the country is no place.
		m.border, m.dropped = true, true
	}
	switch {
	case hasLevel(gazetteer.Admin1) && (s.before(m.ti, c.regionBefore) > 0 || s.after(m.tj, c.regionAfter) > 0 || endsWith(c.regionAfter)):
		m.mode = region
	case hasLevel(gazetteer.Admin2) && (s.before(m.ti, c.admin2Before) > 0 || s.after(m.tj, c.admin2After) > 0 || endsWith(c.admin2After)):
		m.mode = admin2
	}
	if p := parenRe.FindStringSubmatchIndex(s.text[m.end:]); p != nil && !s.used[m.end+p[2]] {
		m.local = map[string]bool{}
		for _, part := range strings.Split(s.text[m.end+p[2]:m.end+p[3]], ",") {
			if s.gc.gaz.Stop(part) {
				// "Léré (Nord)": a region named like a common word
				// ("Nord", "Centre", "Sahel") in brackets is more often
				// "the north" of the report's country than Burkina's
				// region of that name; it constrains nothing
				continue
			}
			k := gazetteer.Key(part)
			for _, e := range s.gc.gaz.Lookup(part) {
				// "(Bankass, Mopti)": admin names, or towns that stand for them.
				if e.Level == gazetteer.Admin1 || e.Level == gazetteer.Admin2 || e.Level == gazetteer.Country {
					k = gazetteer.Key(e.Admin1)
					if e.Level == gazetteer.Admin2 {
						k = gazetteer.Key(e.Admin2)
					}
					if e.Level == gazetteer.Country {
						k = gazetteer.Key(e.Country)
					}
					m.local[k] = true
				}
			}
			// Only parts that name known places or units constrain
			// ("Koro (ville)" does not).
			if k != "" && len(s.gc.gaz.Lookup(part)) > 0 {
				m.local[gazetteer.Key(part)] = true
				m.parts = append(m.parts, gazetteer.Key(part))
			}
		}
		s.use(m.end+p[0], m.end+p[1])
	}
}

// findUnknown finds capitalised names the gazetteer does not know but the
// words before them mark as places ("the village of Xyz", "in Xyz").
func (s *scope) findUnknown() {
	g := s.gc.gaz
	c := s.gc.cues
	var extra []*mention
	for i := 0; i < len(s.toks); i++ {
		t := s.toks[i]
		if !t.Upper || t.AllCaps || s.masked[i] || s.used[t.Start] || s.covered(t.Start) {
			continue
		}
		j := i + 1
		for j < len(s.toks) && j-i < 4 && s.toks[j].Upper && !s.masked[j] && !s.covered(s.toks[j].Start) && joinGap(s.text[s.toks[j-1].End:s.toks[j].Start]) {
			j++
		}
		cue := 0
		switch {
		case s.before(i, c.near) > 0 || s.after(j, c.nearAfter) > 0:
			cue = event.NearPrecision
		case s.before(i, c.place) > 0 || s.before(i, c.between) > 0 || s.before(i, c.and) > 0 && i >= 2 && s.prevIsPlace(i):
			cue = event.PlacePrecision
		default:
			continue
		}
		name := s.text[t.Start:s.toks[j-1].End]
		if g.Stop(name) || g.Stop(t.Word) || g.IsPerson(t.Word) || c.demonym[t.Word] != "" || demonymShape(t.Word) || len(gazetteer.Key(name)) < 3 || hasDigit(name) {
			i = j - 1
			continue
		}
		m := &mention{start: t.Start, end: s.toks[j-1].End, ti: i, tj: j, text: name, unknown: true, cue: cue}
		s.classify(m)
		// A near-miss spelling must agree with "(cercle, region)" or ", Gao"
		// when the text gives one.
		local := m.local
		if len(local) == 0 {
			local = s.apposedUnit(m.end)
		}
		var agree func(gazetteer.Entry) bool
		if len(local) > 0 {
			agree = func(e gazetteer.Entry) bool {
				return local[gazetteer.Key(e.Admin1)] || local[gazetteer.Key(e.Admin2)]
			}
		}
		if fz := g.LookupFuzzyFunc(name, agree); len(fz) > 0 {
			m.cands = fz
			m.unknown = false
			m.fuzzy = true
		}
		extra = append(extra, m)
		i = j - 1
	}
	s.ms = append(s.ms, extra...)
	sort.Slice(s.ms, func(a, b int) bool { return s.ms[a].start < s.ms[b].start })
}

var apposedRe = regexp.MustCompile(`^\s*,\s*(\p{Lu}[\p{L}-]+)`)

// apposedUnit reads ", Gao" after an unknown name: the region or cercle it
// names, as keys, or nil.
func (s *scope) apposedUnit(end int) map[string]bool {
	sm := apposedRe.FindStringSubmatch(s.text[end:min(len(s.text), end+60)])
	if sm == nil {
		return nil
	}
	out := map[string]bool{}
	for _, e := range s.gc.gaz.Lookup(sm[1]) {
		switch e.Level {
		case gazetteer.Admin1:
			out[gazetteer.Key(e.Admin1)] = true
		case gazetteer.Admin2:
			out[gazetteer.Key(e.Admin2)] = true
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// demonymShape reports whether a folded word looks like a nationality
// ("Chinese", "Colombian", "Ivoirienne"), which the text may put after
// "a" or "to" without naming a place.
func demonymShape(w string) bool {
	if len(w) < 6 {
		return false
	}
	for _, suf := range []string{"ese", "ian", "ians", "ienne", "iens", "aise", "oise"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// prevIsPlace reports whether an "and" cue before token i follows a known
// place, as in "between Gao and Xyz".
func (s *scope) prevIsPlace(i int) bool {
	n := s.before(i, s.gc.cues.and)
	if n == 0 || i-n-1 < 0 {
		return false
	}
	return s.covered(s.toks[i-n-1].Start)
}

func joinGap(g string) bool {
	if g == "" || len(g) > 3 {
		return false
	}
	return strings.Trim(g, " -'’") == ""
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// context weighs the countries, regions and cercles the report names.
func (s *scope) context() {
	c := s.gc.cues
	for i, t := range s.toks {
		if country := c.demonym[t.Word]; country != "" {
			s.country[country]++
		}
		for _, h := range s.gc.hints {
			if i+len(h.words) > len(s.toks) || s.toks[i].Word != h.words[0] {
				continue
			}
			ok := true
			for k, w := range h.words {
				ok = ok && s.toks[i+k].Word == w
			}
			if ok {
				for _, r := range h.regions {
					s.hint[r] += 0.5
				}
			}
		}
	}
	// "Doma, Koro" and "Gassel, Mondoro": a place right after a comma
	// locates the one before it, as parentheses do.
	for k := 0; k+1 < len(s.ms); k++ {
		a, b := s.ms[k], s.ms[k+1]
		if a.local != nil || len(b.cands) == 0 || !s.appositive(s.text[a.end:b.start]) {
			continue
		}
		e := b.cands[0]
		if e.Level == gazetteer.Place && e.Rank < 75 || len(a.cands) > 0 && a.cands[0].Rank >= 80 {
			continue
		}
		a.apposition = true
		a.local = map[string]bool{gazetteer.Key(b.text): true, gazetteer.Key(e.Admin1): true}
		if e.Level != gazetteer.Admin1 {
			a.local[gazetteer.Key(e.Admin2)] = true
		}
		a.parts = []string{gazetteer.Key(b.text)}
	}
	for _, m := range s.ms {
		if !m.common {
			s.weigh(m)
		}
	}
	// "The Sahel region" is Burkina Faso's Sahel only in a report about
	// Burkina Faso; elsewhere it is the whole Sahel, which is no place.
	for _, m := range s.ms {
		if m.common {
			if len(m.cands) == 0 || s.country[m.cands[0].Country] == 0 || s.elsewhere(m) {
				m.dropped, m.cands = true, nil
				continue
			}
			s.weigh(m)
		}
	}
}

// appositive reports whether gap joins a name to the unit that locates
// it: a bare comma ("Doma, Koro") or a comma and a unit word ("Echell,
// Cercle of Goundam", "Tiouki, région de Mopti").
func (s *scope) appositive(gap string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(gap), ",")
	if !ok {
		return false
	}
	w := gazetteer.Words(rest)
	if w == "" {
		return true
	}
	c := s.gc.cues
	return slices.Contains(c.admin2Before, w) || slices.Contains(c.regionBefore, w)
}

// elsewhere reports whether a region named like a common word ("the
// Sahel region") is more likely the common word: the report's towns in
// that country all lie in its other regions ("massacre in Solenzo ... an
// insurgency in the Sahel region"), and none in this one.
func (s *scope) elsewhere(m *mention) bool {
	top := m.cands[0]
	other := false
	for _, o := range s.ms {
		if o == m || o.common || o.dropped || len(o.cands) == 0 {
			continue
		}
		e := o.cands[0]
		if e.Level != gazetteer.Place || e.Country != top.Country {
			continue
		}
		if e.Admin1 == top.Admin1 {
			return false
		}
		other = true
	}
	return other
}

// weigh adds a mention's units to the report's countries, regions and
// cercles.
func (s *scope) weigh(m *mention) {
	for k := range m.local {
		s.region[k] += 2
		s.cercle[k] += 2
	}
	if len(m.cands) == 0 {
		return
	}
	top := m.cands[0]
	switch {
	case m.mode == region || top.Level == gazetteer.Admin1 && len(m.cands) == 1:
		s.region[gazetteer.Key(top.Admin1)] += 2
		s.country[top.Country]++
	case m.mode == admin2:
		s.cercle[gazetteer.Key(top.Admin2)] += 2
		s.region[gazetteer.Key(top.Admin1)]++
		s.country[top.Country]++
	case top.Level == gazetteer.Country:
		if m.border {
			s.border[top.Country] = true
		} else {
			s.country[top.Country] += 2
		}
	case top.Rank >= 80 && (len(m.cands) == 1 || m.cands[1].Rank < top.Rank):
		// An unambiguous major town says which region the report is about.
		s.region[gazetteer.Key(top.Admin1)]++
		s.country[top.Country]++
	}
}

// filter keeps the candidates a mention's mode allows.
func filter(m *mention) []gazetteer.Entry {
	var out []gazetteer.Entry
	want := func(e gazetteer.Entry) bool {
		switch m.mode {
		case region:
			return e.Level == gazetteer.Admin1
		case admin2:
			return e.Level == gazetteer.Admin2
		}
		return e.Level == gazetteer.Place || e.Level == gazetteer.Country
	}
	for _, e := range m.cands {
		if want(e) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		// A bare region or province name ("Centre-Nord", "Soum").
		for _, e := range m.cands {
			if e.Level == gazetteer.Admin1 || e.Level == gazetteer.Admin2 || e.Level == gazetteer.Admin3 {
				out = append(out, e)
			}
		}
	}
	return out
}

// resolve picks each mention's entry in two passes: first by rank and the
// report's countries and regions, then again with the distance to the other
// places as well.
func (s *scope) resolve() {
	for pass := 0; pass < 2; pass++ {
		s.setAnchors()
		for _, m := range s.ms {
			cands := filter(m)
			if len(m.local) > 0 {
				// "(Tessalit, Kidal)" after a name states its units; when no
				// candidate agrees, the name is an unknown namesake.
				var agree []gazetteer.Entry
				for _, e := range cands {
					if e.Level != gazetteer.Place || m.local[gazetteer.Key(e.Admin1)] || m.local[gazetteer.Key(e.Admin2)] || m.local[gazetteer.Key(e.Country)] {
						agree = append(agree, e)
					}
				}
				if len(agree) == 0 {
					m.ok, m.unknown = false, true
					continue
				}
				if len(agree) > 0 {
					cands = agree
				}
			}
			// The choice is made aside: while scoring, others() must still
			// know the previous pass's choice so that a candidate is not
			// supported by having been chosen before.
			var best gazetteer.Entry
			var bestScore float64
			found := false
			for _, e := range cands {
				// A village in a country the report never names, written
				// without "in", "near" or "(cercle, region)", is more
				// likely a word or a name ("Tigre helicopters").
				if len(s.country) > 0 && s.country[e.Country] == 0 && e.Rank < 80 && len(m.local) == 0 && (m.cue == 0 || pass == 1 && !s.nearOther(m, e, 100)) {
					continue
				}
				sc := s.score(m, e, pass == 1)
				if !found || sc > bestScore {
					best, bestScore, found = e, sc, true
				}
			}
			m.chosen, m.score, m.ok = best, bestScore, found
			if pass == 1 && m.ok && s.stray(m) {
				// A minor place far from everything else the report names,
				// in a region it never mentions, is a namesake of an
				// unknown local place (Égharghar in Agadez for a valley
				// near Tessalit): keep the name unresolved.
				m.ok, m.unknown = false, true
				continue
			}
			if pass == 1 && m.fuzzy && m.ok && !s.supported(m) {
				// A near-miss spelling alone is weak evidence: keep the
				// name unresolved unless the report's context agrees.
				m.ok, m.unknown, m.cands = false, true, nil
			}
		}
	}
}

// strayKm is the distance beyond which a minor place with no regional
// support is taken for a namesake: one report's places lie within a few
// hundred kilometres of each other.
const strayKm = 450

// stray reports whether m's choice is a minor place farther than strayKm
// from every exactly matched place the report names, with no country,
// region, cercle or parentheses in the text supporting it.
func (s *scope) stray(m *mention) bool {
	e := m.chosen
	if e.Level != gazetteer.Place || e.Rank >= 90 || s.country[e.Country] > 0 || len(m.local) > 0 || s.region[gazetteer.Key(e.Admin1)] >= 1 || s.cercle[gazetteer.Key(e.Admin2)] > 0 {
		return false
	}
	// Only places at least as well supported count against it, so two
	// strays do not cancel each other out.
	own := s.strength(e)
	n, far := 0, true
	s.others(m, func(a anchor) bool {
		d := gazetteer.Km(e.Lat, e.Lon, a.e.Lat, a.e.Lon)
		if d <= strayKm {
			far = false
			return false
		}
		if !a.fuzzy && s.strength(a.e) >= own {
			n++
		}
		return true
	})
	return n > 0 && far
}

// hintCountry reports whether the report's actors point at a region of
// country, or at none at all.
func (s *scope) hintCountry(country string) bool {
	if len(s.hint) == 0 {
		return true
	}
	for r := range s.hint {
		if c, ok := s.gc.capitalByKey[r]; ok && c.Country == country {
			return true
		}
	}
	return false
}

// strength is how well the report supports a place regardless of the
// other places: its rank plus the weight of its region and country.
func (s *scope) strength(e gazetteer.Entry) float64 {
	k := gazetteer.Key(e.Admin1)
	sc := float64(e.Rank) + 30*math.Min(s.region[k]+s.hint[k], 3)
	if s.country[e.Country] > 0 {
		sc += 30
	}
	return sc
}

// supported reports whether a fuzzy match lies in a region or cercle the
// report names, or within 150 km of another place it names exactly.
func (s *scope) supported(m *mention) bool {
	e := m.chosen
	// One letter off, in a country the report names (or, when it names
	// none, in the country its actors point at).
	if s.gc.gaz.FuzzyDistance(m.text, e) <= 1 && (s.country[e.Country] > 0 || len(s.country) == 0 && s.hintCountry(e.Country)) {
		return true
	}
	if len(m.local) > 0 || s.region[gazetteer.Key(e.Admin1)]+s.hint[gazetteer.Key(e.Admin1)] > 0 || s.cercle[gazetteer.Key(e.Admin2)] > 0 {
		return true
	}
	found := false
	s.others(m, func(a anchor) bool {
		found = !a.fuzzy && gazetteer.Km(e.Lat, e.Lon, a.e.Lat, a.e.Lon) < 150
		return !found
	})
	return found
}

func (s *scope) score(m *mention, e gazetteer.Entry, near bool) float64 {
	sc := float64(e.Rank)
	k1, k2, kc := gazetteer.Key(e.Admin1), gazetteer.Key(e.Admin2), gazetteer.Key(e.Country)
	if m.local[k1] {
		sc += 150
	}
	if m.local[k2] {
		sc += 150
	}
	if m.local[kc] {
		sc += 60
	}
	sc += 15 * math.Min(s.region[k1]+s.hint[k1], 3)
	sc += 10 * math.Min(s.cercle[k2], 3)
	if w := s.country[e.Country]; w > 0 {
		sc += 20 + 5*math.Min(w, 4)
	} else if len(s.country) > 0 {
		sc -= 20
	}
	if s.border[e.Country] && s.country[e.Country] == 0 {
		// "Near the Mali border": most likely just across it.
		sc -= 10
	}
	if near && e.Level == gazetteer.Place {
		best := math.Inf(1)
		s.others(m, func(a anchor) bool {
			best = math.Min(best, gazetteer.Km(e.Lat, e.Lon, a.e.Lat, a.e.Lon))
			return true
		})
		if best < 300 {
			sc += 40 * (1 - best/300)
		}
	}
	// Among homonyms prefer the one whose main spelling is closest to the
	// one written.
	sc += 8 - 2*math.Min(float64(fold(e.Name, m.text)), 4)
	return sc
}

var (
	kmDirRe = regexp.MustCompile(`(\d+)\s?(?:km|kms|kilometres?|kilometers?)\s(?:to the\s|au\s|a l\s|a la\s)?((?:north|south|nord|sud|east|west|est|ouest)(?:\s?(?:east|west|est|ouest))?(?:ern)?)\s(?:of|from|de|du|d)\s(?:the\s|la\s|l\s)?(?:(?:town|village|city|locality|commune|ville|localite|du village|la ville|la localite|la commune)\s(?:of|de|d)\s)?$`)
	kmRe    = regexp.MustCompile(`(\d+)\s?(?:km|kms|kilometres?|kilometers?)\s(?:away\s)?(?:from|de|d|of|outside)\s(?:the\s|la\s|l\s)?(?:(?:town|village|city|locality|ville|localite)\s(?:of|de|d)\s)?$`)
	dirRe   = regexp.MustCompile(`(?:^|\s)(?:north|south|east|west|nord|sud|est|ouest)(?:\s?(?:east|west|est|ouest))?(?:ern)?\s(?:of|de|du|d)\s(?:the\s|la\s|l\s)?$`)
)

// prefix returns the folded words in the 80 bytes before b, cut at the last
// sentence or clause break.
func (s *scope) prefix(b int) string {
	a := max(0, b-80)
	for a < b && !utf8.RuneStart(s.text[a]) {
		a++
	}
	p := s.text[a:b]
	if i := strings.LastIndexAny(p, ".;:!?()\n"); i >= 0 {
		p = p[i+1:]
	}
	if strings.TrimSpace(p) == "" {
		return ""
	}
	w := gazetteer.Words(p)
	if w == "" {
		return ""
	}
	return w + " "
}

// fold is the edit distance between two names' keys.
func fold(a, b string) int { return gazetteer.Distance(gazetteer.Key(a), gazetteer.Key(b)) }

// nearOther reports whether e lies within km of another place the report
// names (as resolved so far).
func (s *scope) nearOther(m *mention, e gazetteer.Entry, km float64) bool {
	found := false
	s.others(m, func(a anchor) bool {
		found = gazetteer.Km(e.Lat, e.Lon, a.e.Lat, a.e.Lon) < km
		return !found
	})
	return found
}
