package geocode

import (
	"regexp"
	"sort"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

// linkedKm is how far a near-miss spelling may lie from the known place
// the text puts it near.
const linkedKm = 60

// statedKm is the largest distance in km a gap states ("140 kilometers
// from"), or 0.
func statedKm(gap string) float64 {
	best := 0
	for _, sm := range kmNumRe.FindAllStringSubmatch(gap, -1) {
		best = max(best, atoi(sm[1]))
	}
	return float64(best)
}

var kmNumRe = regexp.MustCompile(`(\d+)\s?(?:km|kms|kilomet)`)

// linkWords may sit between an unknown name and the known place that
// locates it ("Xyz near Gao", "Xyz, in the Gao area", "Xyz (Gao)").
var linkWords = map[string]bool{
	"near": true, "close": true, "to": true, "in": true, "the": true, "of": true, "area": true,
	"outside": true, "not": true, "far": true, "from": true, "village": true, "commune": true,
	"cercle": true, "region": true, "dans": true, "pres": true, "de": true, "du": true, "la": true,
	"le": true, "l": true, "d": true, "a": true, "au": true, "non": true, "loin": true, "vers": true,
	"environs": true, "zone": true, "secteur": true, "localite": true,
	"about": true, "some": true, "around": true, "approximately": true, "km": true, "kms": true,
	"kilometres": true, "kilometers": true, "north": true, "south": true, "east": true, "west": true,
	"northeast": true, "northwest": true, "southeast": true, "southwest": true, "environ": true,
	"nord": true, "sud": true, "est": true, "ouest": true, "located": true, "situe": true,
	"kilometre": true, "kilometer": true,
}

// build turns the resolved mentions into place expressions.
func (s *scope) build(areas []event.PlaceRef, overrides []override) {
	type item struct {
		ref     event.PlaceRef
		m       *mention
		pending bool // unknown name still waiting for a containing unit
		drop    bool
	}
	var items []item
	for i := 0; i < len(s.ms); i++ {
		m := s.ms[i]
		if s.used[m.start] || m.dropped {
			continue
		}
		var next *mention
		if i+1 < len(s.ms) && !s.used[s.ms[i+1].start] && !s.ms[i+1].dropped {
			next = s.ms[i+1]
		}
		if next != nil && s.isBetween(m, next) {
			items = append(items, item{ref: s.between(m, next)})
			i++
			continue
		}
		// A near-miss spelling far from the place the text says it is
		// near ("Toufouge, not far from Inekar") is another place.
		farFuzzy := m.fuzzy && m.ok && next != nil && next.ok && !next.unknown && !next.fuzzy &&
			next.mode == bare && next.chosen.Level == gazetteer.Place && s.links(m, next) &&
			gazetteer.Km(m.chosen.Lat, m.chosen.Lon, next.chosen.Lat, next.chosen.Lon) > linkedKm+statedKm(s.text[m.end:next.start])
		if m.unknown || !m.ok || farFuzzy {
			if next != nil && next.ok && !next.unknown && s.links(m, next) {
				p := s.placeOf(next)
				if p.Precision < event.NearPrecision {
					p.Precision = event.NearPrecision
				}
				p.Mention = s.text[m.start:next.end]
				p.Unresolved = m.text
				items = append(items, item{ref: event.PlaceRef{Start: m.start, End: next.end, Place: p}})
				i++
				continue
			}
			p, ok := s.localUnit(m)
			p.Mention, p.Unresolved = m.text, m.text
			items = append(items, item{ref: event.PlaceRef{Start: m.start, End: m.end, Place: p}, pending: !ok})
			continue
		}
		items = append(items, item{ref: event.PlaceRef{Start: m.start, End: m.end, Place: s.placeOf(m)}, m: m})
	}
	for _, a := range areas {
		items = append(items, item{ref: a})
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].ref.Start < items[b].ref.Start })
	for _, o := range overrides {
		p, ok := s.resolveName(o.name)
		if !ok {
			continue
		}
		if o.precision >= event.PlacePrecision && o.precision <= event.RegionPrecision {
			p.Precision = o.precision
		}
		done := false
		for k := len(items) - 1; k >= 0; k-- {
			r := &items[k].ref
			if r.End <= o.start && strings.TrimSpace(s.text[r.End:o.start]) == "" {
				p.Mention = r.Place.Mention
				p.Unresolved = r.Place.Unresolved
				r.Place, r.End = p, o.end
				items[k].pending = false
				done = true
				// The note says where the event was coded: earlier places
				// in the same sentence were only its description.
				st := sentenceStart(s.text, r.Start)
				for x := 0; x < k; x++ {
					if items[x].ref.Start >= st {
						items[x].drop = true
					}
				}
				break
			}
		}
		if !done {
			p.Mention = o.name
			items = append(items, item{ref: event.PlaceRef{Start: o.start, End: o.end, Place: p}})
			sort.SliceStable(items, func(a, b int) bool { return items[a].ref.Start < items[b].ref.Start })
		}
	}
	// Drop overlaps, keeping the earlier (then longer) expression.
	last := -1
	for _, it := range items {
		if it.drop || it.ref.Start < last {
			continue
		}
		s.refs = append(s.refs, it.ref)
		last = it.ref.End
	}
	s.fallback()
	for k := range s.refs {
		p := &s.refs[k].Place
		if p.Unresolved != "" && !p.Known() && s.fb.Known() {
			mention, unresolved := p.Mention, p.Unresolved
			*p = s.fb
			p.Mention, p.Unresolved = mention, unresolved
		}
	}
}

