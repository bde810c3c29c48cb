package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/actors"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

// Limits that keep a hostile report from running away. A longer text is
// read up to MaxTextBytes; a longer sentence is read in windows.
const (
	MaxTextBytes     = 2 << 20
	maxSentenceBytes = 1200
	// Earlier events mentioned in passing: an event dated more than this
	// before the report's reference date is background, not news.
	staleAfter = 45 * 24 * time.Hour
)

// Extractor codes events. It is safe for concurrent use.
type Extractor struct {
	lx     *Lexicon
	actors *actors.Registry
	geo    event.Geocoder
	// Trace, when set, receives one line per sentence with a trigger saying
	// what was read from it and why (sahelwatch extract --explain).
	Trace io.Writer
}

// New returns an extractor over a lexicon, an actor registry and a geocoder.
func New(lx *Lexicon, reg *actors.Registry, geo event.Geocoder) *Extractor {
	return &Extractor{lx: lx, actors: reg, geo: geo}
}

// sentence is one sentence of a report with everything found in it.
// Offsets are into the report text.
type sentence struct {
	idx, para  int
	start, end int
	words      []word // folded words; start/end are offsets into the folded text
	triggers   []hit
	cues       map[string]bool
	dates      []nlp.DateRef
	places     []event.PlaceRef
	actors     []actors.Mention
	numbers    []nlp.Number
	dateline   *nlp.DateRef // a dateline's date, kept apart from the event dates
	text       string       // the whole report text (offsets are into it)
	claimAt    []int        // text offsets of claim words ("claimed", "revendique")
}

// doc is the per-report state shared by the steps of Extract.
type doc struct {
	r         *event.Report
	text      string
	folded    string
	fmap      []int // folded byte -> text byte
	sents     []*sentence
	scope     event.PlaceScope
	reference time.Time // "now" for the report: its publication date, else its latest date
	country   string    // the report's main country
	claims    []actors.Mention
}

// Extract implements event.Extractor.
func (x *Extractor) Extract(ctx context.Context, r *event.Report) ([]event.Event, error) {
	text := r.Text
	if len(text) > MaxTextBytes {
		cut := strings.LastIndexByte(text[:MaxTextBytes], '\n')
		if cut < MaxTextBytes/2 {
			cut = MaxTextBytes
		}
		text = strings.ToValidUTF8(text[:cut], "")
	}
	d := &doc{r: r, text: text}
	d.folded, d.fmap = nlp.FoldWithMap(text)
	d.scope = x.geo.Scope(text)
	if err := x.analyse(ctx, d); err != nil {
		return nil, err
	}
	cands := x.candidates(ctx, d)
	evs := consolidate(d, cands)
	for i := range evs {
		finish(d, &evs[i])
	}
	return evs, ctx.Err()
}

// orig maps a folded offset back to the report text.
func (d *doc) orig(folded int) int {
	if folded >= len(d.fmap) {
		return len(d.text)
	}
	return d.fmap[folded]
}

