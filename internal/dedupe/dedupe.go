// Package dedupe decides when two coded events are the same incident read
// from different reports, and how their fields combine. The store calls it
// inside its write transaction (store.Merger), so a decision and its record
// are saved together.
//
// Two events are candidates when their dates fit each other's time
// precision and their places each other's geo precision; they must agree on
// kind, and on event type unless data/types.tsv lets the two types stand for
// one incident read differently (then only on the same day and place), and
// must not name different armed groups as the perpetrator. Events read from
// one report never merge with each other: the extractor has already
// consolidated what it reads as one incident. Merged fields follow explicit rules, recorded per field: the
// most precise place and date, the lowest fatality figure any source gives
// (ACLED's conservative rule) with the range across sources, and actors
// completed from the most specific report.
package dedupe

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// Options tunes the merge. Zero values take the defaults.
type Options struct {
	// PreciseKm is how far apart two precisely placed events may be (km).
	PreciseKm float64
	// NearKm is the distance allowed when either is only "near" a place.
	NearKm float64
	// RegionKm is the distance allowed when either is placed by region.
	RegionKm float64
}

// Merger implements store.Merger.
type Merger struct {
	opt   Options
	types typeTable
	sides sideTable
}

// New returns a Merger.
func New(opt Options) *Merger {
	if opt.PreciseKm == 0 {
		opt.PreciseKm = 10
	}
	if opt.NearKm == 0 {
		opt.NearKm = 50
	}
	if opt.RegionKm == 0 {
		opt.RegionKm = 200
	}
	return &Merger{opt: opt, types: defaultTypes, sides: defaultSides}
}

// Window is how many days either side of e's date candidates may lie. It
// must cover every pair Score accepts from either side, or whether two
// reports merge would depend on which was ingested first (TestWindowCovers
// Score). Scope holds stored events dated to the day or week to 8 days, so
// the month-wide reach costs only the scan of the vague ones.
func (m *Merger) Window(e event.Event) int {
	if toll(e) >= notableToll {
		return recallDays
	}
	return 31
}

// notableToll is the toll from which a figure identifies an incident, and
// recallDays how far apart two reports of it may date it: a massacre of
// hundreds at one town is recalled weeks later by reports that date it
// only by their own publication ("October 7: JNIM shot dead over 500
// civilians at Barsalogho"); two such massacres at one town within two
// months are far rarer than such a recollection.
const (
	notableToll = 50
	recallDays  = 61
)

func toll(e event.Event) int { return max(e.Fatalities, e.FatalitiesHigh) }

// recalled tells whether two events share a notable toll (within a factor
// of five: a massacre's first count is often a fifth of its last, as
// Barsalogho's went from about a hundred to several hundred) and type.
func recalled(a, b event.Event) bool {
	ta, tb := toll(a), toll(b)
	return min(ta, tb) >= notableToll && max(ta, tb) <= 5*min(ta, tb) &&
		a.EventType == b.EventType && a.SubEventType == b.SubEventType
}

// Scope implements store.ScopedMerger: a dated event looks 8 days either
// side for dated events and a month for vague ones; incidents and
// background mentions of past incidents may merge (a later report that
// recalls an attack is one more source for it); a region-level event may
// lie anywhere in its region.
func (m *Merger) Scope(e event.Event) store.Scope {
	sc := store.Scope{DatedDays: 8}
	if e.TimePrecision >= event.MonthPrecision || toll(e) >= notableToll {
		sc.DatedDays = 0
	}
	if mergeableKinds[e.Kind] {
		sc.Kinds = []event.Kind{event.Incident, event.Background}
	}
	sc.Admin1 = e.Place.Admin1
	return sc
}

// mergeableKinds are the kinds that may merge with each other: an incident
// and a background mention of it. Aggregates and situations merge only
// with their own kind.
var mergeableKinds = map[event.Kind]bool{event.Incident: true, event.Background: true}

func sameKind(a, b event.Kind) bool {
	return a == b || mergeableKinds[a] && mergeableKinds[b]
}

// slack is the largest date difference two events may have.
func slack(a, b event.Event) float64 {
	p := max(a.TimePrecision, b.TimePrecision)
	switch {
	case p <= event.DayPrecision:
		return 2 // reports date night attacks to either day, and lag
	case p == event.WeekPrecision:
		return 7
	case min(a.TimePrecision, b.TimePrecision) < event.MonthPrecision:
		// a month-vague event (dated mid-month) and a dated one: the
		// dated one lies in that month
		return 17
	}
	return 31
}

// regionWide tells whether two events may lie any distance apart: one is
// placed only by its region (ACLED's geo precision 3: somewhere in the
// region) and the other lies in that region.
func regionWide(a, b event.Event) bool {
	if a.Place.Admin1 == "" || !strings.EqualFold(a.Place.Admin1, b.Place.Admin1) || a.Place.Country != b.Place.Country {
		return false
	}
	return a.Place.Precision >= event.RegionPrecision || b.Place.Precision >= event.RegionPrecision
}