// placeOf converts a resolved mention to a place, applying the cues
// around it.
func (s *scope) placeOf(m *mention) event.Place {
	e := m.chosen
	switch {
	case m.mode == region || e.Level == gazetteer.Admin1:
		if p, ok := s.gc.regionPlace(e.Country, e.Admin1, m.text); ok {
			return p
		}
		return place(e, m.text, event.RegionPrecision)
	case m.mode == admin2 || e.Level == gazetteer.Admin2 || e.Level == gazetteer.Admin3:
		if seat, ok := s.gc.seats[e.Country+"|"+e.Admin2]; ok && e.Level != gazetteer.Admin3 {
			p := place(seat, m.text, event.NearPrecision)
			p.Name = e.Name
			p.GeonameID = e.ID
			return p
		}
		return place(e, m.text, event.NearPrecision)
	case e.Level == gazetteer.Country:
		if p, ok := s.gc.countryPlace(e.Country, m.text); ok {
			return p
		}
		return place(e, m.text, event.RegionPrecision)
	}
	p := place(e, m.text, event.PlacePrecision)
	if m.cue == event.NearPrecision {
		p.Precision = event.NearPrecision
	}
	pre := s.prefix(m.start)
	switch {
	case pre == "":
	case kmDirRe.MatchString(pre):
		sm := kmDirRe.FindStringSubmatch(pre)
		km := atoi(sm[1])
		bearing, ok := s.gc.cues.direction[strings.TrimSuffix(strings.TrimSuffix(sm[2], "ern"), " ")]
		if !ok {
			bearing, ok = s.gc.cues.direction[strings.ReplaceAll(sm[2], " ", "")]
		}
		p.Precision = event.NearPrecision
		if ok && km > 0 && km <= 300 {
			p.Lat, p.Lon = gazetteer.Offset(e.Lat, e.Lon, float64(km), bearing)
			if c, a1, a2 := s.gc.Admin(p.Lat, p.Lon); c != "" {
				p.Country, p.Admin1, p.Admin2 = c, a1, a2
			}
		}
	case kmRe.MatchString(pre), dirRe.MatchString(pre):
		p.Precision = event.NearPrecision
	}
	if s.before(m.ti, s.gc.cues.near) > 0 || s.after(m.tj, s.gc.cues.nearAfter) > 0 {
		p.Precision = event.NearPrecision
	}
	return p
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e6 {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// isBetween reports whether two mentions form "between X and Y", "from X to
// Y" on a road, or a road "X-Y".
func (s *scope) isBetween(a, b *mention) bool {
	c := s.gc.cues
	gap := s.text[a.end:b.start]
	if len(gap) > 12 {
		return false
	}
	dash := false
	if t := strings.TrimSpace(gap); t == "-" || t == "–" || t == "—" || t == "/" || t == "&" {
		// "the Gao-Ansongo axis", "between Soumpi & Niafunke"
		dash = true
	}
	if s.before(a.ti, c.between) > 0 {
		n := s.after(a.tj, c.and)
		return dash || n > 0 && a.tj+n == b.ti
	}
	if dash {
		return s.before(a.ti, c.road) > 0 || s.after(b.tj, c.road) > 0 || strings.HasSuffix(s.prefix(a.start), "the ")
	}
	pre := s.prefix(a.start)
	if strings.HasSuffix(pre, "from ") || strings.HasSuffix(pre, "de ") {
		for _, w := range c.road {
			if strings.Contains(" "+pre, " "+w+" ") {
				n := s.after(a.tj, c.and)
				return n > 0 && a.tj+n == b.ti
			}
		}
	}
	return false
}

// between places "between X and Y": on a known corridor when both ends lie
// on one, else at the midpoint; with one unknown end, near the known one.
func (s *scope) between(a, b *mention) event.PlaceRef {
	ref := event.PlaceRef{Start: a.start, End: b.end}
	mention := s.text[a.start:b.end]
	okA, okB := a.ok && !a.unknown, b.ok && !b.unknown
	switch {
	case okA && okB && gazetteer.Km(a.chosen.Lat, a.chosen.Lon, b.chosen.Lat, b.chosen.Lon) > 300:
		// Too far apart for "between" to locate anything: near the first.
		p := s.placeOf(a)
		p.Precision = max(event.NearPrecision, p.Precision)
		p.Mention = mention
		ref.Place = p
	case okA && okB:
		pa, pb := s.placeOf(a), s.placeOf(b)
		lat, lon, _ := between(s.gc.roads, pa.Lat, pa.Lon, pb.Lat, pb.Lon)
		p := pa
		p.Lat, p.Lon = lat, lon
		p.Precision = max(event.NearPrecision, pa.Precision, pb.Precision)
		if c, a1, a2 := s.gc.Admin(lat, lon); c != "" {
			p.Country, p.Admin1, p.Admin2 = c, a1, a2
		}
		p.Mention = mention
		ref.Place = p
	case okA || okB:
		known, unknown := a, b
		if !okA {
			known, unknown = b, a
		}
		p := s.placeOf(known)
		p.Precision = max(event.NearPrecision, p.Precision)
		p.Mention, p.Unresolved = mention, unknown.text
		ref.Place = p
	default:
		p, _ := s.localUnit(a)
		p.Mention, p.Unresolved = mention, a.text+"; "+b.text
		ref.Place = p
	}
	return ref
}

// links reports whether the words between an unknown name and a known
// place only link the two ("Xyz near Gao", "Xyz, Gao region").
func (s *scope) links(a, b *mention) bool {
	gap := s.text[a.end:b.start]
	if len(gap) > 40 || strings.ContainsAny(gap, ".;:!?") {
		return false
	}
	for _, w := range strings.Fields(gazetteer.Words(gap)) {
		// "35km", "35 km": distances only say how near.
		if !linkWords[w] && strings.Trim(strings.TrimSuffix(w, "km"), "0123456789") != "" {
			return false
		}
	}
	return true
}

// localUnit places an unknown name by the "(Bankass, Mopti)" after it:
// the cercle seat at precision 2, else a town it names at precision 2,
// else the region at precision 3.
func (s *scope) localUnit(m *mention) (event.Place, bool) {
	for _, k := range m.parts {
		if seat, ok := s.gc.seatByKey[k]; ok {
			return place(seat, m.text, event.NearPrecision), true
		}
	}
	for _, k := range m.parts {
		if _, ok := s.gc.capitalByKey[k]; ok {
			continue
		}
		// "Mougnoukana (Mondoro)": a village by the town it belongs to
		if p, ok := s.resolveName(k); ok && p.Precision == event.PlacePrecision {
			p.Precision = event.NearPrecision
			return p, true
		}
	}
	for _, k := range m.parts {
		if c, ok := s.gc.capitalByKey[k]; ok {
			return s.gc.regionPlace(c.Country, c.Admin1, m.text)
		}
	}
	return event.Place{}, false
}

// resolveName places a bare name with the report as context (for
// "(coded as X)").
func (s *scope) resolveName(name string) (event.Place, bool) {
	g := s.gc.gaz
	var cands []gazetteer.Entry
	if ms := g.FindAll(name); len(ms) > 0 {
		cands = ms[0].Entries
	}
	if len(cands) == 0 {
		cands = g.Lookup(name)
	}
	if len(cands) == 0 {
		cands = g.LookupFuzzy(name)
	}
	if len(cands) == 0 {
		return event.Place{}, false
	}
	m := &mention{text: name, cands: cands}
	best, bs, ok := gazetteer.Entry{}, 0.0, false
	for _, e := range filter(m) {
		if sc := s.score(m, e, true); !ok || sc > bs {
			best, bs, ok = e, sc, true
		}
	}
	if !ok {
		return event.Place{}, false
	}
	m.chosen, m.ok = best, true
	p := s.placeOf(m)
	return p, true
}

// fallback picks the report's main region: the region most of its places
// lie in (earlier places weigh more), else the region the text names most,
// else its main country. Only places, regions and cercles the text names
// count: a country mention (put at the capital) or an actor that operates
// in a region does not say where an unplaced incident happened, so such a
// report falls back to the country with no region.
func (s *scope) fallback() {
	type key struct{ country, admin1 string }
	w := map[key]float64{}
	order := []key{}
	for i, r := range s.refs {
		p := r.Place
		if !p.Known() || p.Admin1 == "" || p.Name == p.Country {
			continue
		}
		k := key{p.Country, p.Admin1}
		if _, ok := w[k]; !ok {
			order = append(order, k)
		}
		w[k] += 1 + 1/float64(i+1)
	}
	if len(order) > 0 {
		best := order[0]
		for _, k := range order[1:] {
			if w[k] > w[best] {
				best = k
			}
		}
		if p, ok := s.gc.regionPlace(best.country, best.admin1, best.admin1); ok {
			s.fb = p
			return
		}
	}
	// No place resolved: the regions the report names or its actors imply.
	br, bw := "", 0.0
	for r, v := range s.region {
		if v > bw || v == bw && r < br {
			br, bw = r, v
		}
	}
	if c, ok := s.gc.capitalByKey[br]; ok && br != "" && (len(s.country) == 0 || s.country[c.Country] > 0) {
		if p, ok := s.gc.regionPlace(c.Country, c.Admin1, c.Admin1); ok {
			s.fb = p
			return
		}
	}
	bc, bw := "", 0.0
	for c, v := range s.country {
		if v > bw || v == bw && c < bc {
			bc, bw = c, v
		}
	}
	if bc == "" {
		// No country named: the one the report's actors point at
		// ("Katiba Macina" is Malian), still without a region.
		hr, hw := "", 0.0
		for r, v := range s.hint {
			if v > hw || v == hw && r < hr {
				hr, hw = r, v
			}
		}
		if c, ok := s.gc.capitalByKey[hr]; ok && hr != "" {
			bc = c.Country
		}
	}
	if bc != "" {
		if p, ok := s.gc.countryPlace(bc, bc); ok {
			p.Admin1, p.Admin2 = "", ""
			s.fb = p
		}
	}
}

// sentenceStart returns the offset after the last sentence end before b.
func sentenceStart(text string, b int) int {
	for i := b - 1; i > 0; i-- {
		if (text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == '\n') && (i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			return i + 1
		}
	}
	return 0
}