// analyse splits the report into sentences and finds triggers, cues,
// dates, places, actors and numbers in each.
func (x *Extractor) analyse(ctx context.Context, d *doc) error {
	lang := d.r.Lang
	if lang != "en" && lang != "fr" {
		lang = ""
	}
	dates := nlp.Dates(d.text, lang, d.r.Published)
	nums := nlp.Numbers(d.text)
	ments := x.actors.Find(d.text)
	words := tokenize(d.folded)
	for i := range words {
		words[i].orig = d.orig(words[i].start)
	}

	var spans []nlp.Span
	for _, s := range nlp.Sentences(d.text) {
		for s.End-s.Start > maxSentenceBytes {
			cut := s.Start + maxSentenceBytes
			for cut > s.Start+maxSentenceBytes/2 && d.text[cut] != ' ' {
				cut--
			}
			spans = append(spans, nlp.Span{Start: s.Start, End: cut})
			s.Start = cut
		}
		spans = append(spans, s)
	}
	para, wi, di, ni, mi := 0, 0, 0, 0, 0
	prevEnd := 0
	for i, sp := range spans {
		if i%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if strings.Contains(d.text[prevEnd:sp.Start], "\n") {
			para++
		}
		prevEnd = sp.End
		s := &sentence{idx: i, para: para, start: sp.Start, end: sp.End, cues: map[string]bool{}, text: d.text}
		for wi < len(words) && words[wi].orig < sp.Start {
			wi++
		}
		wj := wi
		for wj < len(words) && words[wj].orig < sp.End {
			wj++
		}
		s.words = words[wi:wj]
		wi = wj
		for di < len(dates) && dates[di].Start < sp.Start {
			di++
		}
		for ; di < len(dates) && dates[di].Start < sp.End; di++ {
			if datelineDate(d.text, sp.Start, dates[di]) {
				s.dateline = &dates[di] // the date of filing, not of the event
				continue
			}
			s.dates = append(s.dates, dates[di])
		}
		for ni < len(nums) && nums[ni].Start < sp.Start {
			ni++
		}
		for ; ni < len(nums) && nums[ni].Start < sp.End; ni++ {
			s.numbers = append(s.numbers, nums[ni])
		}
		for mi < len(ments) && ments[mi].Start < sp.Start {
			mi++
		}
		for ; mi < len(ments) && ments[mi].Start < sp.End; mi++ {
			s.actors = append(s.actors, ments[mi])
		}
		neg := x.lx.negative.match(s.words)
		cues := x.lx.cues.match(s.words)
		var hypo []hit
		for _, h := range x.lx.triggers.match(s.words) {
			switch {
			case covered(neg, h):
			case hypothetical(cues, h):
				hypo = append(hypo, h)
			default:
				s.triggers = append(s.triggers, h)
			}
		}
		for _, h := range cues {
			if h.value != "hypothetical" {
				s.cues[h.value] = true
			}
			if h.value == "claim" {
				s.claimAt = append(s.claimAt, d.orig(s.words[h.from].start))
			}
		}
		if len(s.triggers) == 0 && len(hypo) > 0 {
			// only things that might happen: kept as background
			s.triggers, s.cues["hypothetical"] = hypo, true
		}
		if len(s.triggers) == 0 {
			// "the death toll rose to 40": a toll with no verb of violence
			// still tells about the story's event
			if v, a := x.deaths(s); len(v)+len(a) > 0 {
				for _, h := range x.lx.deaths.match(s.words) {
					if h.value == "dead" {
						s.triggers = append(s.triggers, hit{from: h.from, to: h.to, value: "kill"})
						break
					}
				}
			}
		}
		s.places = d.scope.In(sp.Start, sp.End)
		d.sents = append(d.sents, s)
		if s.cues["claim"] {
			d.claims = append(d.claims, s.actors...)
		}
	}
	d.reference = d.r.Published
	if d.reference.IsZero() {
		for _, dr := range dates {
			if dr.Precision <= 2 && dr.Date.After(d.reference) {
				d.reference = dr.Date
			}
		}
	}
	d.country = mainCountry(d)
	return nil
}

// hypothetical tells whether a trigger stands in the scope of a
// conditional or a threat just before it ("could attack", "pourraient
// frapper", "threatened to burn"): the event is only possible.
func hypothetical(cues []hit, h hit) bool {
	for _, c := range cues {
		if c.value == "hypothetical" && c.to <= h.from && h.from-c.to <= 5 {
			return true
		}
	}
	return false
}

func covered(neg []hit, h hit) bool {
	for _, n := range neg {
		if h.from < n.to && n.from < h.to {
			return true
		}
	}
	return false
}

// mainCountry is the country most places in the report fall in.
func mainCountry(d *doc) string {
	count := map[string]int{}
	for _, s := range d.sents {
		for _, p := range s.places {
			if p.Place.Country != "" {
				count[p.Place.Country]++
			}
		}
	}
	best, n := "", 0
	for c, k := range count {
		if k > n || k == n && c < best {
			best, n = c, k
		}
	}
	if best == "" {
		best = d.scope.Fallback().Country
	}
	if best == "" {
		best = "Mali"
	}
	return best
}

// candidate is one event read from one sentence, before consolidation.
type candidate struct {
	ev        event.Event
	sent      *sentence
	class     class
	ownPlace  bool
	ownDate   bool
	floating  bool // placed only by the report's fallback: joins the report's first incident
	guessed   bool // the type was guessed: nothing said who was attacked
	parent    int  // index of the candidate whose place and date this one inherited, or -1
	victims   []figure
	attackers []figure
	civilians bool // a victim figure names civilians ("villagers", "civils"), not just "dead"
}