func (m *Merger) radius(a, b event.Event) float64 {
	switch max(a.Place.Precision, b.Place.Precision) {
	case event.PlacePrecision, 0:
		return m.opt.PreciseKm
	case event.NearPrecision:
		return m.opt.NearKm
	}
	return m.opt.RegionKm
}

// RadiusKm implements store.AreaMerger: no stored event farther than this
// can merge with e, whatever its precision (a region-level event may lie
// anywhere in its region). Events with the same place name beyond it are
// namesakes, not one incident.
func (m *Merger) RadiusKm(e event.Event) float64 {
	return 1.1 * max(m.opt.PreciseKm, m.opt.NearKm, m.opt.RegionKm)
}

// Score returns how alike two events are, in 0..1, or -1 when they cannot
// be the same incident.
func (m *Merger) Score(a, b event.Event) float64 {
	if !sameKind(a.Kind, b.Kind) {
		return -1
	}
	if sameReport(a, b) {
		return -1 // one report's events were already consolidated by extract
	}
	days := math.Abs(a.Date.Sub(b.Date).Hours()) / 24
	sl := slack(a, b)
	samePlace := a.Place.Name != "" && strings.EqualFold(a.Place.Name, b.Place.Name)
	if days > sl && samePlace && days <= recallDays && recalled(a, b) {
		sl = recallDays
	}
	if days > sl {
		return -1
	}
	r := m.radius(a, b)
	d := event.Km(a.Place, b.Place)
	wide := regionWide(a, b)
	if d > r && !samePlace && !wide {
		return -1
	}
	near := min(1, d/r)
	if wide {
		// a region-level event's point is the region's, not the
		// incident's: distance is no evidence either way
		near = 0.5
	}
	s := 1 - 0.4*near - 0.3*(days/(sl+1))
	if a.EventType != b.EventType {
		// Reports of one incident may code it differently, but only
		// pairs the table allows, and only on the same day and place.
		if !m.types.compatible(a, b) || days > 1 || a.TimePrecision > event.DayPrecision || b.TimePrecision > event.DayPrecision {
			return -1
		}
		s -= 0.3
	}
	switch m.conflict(a, b) {
	case actorsConflict:
		return -1
	case actorsAllied:
		// A coalition battle claimed by each group: the same day, or, when
		// one report dates it only roughly (a claim made days later), the
		// same named place (a claim placed only by its region is too weak:
		// the army fights several battles a week in one region).
		vagueDate := max(a.TimePrecision, b.TimePrecision) > event.DayPrecision
		if days > 1 && !(vagueDate && samePlace) || a.EventType != b.EventType {
			return -1
		}
		s -= 0.2
	}
	if a.SubEventType == b.SubEventType {
		s += 0.1
	}
	if samePlace {
		s += 0.1
	}
	s = math.Min(1, s)
	if a.Kind != b.Kind {
		// a report's own account of an incident before a recollection
		// of it, however alike
		s -= 0.2
	}
	return math.Max(0.01, s)
}

// sameReport tells whether two events were read from one report: the
// extractor already decided they are different incidents.
func sameReport(a, b event.Event) bool {
	docs := map[string]bool{}
	for _, e := range []event.Event{a} {
		if e.Doc != "" {
			docs[e.Doc] = true
		}
		for _, s := range e.Sources {
			if s.Doc != "" {
				docs[s.Doc] = true
			}
		}
	}
	if b.Doc != "" && docs[b.Doc] {
		return true
	}
	for _, s := range b.Sources {
		if s.Doc != "" && docs[s.Doc] {
			return true
		}
	}
	return false
}

type actorRelation int

const (
	actorsCompatible actorRelation = iota
	actorsConflict                 // two different armed groups as perpetrators
	actorsAllied                   // two different armed groups against the same named opponent
)

// conflict compares the perpetrators of two events. Only two named armed
// groups can conflict: state forces, civilians or protesters as actor1 are
// usually a report casting the roles the other way round, and reports
// often do ("the army repelled an attack" against "jihadists attacked the
// army"), so a group named on either side of the other event agrees.
// Two groups fighting the same named opponent, or two members of one side
// (data/sides.tsv: the Malian army and Wagner), at the same place and time
// may be one coalition battle claimed by each (the caller decides).
func (m *Merger) conflict(a, b event.Event) actorRelation {
	if !armedGroup(a.Actor1) || !armedGroup(b.Actor1) {
		return actorsCompatible
	}
	if sameActor(a.Actor1, b.Actor1) || sameActor(a.Actor1, b.Actor2) || sameActor(b.Actor1, a.Actor2) {
		return actorsCompatible
	}
	if a.Actor2.Name != "" && !vague(a.Actor2) && b.Actor2.Name != "" && !vague(b.Actor2) && m.sides.allied(a.Actor2, b.Actor2, a) {
		return actorsAllied
	}
	return actorsConflict
}

// armedGroup tells whether an actor is a named non-state armed group or
// foreign force: the kind of actor whose name identifies an attack.
func armedGroup(a event.Actor) bool {
	if vague(a) {
		return false
	}
	switch a.Inter {
	case 1, 5, 6, 7: // state forces, rioters, protesters, civilians
		return false
	}
	return true
}

