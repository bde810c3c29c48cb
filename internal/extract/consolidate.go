package extract

import (
	"fmt"
	"math"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

// group is one event being assembled from the candidates that describe it.
type group struct {
	ev        event.Event
	class     class
	members   []int
	victims   []toll // per-sentence victim totals
	attackers []toll
	noDeaths  bool
	floating  bool // started by a sentence placed only by the report's fallback
	guessed   bool // its type was guessed for want of a target
}

// consolidate merges the candidates of one report that describe the same
// event: a sentence that names no place of its own continues the event it
// took its place from; others merge when place, day and type agree.
func consolidate(d *doc, cands []candidate) []event.Event {
	var groups []*group
	owner := make([]int, len(cands)) // candidate -> group
	for i, c := range cands {
		gi := -1
		if !c.ownPlace && c.parent >= 0 {
			pg := owner[c.parent]
			// civilians killed during an attack on a base are an event of
			// their own: ACLED codes the battle and the killing apart
			pgr := groups[pg]
			// and so are villagers abducted during it
			civilians := c.ev.EventType == "Violence against civilians" &&
				(c.civilians || c.ev.SubEventType == "Abduction/forced disappearance") &&
				pgr.ev.EventType == "Battles"
			if civilians && pgr.guessed {
				// the story's attack had no target until now: it was on
				// civilians
				pgr.ev.EventType, pgr.ev.SubEventType, pgr.guessed = c.ev.EventType, c.ev.SubEventType, false
				if pgr.ev.Actor2.Inter != 7 {
					pgr.ev.Actor2 = c.ev.Actor2
				}
				civilians = false
			}
			if pgr.ev.Kind == c.ev.Kind && !civilians {
				gi = pg
			}
		}
		if gi < 0 {
			for k, g := range groups {
				if sameEvent(g, c) {
					gi = k
					break
				}
			}
		}
		if gi < 0 {
			groups = append(groups, &group{ev: c.ev, class: c.class, guessed: c.guessed})
			gi = len(groups) - 1
		} else {
			absorb(groups[gi], c)
		}
		owner[i] = gi
		g := groups[gi]
		g.members = append(g.members, i)
		g.floating = g.floating || len(g.members) == 1 && c.floating
		if len(c.victims) > 0 {
			v, approx := total(c.victims)
			g.victims = append(g.victims, toll{v, approx})
		}
		if len(c.attackers) > 0 {
			v, approx := total(c.attackers)
			g.attackers = append(g.attackers, toll{v, approx})
		}
		if c.sent.cues["nocasualty"] {
			g.noDeaths = true
		}
	}
	groups = foldFloating(groups, cands)
	groups = foldVague(groups)
	groups = foldIntoBattles(groups)
	for _, g := range groups {
		coherentType(&g.ev)
	}
	groups = foldTwins(groups)
	// "Its camps at A and B were attacked": the events one sentence gives
	// for several places are one kind of attack, so what another sentence
	// says about A's (the soldiers who fought there) holds for B's.
	for _, g := range groups {
		for _, h := range groups {
			if g != h && g.ev.Kind == h.ev.Kind && sameDay(g.ev.Date, h.ev.Date) && shareSentence(g.ev, h.ev) {
				preferBattle(&g.ev, g.victims, h.ev)
			}
		}
	}
	out := make([]event.Event, 0, len(groups))
	for _, g := range groups {
		escorted(&g.ev, g.victims)
		// conflicting tolls for one side: the most conservative
		g.ev.Fatalities = minOf(g.victims) + minOf(g.attackers)
		g.ev.FatalitiesLow = g.ev.Fatalities
		g.ev.FatalitiesHigh = maxOf(g.victims) + maxOf(g.attackers)
		out = append(out, g.ev)
	}
	sortEvents(out)
	return out
}

// foldFloating merges an event that only the report's fallback place
// locates (a headline naming no place) into the report's first incident
// with a place of its own within two days: the lead tells the same story.
func foldFloating(groups []*group, cands []candidate) []*group {
	var target *group
	for _, g := range groups {
		if !g.floating && g.ev.Kind == event.Incident && g.ev.Place.Precision < event.RegionPrecision {
			target = g
			break
		}
	}
	if target == nil {
		return groups
	}
	var keep []*group
	for _, g := range groups {
		if g.floating && g.ev.Kind == target.ev.Kind && math.Abs(g.ev.Date.Sub(target.ev.Date).Hours()) <= 48 {
			absorbGroup(target, g)
			continue
		}
		keep = append(keep, g)
	}
	return keep
}

func absorbGroup(into, g *group) {
	preferBattle(&into.ev, into.victims, g.ev)
	into.ev.Evidence = append(into.ev.Evidence, g.ev.Evidence...)
	into.victims = append(into.victims, g.victims...)
	into.attackers = append(into.attackers, g.attackers...)
	if completes(into.ev.Actor1, g.ev.Actor1) {
		into.ev.Actor1 = g.ev.Actor1
	}
	if into.ev.Actor2.Name == "" && g.ev.Actor2.Name != "" && g.ev.Actor2.Name != into.ev.Actor1.Name {
		into.ev.Actor2 = g.ev.Actor2
	}
}

// foldIntoBattles merges an attack on civilians or property in which no
// one is reported killed into a battle of the state forces at the same
// place and time: groups can become battles only once later sentences
// are read ("tankers were damaged" before "the escort came under fire").
func foldIntoBattles(groups []*group) []*group {
	return foldWhere(groups, func(i int, g *group, _ []*group) *group {
		if len(g.victims) > 0 {
			return nil
		}
		for j, h := range groups {
			if j != i && h.ev.Kind == g.ev.Kind && h.ev.Place.Name == g.ev.Place.Name && battleWith(g.ev, h.ev) && closeInTime(g.ev, h.ev) {
				return h
			}
		}
		return nil
	})
}

// foldWhere absorbs every group for which home names another group into
// that group and keeps the others, in order. home sees the group's index,
// the group and the groups kept so far.
func foldWhere(groups []*group, home func(i int, g *group, kept []*group) *group) []*group {
	var keep []*group
	for i, g := range groups {
		if into := home(i, g, keep); into != nil {
			absorbGroup(into, g)
			continue
		}
		keep = append(keep, g)
	}
	return keep
}

// escorted recodes an attack on a convoy that state forces escorted as an
// armed clash with them, as ACLED codes the ambush of an escorted convoy
// (trucks burned, "part of the convoy escorted by the army reached
// Bamako"), when no one is reported killed on the civilian side.
func escorted(e *event.Event, victims []toll) {
	if len(victims) > 0 || e.Actor2.Inter != 1 || e.Actor1.Inter == 1 {
		return
	}
	if e.EventType != "Violence against civilians" && !(e.EventType == "Strategic developments" && e.SubEventType == "Looting/property destruction") {
		return
	}
	for _, ev := range e.Evidence {
		t := nlp.Fold(ev.Text)
		if strings.Contains(t, "escort") {
			e.EventType, e.SubEventType = "Battles", "Armed clash"
			return
		}
	}
}

// coherentType recodes an attack "on civilians" whose target turned out
// to be the state's forces ("the two camps of Léré" were the army's) as a
// battle: ACLED's violence against civilians has civilian targets.
func coherentType(e *event.Event) {
	if e.EventType == "Violence against civilians" && e.Actor2.Inter == 1 && e.Actor1.Inter != 1 {
		e.EventType, e.SubEventType = "Battles", "Armed clash"
	}
}

// foldTwins merges groups that recoding has made alike: same kind, type,
// place and day ("fighters were killed" read as an attack until the
// army's account made it a battle, beside that battle).
func foldTwins(groups []*group) []*group {
	return foldWhere(groups, func(_ int, g *group, kept []*group) *group {
		for _, h := range kept {
			if h.ev.Kind == g.ev.Kind && h.ev.EventType == g.ev.EventType && h.ev.Place.Name == g.ev.Place.Name &&
				h.ev.Place.Precision == g.ev.Place.Precision && sameDay(h.ev.Date, g.ev.Date) {
				return h
			}
		}
		return nil
	})
}

// foldVague merges an event placed only by region, or only "near" a town,
// into a more precisely placed event of the same report in that region (or
// within 50 km) and within two days: it is the same incident told without
// the village's name.
func foldVague(groups []*group) []*group {
	return foldWhere(groups, func(i int, g *group, _ []*group) *group {
		if g.ev.Place.Precision == event.PlacePrecision {
			return nil
		}
		var into *group
		for j, h := range groups {
			if j == i || h.ev.Place.Precision >= g.ev.Place.Precision || h.ev.Kind != g.ev.Kind {
				continue
			}
			// "near Kaya" and the village near Kaya the report names, or
			// "the cercle of Niafunké" and the town in it
			if g.ev.Place.Precision == event.NearPrecision && event.Km(g.ev.Place, h.ev.Place) > 50 &&
				!(unitPlace(g.ev.Place) && g.ev.Place.Admin2 == h.ev.Place.Admin2) {
				continue
			}
			// any type: a headline's "attack" and the body's "ambush" are
			// one story; but of several, the one of the same type, then the
			// closest in time ("two days of fighting near the border" is
			// the battle at the border town, not the helicopter that
			// crashed in the regional capital)
			if h.ev.Place.Admin1 == g.ev.Place.Admin1 && math.Abs(h.ev.Date.Sub(g.ev.Date).Hours()) <= 48 {
				if into == nil || better(g, h, into) {
					into = h
				}
			}
		}
		return into
	})
}

// unitPlace tells whether a place is a cercle or province ("cercle de
// Niafunké", "Soum province") rather than a town.
func unitPlace(p event.Place) bool {
	n := nlp.Fold(p.Name + " " + p.Mention)
	for _, w := range []string{"cercle", "province", "prefecture", "departement", "district"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// better reports whether h is a better home than cur for the vague group
// g: the same type first, then the nearer date.
func better(g, h, cur *group) bool {
	hs, cs := h.ev.EventType == g.ev.EventType, cur.ev.EventType == g.ev.EventType
	if hs != cs {
		return hs
	}
	return math.Abs(h.ev.Date.Sub(g.ev.Date).Hours()) < math.Abs(cur.ev.Date.Sub(g.ev.Date).Hours())
}

// shareSentence reports whether two events cite the same sentence.
func shareSentence(a, b event.Event) bool {
	for _, x := range a.Evidence {
		for _, y := range b.Evidence {
			if x.Start == y.Start && x.Doc == y.Doc {
				return true
			}
		}
	}
	return false
}

// toll is one sentence's figure for one side of an event.
type toll struct {
	n      int
	approx bool
}

// minOf is ACLED's conservative figure: the lowest exact figure, or the
// lowest approximate one when no sentence gives an exact one ("une
// vingtaine" in a headline yields to "at least 22" in the body).
func minOf(ts []toll) int {
	best, exact := -1, false
	for _, t := range ts {
		switch {
		case best < 0, !t.approx && !exact, t.approx == !exact && t.n < best:
			best, exact = t.n, !t.approx
		}
	}
	return max(best, 0)
}

func maxOf(ts []toll) int {
	m := 0
	for _, t := range ts {
		m = max(m, t.n)
	}
	return m
}

// closeInTime reports whether two accounts' dates allow one event: within
// a day, or a week when either is dated only roughly.
func closeInTime(a, b event.Event) bool {
	limit := 1.0
	if a.TimePrecision > 1 || b.TimePrecision > 1 {
		limit = 7
	}
	return math.Abs(a.Date.Sub(b.Date).Hours()/24) <= limit
}

// sameEvent: same kind, same place, dates within a day (a week when either
// is vague), and the same type (a weak trigger joins any type).
func sameEvent(g *group, c candidate) bool {
	a, b := g.ev, c.ev
	if a.Kind != b.Kind {
		return false
	}
	// different names are different places, even where the gazetteer
	// puts a village it lacks at its neighbour's point
	if a.Place.Name != b.Place.Name && (a.Place.Name != "" && b.Place.Name != "" || event.Km(a.Place, b.Place) > 2) {
		return false
	}
	if !closeInTime(a, b) {
		return false
	}
	if a.EventType == b.EventType {
		return true
	}
	if len(g.victims) == 0 && battleWith(a, b) || len(c.victims) == 0 && battleWith(b, a) {
		// an attack with no one reported killed, and the state forces
		// fighting at the same place and day: one clash (see preferBattle)
		return true
	}
	return g.class.weak || c.class.weak
}

// battleWith reports whether attack, an attack on civilians, and battle,
// a battle in which state forces fight, can be one event.
func battleWith(attack, battle event.Event) bool {
	_, ok := stateForce(attack, battle)
	return ok
}

// stateForce returns the state force fighting in battle when attack is an
// attack on civilians, or damage to property ("tankers were burned"), by
// someone else.
func stateForce(attack, battle event.Event) (event.Actor, bool) {
	looting := attack.EventType == "Strategic developments" && attack.SubEventType == "Looting/property destruction"
	if attack.EventType != "Violence against civilians" && !looting || battle.EventType != "Battles" {
		return event.Actor{}, false
	}
	force := battle.Actor2
	if force.Inter != 1 {
		force = battle.Actor1
	}
	if force.Inter != 1 || force.Name == attack.Actor1.Name {
		return event.Actor{}, false
	}
	return force, true
}

// preferBattle recodes an attack on civilians as a battle when another
// account of the same event has state forces fighting in it: ACLED codes
// an attack on a convoy that soldiers escort, or on a village its
// garrison defends, as an armed clash with those forces, whatever the
// first sentence said was hit ("an attack on a tanker convoy" and then
// "the army's escort came under fire").
//
// Only an attack in which no one is reported killed is recoded: civilians
// killed in an attack on a base are an event of their own (see
// consolidate).
func preferBattle(into *event.Event, victims []toll, other event.Event) {
	force, ok := stateForce(*into, other)
	if !ok || len(victims) > 0 {
		return
	}
	into.EventType, into.SubEventType = other.EventType, other.SubEventType
	into.Actor2 = force
	if unnamed(into.Actor1) && !unnamed(other.Actor1) && other.Actor1.Name != force.Name {
		into.Actor1 = other.Actor1
	}
}

// absorb adds a candidate's evidence and details to a group.
func absorb(g *group, c candidate) {
	preferBattle(&g.ev, g.victims, c.ev)
	g.ev.Evidence = append(g.ev.Evidence, c.ev.Evidence...)
	if g.class.weak && !c.class.weak {
		g.ev.EventType, g.ev.SubEventType, g.class = c.ev.EventType, c.ev.SubEventType, c.class
	}
	if c.ownDate && c.ev.TimePrecision < g.ev.TimePrecision {
		g.ev.Date, g.ev.TimePrecision = c.ev.Date, c.ev.TimePrecision
	}
	// a region-level account takes the town's point; "near Kaya" stays
	// near it though a later sentence names Kaya itself (the president
	// arriving in the town, the wounded taken there)
	if c.ownPlace && c.ev.Place.Precision < g.ev.Place.Precision && c.ev.Place.Name == g.ev.Place.Name &&
		g.ev.Place.Precision != event.NearPrecision {
		g.ev.Place = c.ev.Place
	}
	if completes(g.ev.Actor1, c.ev.Actor1) {
		g.ev.Actor1 = c.ev.Actor1
	}
	if g.ev.Actor2.Name == "" || unnamed(g.ev.Actor2) && !unnamed(c.ev.Actor2) && c.ev.Actor2.Name != g.ev.Actor1.Name {
		if c.ev.Actor2.Name != "" && c.ev.Actor2.Name != g.ev.Actor1.Name {
			g.ev.Actor2 = c.ev.Actor2
		}
	}
}

// completes reports whether another account's actor1 should replace an
// event's placeholder: a named group does, but not the state ("the
// president visited the site"), which does not become the attacker of
// gunmen the report could not name.
func completes(cur, other event.Actor) bool {
	if !unnamed(cur) || unnamed(other) {
		return false
	}
	return cur.Name == "" || other.Inter != 1
}

// unnamed tells whether an actor is a placeholder for an unknown group.
func unnamed(a event.Actor) bool {
	n := strings.ToLower(a.Name)
	return n == "" || strings.HasPrefix(n, "unidentified") || strings.HasPrefix(n, "islamist militants") ||
		strings.HasPrefix(n, "civilians")
}

// finish sets the fields that depend on the whole event: id, notes and
// confidence.
func finish(d *doc, e *event.Event) {
	e.ID = eventID(d.r.Doc, *e)
	e.Notes = notes(*e)
	conf := 0.35
	if e.TimePrecision == event.DayPrecision {
		conf += 0.15
	}
	if e.Place.Precision == event.PlacePrecision && e.Place.Unresolved == "" {
		conf += 0.15
	}
	if e.Actor1.Name != "" && !unnamed(e.Actor1) {
		conf += 0.1
	}
	if len(e.Evidence) > 1 {
		conf += 0.1
	}
	if e.Kind != event.Incident {
		conf -= 0.1
	}
	e.Confidence = math.Round(min(conf, 0.95)*100) / 100
}

// notes writes a one-sentence summary in ACLED's style.
func notes(e event.Event) string {
	var b strings.Builder
	if !e.Date.IsZero() {
		fmt.Fprintf(&b, "On %s, ", e.Date.Format("2 January 2006"))
	}
	who := e.Actor1.Name
	if who == "" {
		who = "unknown actors"
	}
	what := strings.ToLower(e.SubEventType)
	if what == "" {
		what = "event"
	}
	fmt.Fprintf(&b, "%s (%s)", who, what)
	if e.Actor2.Name != "" {
		fmt.Fprintf(&b, " against %s", e.Actor2.Name)
	}
	if e.Place.Name != "" {
		fmt.Fprintf(&b, " in %s", e.Place.Name)
		if e.Place.Admin1 != "" && e.Place.Admin1 != e.Place.Name {
			fmt.Fprintf(&b, " (%s, %s)", e.Place.Admin1, e.Place.Country)
		}
	}
	switch {
	case e.Fatalities == 1:
		b.WriteString("; 1 fatality.")
	case e.Fatalities > 1:
		fmt.Fprintf(&b, "; %d fatalities.", e.Fatalities)
	default:
		b.WriteString(".")
	}
	if e.Kind != event.Incident {
		fmt.Fprintf(&b, " [%s]", e.Kind)
	}
	return b.String()
}