// candidates reads a candidate event from every sentence with a trigger.
func (x *Extractor) candidates(ctx context.Context, d *doc) []candidate {
	var out []candidate
	lastPlace := map[int]int{} // paragraph -> index of the last candidate with its own place
	lead := -1                 // the report's first incident
	for i, s := range d.sents {
		if i%64 == 0 && ctx.Err() != nil {
			return out
		}
		if len(s.triggers) == 0 {
			continue
		}
		cl, trig := x.mainTrigger(s)
		if cl.weak && !confirmed(x, s) {
			continue
		}
		trigAt := d.orig(s.words[trig.from].start)
		date, dprec, ownDate, dateOK := pickDate(d, i, trigAt)
		if ownDate && dprec == event.DayPrecision && claimDated(s, trigAt) {
			// "On 30 July, JNIM claimed an ambush": the day is the
			// claim's; the ambush was on it or some days before
			dprec = event.WeekPrecision
		}
		places, ownPlace, toDest := pickPlaces(d, s, trig)
		if toDest && lead >= 0 && (!ownDate || sameDay(date, out[lead].ev.Date)) {
			// "part of the convoy reached Bamako": the story's event
			ownPlace = false
		}
		if ownPlace && lead >= 0 && anyAnaphoric(s) && (!ownDate || sameDay(date, out[lead].ev.Date)) &&
			out[lead].ev.Place.Precision == event.PlacePrecision {
			// (when the story so far is placed only vaguely, the place the
			// sentence names refines it instead, and foldVague joins them)
			// "the attack", "l'attaque": the sentence returns to the story's
			// incident; a place it names is context ("arrived in Kaya")
			ownPlace = false
		}
		kind := decideKind(d, s, cl, date, dprec, ownDate, dateOK)
		if kind == event.Aggregate && ownDate && dprec == event.DayPrecision && ownPlace && len(places) >= 2 {
			// a tally that names the places of one day ("two attacks on
			// Tuesday, at A and B", "five on 25 March, targeting A, B, C
			// and D"): each place is an incident
			kind = event.Incident
		}
		if kind == event.Incident && !ownDate && dprec > event.DayPrecision && eventNouns[s.words[trig.from].text] && len(places) > 1 {
			// "attacks were reported in A, B and C", and nothing near gives the day
			kind = event.Aggregate
		}
		parent, floating := -1, false
		if !ownPlace {
			if j, ok := lastPlace[s.para]; ok {
				parent = j
			} else if lead >= 0 {
				parent = lead
			}
			if parent >= 0 {
				places = []event.Place{out[parent].ev.Place}
				if !ownDate {
					date, dprec = out[parent].ev.Date, out[parent].ev.TimePrecision
				}
			} else {
				places = []event.Place{d.scope.Fallback()}
				floating = true
				if i > 2 && kind == event.Incident {
					// far from the lead, a sentence that names no place is
					// commentary on the story, not a new incident
					kind = event.Background
				}
			}
		}
		if kind == event.Incident && (len(places) == 0 || places[0].Admin1 == "" || countryLevel(places[0])) {
			kind = event.Background
		}
		victims, attackers := x.deaths(s)
		if x.Trace != nil {
			var pn []string
			for _, p := range places {
				pn = append(pn, fmt.Sprintf("%s[%s/%s p%d]", p.Name, p.Admin1, p.Country, p.Precision))
			}
			var an []string
			for _, m := range s.actors {
				an = append(an, m.Actor.Name)
			}
			fmt.Fprintf(x.Trace, "%s #%d %s %s date=%s p%d own=%v place=%v own=%v parent=%d actors=%q victims=%v attackers=%v cues=%v\n  > %.160s\n",
				d.r.Doc, i, kind, cl.name, date.Format("2006-01-02"), dprec, ownDate, pn, ownPlace, parent, an, victims, attackers, s.cues, d.text[s.start:s.end])
		}
		for _, pl := range places {
			c := candidate{sent: s, class: cl, ownPlace: ownPlace, ownDate: ownDate, parent: parent, floating: floating,
				victims: victims, attackers: attackers}
			// civilians only: "4 civilians, 2 assailants and 1 soldier
			// dead" is the toll of the whole fight
			_, only := civilianFigures(x, victims)
			c.civilians = only && len(attackers) == 0
			c.ev = event.Event{
				Doc: d.r.Doc, Date: date, TimePrecision: dprec, Kind: kind, Place: pl,
				Evidence: []event.Evidence{{Doc: d.r.Doc, Start: s.start, End: s.end, Text: d.text[s.start:s.end]}},
			}
			x.code(d, s, trig, cl, &c)
			out = append(out, c)
			if ownPlace {
				lastPlace[s.para] = len(out) - 1
			}
			if lead < 0 && kind == event.Incident && ownPlace {
				lead = len(out) - 1
			}
		}
	}
	return out
}