// sameActor: the same group, or a parent and its sub-group.
func sameActor(a, b event.Actor) bool {
	for _, x := range []string{a.Name, a.Assoc} {
		for _, y := range []string{b.Name, b.Assoc} {
			if x != "" && strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

// vague tells whether an actor is a placeholder for an unknown perpetrator.
func vague(a event.Actor) bool {
	n := strings.ToLower(a.Name)
	return n == "" || strings.Contains(n, "unidentified") || strings.Contains(n, "unknown") ||
		strings.HasPrefix(n, "islamist militants")
}

// Merge implements store.Merger.
func (m *Merger) Merge(in event.Event, cands []event.Event) (int, event.Event, map[string]string) {
	best, bestScore := -1, 0.0
	for i, c := range cands {
		if s := m.Score(in, c); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return -1, in, nil
	}
	merged, rules := Combine(cands[best], in)
	rules["score"] = fmt.Sprintf("%.2f", bestScore)
	return best, merged, rules
}

// violent are the types that describe the violence itself; a merge keeps
// one of them over a report's account of its consequences.
var violent = map[string]bool{
	"Battles": true, "Violence against civilians": true, "Explosions/Remote violence": true,
}

// Combine merges incoming into stored by the field rules and names the rule
// that decided each field. The result keeps stored's ID.
func Combine(stored, in event.Event) (event.Event, map[string]string) {
	out := stored
	rules := map[string]string{}
	if in.Place.Known() && (in.Place.Precision < stored.Place.Precision || !stored.Place.Known()) {
		out.Place = in.Place
		rules["place"] = "more precise place from " + in.Doc
	} else {
		rules["place"] = "kept: at least as precise"
	}
	if !in.Date.IsZero() && in.TimePrecision < stored.TimePrecision {
		out.Date, out.TimePrecision = in.Date, in.TimePrecision
		rules["date"] = "more precise date from " + in.Doc
	} else if !in.Date.IsZero() && in.TimePrecision == stored.TimePrecision && stored.Date.Sub(in.Date) > 7*24*time.Hour {
		// as precise, weeks earlier: the later date is a recollection's
		// (see recalled)
		out.Date = in.Date
		rules["date"] = "earlier date from " + in.Doc
	} else {
		rules["date"] = "kept: at least as precise"
	}
	if in.EventType != stored.EventType {
		if violent[in.EventType] && !violent[stored.EventType] {
			out.EventType, out.SubEventType = in.EventType, in.SubEventType
			rules["event_type"] = fmt.Sprintf("violent type from %s (%s had %s)", in.Doc, stored.ID, stored.EventType)
		} else {
			rules["event_type"] = fmt.Sprintf("kept %s (%s said %s)", stored.EventType, in.Doc, in.EventType)
		}
	}
	if stored.Kind == event.Background && in.Kind == event.Incident {
		// a background mention stored first: the report of the incident
		// itself makes it one, and tells better who fought whom
		out.Kind = event.Incident
		rules["kind"] = "incident from " + in.Doc
		if !vague(in.Actor1) {
			out.Actor1 = in.Actor1
			rules["actor1"] = "incident's actor from " + in.Doc
		}
		if in.Actor2.Name != "" && !vague(in.Actor2) {
			out.Actor2 = in.Actor2
			rules["actor2"] = "incident's actor from " + in.Doc
		}
	}
	if vague(out.Actor1) && !vague(in.Actor1) {
		out.Actor1 = in.Actor1
		rules["actor1"] = "named actor from " + in.Doc
	} else if stored.Actor1.Assoc == "" && in.Actor1.Assoc != "" && strings.EqualFold(stored.Actor1.Name, in.Actor1.Name) {
		out.Actor1 = in.Actor1
		rules["actor1"] = "more specific sub-group from " + in.Doc
	}
	if (out.Actor2.Name == "" || vague(out.Actor2)) && in.Actor2.Name != "" && !vague(in.Actor2) {
		out.Actor2 = in.Actor2
		rules["actor2"] = "named actor from " + in.Doc
	}
	// Fatalities: the lowest figure any source gives (ACLED's conservative
	// rule); a source that gives no figure (0) does not pull it down.
	figs := []int{}
	for _, s := range stored.Sources {
		if s.Fatalities > 0 {
			figs = append(figs, s.Fatalities)
		}
	}
	if len(stored.Sources) == 0 && stored.Fatalities > 0 {
		figs = append(figs, stored.Fatalities)
	}
	if in.Fatalities > 0 {
		figs = append(figs, in.Fatalities)
	}
	if len(figs) > 0 {
		lo, hi := figs[0], figs[0]
		for _, f := range figs[1:] {
			lo, hi = min(lo, f), max(hi, f)
		}
		out.Fatalities, out.FatalitiesLow, out.FatalitiesHigh = lo, lo, hi
		rules["fatalities"] = fmt.Sprintf("lowest of %d source figures (range %d-%d)", len(figs), lo, hi)
	}
	out.Confidence = math.Min(0.99, math.Max(stored.Confidence, in.Confidence)+0.05)
	rules["confidence"] = "corroborated by " + in.Doc
	return out, rules
}