func sameDay(a, b time.Time) bool {
	d := a.Sub(b)
	return d < 36*time.Hour && d > -36*time.Hour
}

// anaphoric tells whether a trigger is a noun that points back at an
// event already told ("the attack", "cette embuscade", "l'attaque").
func anaphoric(s *sentence, trig hit) bool {
	if trig.from == 0 {
		return false
	}
	switch s.words[trig.from-1].text {
	case "the", "this", "that", "these", "those", "l'", "cette", "cet", "ce", "ces", "la", "le", "les", "said":
		return true
	}
	return false
}

// anyAnaphoric tells whether the sentence points back at an event
// already told anywhere ("went to the site of the attack").
func anyAnaphoric(s *sentence) bool {
	for _, h := range s.triggers {
		if anaphoric(s, h) {
			return true
		}
	}
	return false
}

// mainTrigger picks the highest-priority trigger of a sentence. A device
// that was defused did not explode: "defused an IED" is a disrupted use,
// not an explosion.
func (x *Extractor) mainTrigger(s *sentence) (class, hit) {
	var best class
	var bh hit
	var defuse *hit
	for i, h := range s.triggers {
		c := x.lx.classes[h.value]
		if h.value == "defuse" {
			defuse = &s.triggers[i]
		}
		if best.name == "" || c.priority > best.priority {
			best, bh = c, h
		}
	}
	if defuse != nil && best.eventType == "Explosions/Remote violence" {
		return x.lx.classes["defuse"], *defuse
	}
	return best, bh
}

// confirmed tells whether a weak trigger ("killed") stands with something
// that makes it an event: a count of dead, an actor or a target.
func confirmed(x *Extractor, s *sentence) bool {
	if len(s.actors) > 0 {
		return true
	}
	v, a := x.deaths(s)
	return len(v)+len(a) > 0
}

// pickDate returns the date of sentence i: its own, else the closest earlier
// date in its paragraph, else the report's lead date, else the reference
// date at week precision. ok is false when nothing dates it.
// claimDated reports whether the sentence's date belongs to a claim of
// the event rather than to the event: every date of the sentence stands
// before a claim word that stands before the trigger ("On 30 July, JNIM
// claimed responsibility for an ambush", "Le 3 mars, le JNIM a revendiqué
// l'attaque").
//
// A statement works the same way: "On 2 August, the CSP said that 84
// mercenaries were killed in the battle" dates the statement.
func claimDated(s *sentence, trigAt int) bool {
	if len(s.dates) == 0 {
		return false
	}
	for _, dr := range s.dates {
		between := false
		for _, c := range s.claimAt {
			between = between || dr.End <= c && c < trigAt
		}
		if !between && (dr.End >= trigAt || !reportingVerb.MatchString(s.text[dr.End:trigAt])) {
			return false
		}
	}
	return true
}

// reportingVerb finds a reporting word as a whole word (see reportingWords).
var reportingVerb = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:` + strings.Join(reportingWords, "|") + `)(?:[^\p{L}]|$)`)

// inherited is the precision of a date another sentence gives: a claim's
// date only bounds the event (see claimDated).
func inherited(s *sentence, dr nlp.DateRef) int {
	if dr.Precision == event.DayPrecision && claimDated(s, s.end) {
		return event.WeekPrecision
	}
	return dr.Precision
}

func pickDate(d *doc, i, trigPos int) (date time.Time, prec int, own, ok bool) {
	s := d.sents[i]
	if dr, found := eventDate(d.text, s.dates, trigPos); found {
		return dr.Date, dr.Precision, true, true
	}
	for j := i - 1; j >= 0 && d.sents[j].para == s.para; j-- {
		if dr, found := bestDate(d.sents[j].dates); found {
			return dr.Date, inherited(d.sents[j], dr), false, true
		}
	}
	// the lead: a date in the first sentences of the report
	for j := 0; j < len(d.sents) && j < 4 && j < i; j++ {
		if dr, found := bestDate(d.sents[j].dates); found && !stale(d, dr.Date) {
			return dr.Date, inherited(d.sents[j], dr), false, true
		}
	}
	if !d.r.Published.IsZero() {
		// news reports what happened in the last day or two: the best
		// single-day estimate is the day before publication
		return d.r.Published.AddDate(0, 0, -1), event.WeekPrecision, false, true
	}
	return time.Time{}, event.MonthPrecision, false, false
}

func bestDate(ds []nlp.DateRef) (nlp.DateRef, bool) {
	var best nlp.DateRef
	found := false
	for _, dr := range ds {
		if !found || dr.Precision < best.Precision {
			best, found = dr, true
		}
	}
	return best, found
}

// reportingWords introduce the date of a statement, not of the event:
// "said on Monday", "in a statement released on Tuesday".
var reportingWords = []string{"said", "says", "released", "statement", "announced", "reported", "told",
	"published", "declared", "confirmed", "déclaré", "annoncé", "communiqué", "indiqué", "affirmé", "publié", "précisé"}

// eventDate picks the date of the sentence's event: the most precise, and
// among those one that does not date a statement, nearest the trigger.
func eventDate(text string, ds []nlp.DateRef, trigPos int) (nlp.DateRef, bool) {
	var best nlp.DateRef
	bestScore, found := 0, false
	for _, dr := range ds {
		score := -dr.Precision * 10000
		lo := max(0, dr.Start-40)
		before := strings.ToLower(text[lo:dr.Start])
		for _, w := range reportingWords {
			if strings.Contains(before, w) {
				score -= 5000
				break
			}
		}
		dist := dr.Start - trigPos
		if dist < 0 {
			dist = -dist
		}
		score -= dist
		if !found || score > bestScore {
			best, bestScore, found = dr, score, true
		}
	}
	return best, found
}

func stale(d *doc, t time.Time) bool {
	return !d.reference.IsZero() && d.reference.Sub(t) > staleAfter
}

// listJoin matches the text between two places of a list: "A, B and C".
var listJoin = map[string]bool{",": true, "and": true, "et": true, ", and": true, "as well as": true,
	"ainsi que": true, "or": true, "ou": true, "&": true, ";": true, ", et": true, "then": true, "puis": true,
	"et à": true, "et a": true, "and in": true, "and at": true, ", à": true, "et au": true, "and on": true, ",,": true}

// pickPlaces returns the places a sentence's event happened at: every place
// of a list ("attacks on A, B and C"), else the one the trigger points at.
// own is false when the sentence names no usable place.
//
// A place the sentence only goes to ("on their way to X", "reached X") is
// used when nothing else places the sentence, near it, and toDest says so.
func pickPlaces(d *doc, s *sentence, trig hit) (places []event.Place, own, toDest bool) {
	var precise, regions, dests []event.PlaceRef
	for _, p := range s.places {
		if !p.Place.Known() && p.Place.Admin1 == "" || countryLevel(p.Place) || dateline(d, s, p) || sourcePlace(d, p) {
			continue
		}
		if destination(d, p) {
			dests = append(dests, p)
			continue
		}
		if p.Place.Precision <= event.NearPrecision && p.Place.Name != p.Place.Country {
			precise = append(precise, p)
		} else {
			regions = append(regions, p)
		}
	}
	if len(precise) == 0 && len(dests) > 0 {
		p := dests[0].Place
		p.Precision = max(p.Precision, event.NearPrecision)
		return []event.Place{p}, true, true
	}
	if len(precise) == 0 {
		// a region or country alone: usable when it is more than the country
		for _, p := range regions {
			if p.Place.Admin1 != "" {
				return []event.Place{p.Place}, true, false
			}
		}
		return nil, false, false
	}
	precise = dropUnitNames(d, precise)
	if run := longestList(d, s, precise); len(run) == len(precise) && len(run) > 1 || len(run) >= 3 {
		// "attacks on A, B and C": one event per place. A long list inside
		// a longer sentence ("… on March 25, targeting A, B, C and D")
		// is still the sentence's subject.
		var out []event.Place
		seen := map[string]bool{}
		for _, p := range run {
			if !seen[p.Place.Name] {
				seen[p.Place.Name] = true
				out = append(out, p.Place)
			}
		}
		return out, true, false
	}
	trigPos := d.orig(s.words[trig.from].start)
	best, bestScore := precise[0], -1<<30
	for _, p := range precise {
		score := 0
		if locative(d, p.Start) {
			score += 1000
		}
		dist := p.Start - trigPos
		if dist < 0 {
			dist = -dist * 2 // places before the trigger are more often origins or context
		}
		score -= dist
		if p.Place.Precision == event.PlacePrecision {
			score += 50
		}
		if score > bestScore {
			best, bestScore = p, score
		}
	}
	return []event.Place{best.Place}, true, false
}

// destinations are the folded words that make the place after them a
// destination or a refuge ("part of the convoy reached Bamako", "the
// wounded were evacuated to Mopti", "le président regagnait
// Ouagadougou"): the event happened elsewhere, or is the story's.
var destinations = []string{
	"reached", "reach", "heading to", "headed to", "bound for", "on its way to", "on their way to", "on his way to", "on her way to",
	"en route to", "fled to", "flee to", "evacuated to", "taken to", "transported to", "transferred to",
	"returned to", "returning to", "rejoindre", "rejoint", "rejoignent", "regagner", "regagne", "regagnait",
	"en direction de", "en direction du", "en direction d", "evacue vers", "evacues vers", "evacuees vers",
	"transfere vers", "transferes vers", "transporte vers", "transportes vers", "fui vers", "refugies a",
	"se sont refugies a", "en route vers",
}

// destination tells whether a place is where people went rather than
// where the event happened (see destinations).
func destination(d *doc, p event.PlaceRef) bool {
	before := " " + strings.Join(strings.Fields(nlp.Fold(d.text[max(0, p.Start-40):p.Start])), " ")
	for _, w := range destinations {
		if strings.HasSuffix(before, " "+w) {
			return true
		}
	}
	return false
}

// sourcePlace tells whether a place only says where a source was ("a
// security source in Sikasso reported", "selon une source à Mopti"): like
// a dateline, it is not where the event happened.
func sourcePlace(d *doc, p event.PlaceRef) bool {
	ws := wordsBefore(d, p.Start)
	if len(ws) < 2 {
		return false
	}
	switch ws[len(ws)-1] {
	case "in", "at", "à", "a", "de":
	default:
		return false
	}
	switch strings.Trim(ws[len(ws)-2], ",") {
	case "source", "sources", "correspondent", "correspondents", "correspondant", "correspondants", "journalist", "journalists", "journaliste":
		return true
	}
	return false
}

// dateline tells whether a place opens the sentence as a dateline
// ("Bamako, July 27 (Reuters) –", "NIAMEY (AFP) -"): it says where the
// reporter was, not where the event happened.
func dateline(d *doc, s *sentence, p event.PlaceRef) bool {
	if strings.TrimSpace(d.text[s.start:p.Start]) != "" {
		return false
	}
	rest := strings.TrimLeft(d.text[p.End:min(len(d.text), p.End+40)], " ")
	switch {
	case strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") || strings.HasPrefix(rest, "- "):
		return true
	case strings.HasPrefix(rest, ","):
		return s.dateline != nil && s.dateline.Start > p.End && s.dateline.Start <= p.End+4
	}
	return false
}

// datelineDate tells whether a date opens its sentence as part of a
// dateline: "Bamako, July 27 (Reuters) –", "NIAMEY, 3 mars 2025 (AFP) -".
func datelineDate(text string, sentStart int, dr nlp.DateRef) bool {
	if dr.Start-sentStart <= 2 {
		// a time stamp opening the text: "26-05-2025 02:04 - Mali: ..."
		rest := strings.TrimLeft(text[dr.End:min(len(text), dr.End+12)], " ")
		if len(rest) > 2 && rest[0] >= '0' && rest[0] <= '9' && strings.ContainsAny(rest[:min(len(rest), 3)], ":h") ||
			strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "|") {
			return true
		}
	}
	if dr.Start-sentStart > 40 {
		return false
	}
	head := text[sentStart:dr.Start]
	if !strings.HasSuffix(strings.TrimSpace(head), ",") || strings.Count(head, " ") > 4 {
		return false
	}
	rest := strings.TrimLeft(text[dr.End:min(len(text), dr.End+30)], " ")
	return strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") ||
		strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "/")
}

// unitLinks are the folded words that may join a place to the unit it lies
// in.
var unitLinks = map[string]bool{
	",": true, "(": true, ", in": true, "in": true, "in the": true, ", in the": true,
	"dans": true, "dans la": true, "dans le": true, ", dans la": true, ", dans le": true, ", dans": true,
}

// unitGap strips the unit words a gap ends with ("dans la province du",
// "in the cercle of"): what is left is the link itself.
func unitGap(gap string) string {
	ws := strings.Fields(gap)
	for len(ws) > 0 {
		switch ws[len(ws)-1] {
		case "province", "cercle", "region", "commune", "du", "de", "la", "le", "of", "d":
			ws = ws[:len(ws)-1]
			continue
		}
		break
	}
	return strings.Join(ws, " ")
}

// dropUnitNames removes a place that only names the region or cercle of
// the place before it ("Niono, Segou", "Youwarou (Mopti)"): it locates the
// first, it is not a second place.
func dropUnitNames(d *doc, ps []event.PlaceRef) []event.PlaceRef {
	out := ps[:0:0]
	for i, p := range ps {
		if i > 0 {
			prev := ps[i-1].Place
			between := unitGap(nlp.Fold(strings.TrimSpace(d.text[ps[i-1].End:p.Start])))
			unit := nlp.Fold(p.Place.Name)
			a1, a2 := nlp.Fold(prev.Admin1), nlp.Fold(prev.Admin2)
			// "Djibo dans la province du Soum": the unit's name may carry
			// its kind ("province du Soum", "cercle de Bankass")
			names := unit == a1 || unit == a2 || strings.HasPrefix(unit, a1) ||
				p.Place.Precision > prev.Precision && (a1 != "" && strings.HasSuffix(unit, " "+a1) || a2 != "" && strings.HasSuffix(unit, " "+a2))
			if unitLinks[between] && names {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// countryLevel tells whether a place is a whole country (or vaguer), which
// cannot place an incident.
func countryLevel(p event.Place) bool {
	return p.Country == "" || strings.EqualFold(p.Name, p.Country) || p.Precision >= event.RegionPrecision && p.Admin1 == ""
}

// longestList returns the longest run of places in ps joined only by list
// words ("A, B et C"). Names the text gives between them that the
// gazetteer did not resolve do not break the run.
func longestList(d *doc, s *sentence, ps []event.PlaceRef) []event.PlaceRef {
	var best, cur []event.PlaceRef
	for i, p := range ps {
		if i > 0 && joined(d, s, ps[i-1], p) {
			cur = append(cur, p)
		} else {
			cur = []event.PlaceRef{p}
		}
		if len(cur) > len(best) {
			best = cur
		}
	}
	return best
}

// joined tells whether the text between two places is only list words,
// bracketed asides and names of other places.
func joined(d *doc, s *sentence, a, b event.PlaceRef) bool {
	if b.Start < a.End {
		return false
	}
	between := d.text[a.End:b.Start]
	// blank out other place names in between (unresolved villages)
	for _, o := range s.places {
		if o.Start >= a.End && o.End <= b.Start {
			between = strings.Replace(between, d.text[o.Start:o.End], ",", 1)
		}
	}
	between = stripParens(between)
	// capitalised words between commas are names the gazetteer does not
	// know: list items too ("Tamani, Sonbougou, Doura")
	var kept []string
	for _, f := range strings.Fields(strings.ReplaceAll(between, ",", " , ")) {
		r, _ := utf8.DecodeRuneInString(f)
		if f != "," && unicode.IsUpper(r) && len(kept) > 0 && kept[len(kept)-1] == "," {
			continue
		}
		kept = append(kept, f)
	}
	// "Sollé dans le Nord, Boko dans le Centre-Nord et Yondé": a unit
	// after each item (a capitalised name, or blanked to a comma above)
	// is an aside too
	between = unitAside.ReplaceAllString(strings.Join(kept, " ")+" ", " , ")
	between = strings.ToLower(strings.TrimSpace(between))
	between = strings.ReplaceAll(between, " ,", ",")
	for strings.Contains(between, ", ,") || strings.Contains(between, ",,") {
		between = strings.ReplaceAll(strings.ReplaceAll(between, ", ,", ","), ",,", ",")
	}
	return listJoin[strings.Join(strings.Fields(between), " ")]
}

var unitAside = regexp.MustCompile(`(?:^|\s)(?:dans (?:le|la|les|l')|au|aux|en|in the|in)\s+(?:\p{Lu}[\p{L}-]*\s*)?(?:,|\s)`)

// stripParens removes bracketed asides ("(Nord)", "(Mopti region)") so
// that "A (Nord), B (Centre-Nord) et C" reads as a list.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// locative tells whether the words just before text offset pos introduce a
// place where something happened ("in", "at", "near", "à", "dans").
func locative(d *doc, pos int) bool {
	lo := max(0, pos-24)
	before := strings.Fields(strings.ToLower(d.text[lo:pos]))
	if len(before) == 0 {
		return false
	}
	w := strings.Trim(before[len(before)-1], ",(")
	switch w {
	case "in", "at", "near", "on", "outside", "around", "à", "a", "dans", "près", "pres", "vers", "of", "de", "du", "d'", "targeting", "attacked", "hit", "struck", "entre", "between":
		return true
	}
	return strings.HasPrefix(w, "d'") || strings.HasPrefix(w, "l'")
}

// decideKind tells what kind of mention a sentence's event is.
func decideKind(d *doc, s *sentence, cl class, date time.Time, prec int, ownDate, dateOK bool) event.Kind {
	switch {
	case s.cues["hypothetical"]:
		return event.Background
	case cl.situation:
		return event.Situation
	case !dateOK:
		return event.Background
	case stale(d, date):
		return event.Background
	case prec == event.MonthPrecision && !ownDate:
		return event.Background
	case s.cues["aggregate"] || pluralCount(d, s):
		return event.Aggregate
	case s.cues["general"] && !ownDate:
		return event.Background
	case s.cues["foiled"]:
		return event.Background
	}
	return event.Incident
}

// eventNouns are trigger words that name events rather than actions; a
// count in front of one ("16 attacks", "deux embuscades") sums events up.
var eventNouns = map[string]bool{"attacks": true, "attaques": true, "raids": true, "ambushes": true, "embuscades": true,
	"assaults": true, "assauts": true, "strikes": true, "frappes": true, "incidents": true, "explosions": true,
	"bombardements": true, "enlevements": true, "kidnappings": true, "abductions": true, "clashes": true,
	"affrontements": true, "massacres": true, "killings": true, "ieds": true, "airstrikes": true}

// pluralCount tells whether a sentence counts events ("16 attacks", "deux
// attaques"): a number above one just before a plural event noun.
func pluralCount(d *doc, s *sentence) bool {
	for _, n := range s.numbers {
		if n.Value < 2 {
			continue
		}
		for _, h := range s.triggers {
			w := s.words[h.from]
			if !eventNouns[w.text] {
				continue
			}
			gap := w.orig - n.End
			if gap >= 0 && gap <= 12 {
				return true
			}
		}
	}
	return false
}

// eventID is stable for the same report, place, day and type.
func eventID(doc string, e event.Event) string {
	h := sha256.Sum256([]byte(strings.Join([]string{doc, e.Place.Name, e.Date.Format("2006-01-02"),
		e.EventType, e.SubEventType, string(e.Kind)}, "|")))
	return "SW" + strings.ToUpper(hex.EncodeToString(h[:6]))
}

// sortEvents orders events by their first evidence offset.
func sortEvents(evs []event.Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		return evs[i].Evidence[0].Start < evs[j].Evidence[0].Start
	})
}
