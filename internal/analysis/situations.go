package analysis

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

// Situation statuses the patterns produce (the lexicon adds its own:
// blockaded, besieged, encircled, changed hands, cut).
const (
	StatusContested = "contested" // repeated attacks on a corridor
	StatusQuiet     = "quiet"     // no attack for quiet_days after being contested
	StatusStale     = "no recent reports"
)

// Situation is an ongoing condition on a route or a town, with its status
// over time.
type Situation struct {
	ID       string   `json:"id"`   // "route:rn6", "town:farabougou"
	Kind     string   `json:"kind"` // route or town
	Subject  string   `json:"subject"`
	Corridor string   `json:"corridor,omitempty"` // corridor id, for routes
	Lat      float64  `json:"latitude,omitempty"`
	Lon      float64  `json:"longitude,omitempty"`
	Status   string   `json:"status"` // as of the date asked for
	Since    string   `json:"since"`  // date of the change to Status
	History  []Change `json:"history"`
}

// Change is one step of a situation's status.
type Change struct {
	Date     string   `json:"date"`
	Status   string   `json:"status"`
	Why      string   `json:"why"`
	EventIDs []string `json:"event_ids"`
}

// Situations builds every situation from evs as of asOf (zero: no limit):
// from situation events (classified by data/situations.tsv), from changes
// of territorial control, and from repeated attacks on a corridor.
func (a *Analyzer) Situations(evs []event.Event, asOf time.Time) []Situation {
	subjects := map[string]*Situation{}
	get := func(id, kind, subject string) *Situation {
		s := subjects[id]
		if s == nil {
			s = &Situation{ID: id, Kind: kind, Subject: subject}
			subjects[id] = s
		}
		return s
	}
	watched := a.Watched()
	sorted := append([]event.Event(nil), evs...)
	sortEvents(sorted)
	for _, e := range sorted {
		if e.Date.IsZero() || !asOf.IsZero() && e.Date.After(asOf) {
			continue
		}
		switch {
		case e.Kind == event.Situation:
			a.fromMention(e, watched, get)
		case e.Kind == event.Incident && isControlChange(e.SubEventType) && e.Place.Name != "":
			s := get("town:"+slug(e.Place.Name), "town", e.Place.Name)
			s.Lat, s.Lon = e.Place.Lat, e.Place.Lon
			status := "changed hands"
			if e.Actor1.Name != "" {
				status = "taken by " + e.Actor1.Name
			}
			s.History = append(s.History, Change{Date: day(e.Date), Status: status,
				Why: fmt.Sprintf("%s on %s", what(e.SubEventType, ""), day(e.Date)), EventIDs: []string{e.ID}})
		}
	}
	if a.Rules.Route.Enabled {
		for _, c := range watched {
			ch := a.corridorPattern(c, incidents(evs), asOf)
			if len(ch) > 0 {
				s := get("route:"+c.ID, "route", c.Name)
				s.Corridor = c.ID
				s.History = append(s.History, ch...)
			}
		}
	}
	var out []Situation
	for _, s := range subjects {
		sort.SliceStable(s.History, func(i, j int) bool { return s.History[i].Date < s.History[j].Date })
		a.settle(s, asOf)
		if s.Status != "" {
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// settle sets Status and Since as of asOf, marking a town or lexicon
// status stale when no report has renewed it for stale_days.
func (a *Analyzer) settle(s *Situation, asOf time.Time) {
	for _, c := range s.History {
		if asOf.IsZero() || c.Date <= day(asOf) {
			if c.Status != s.Status {
				s.Since = c.Date
			}
			s.Status = c.Status
		}
	}
	if s.Status == "" || s.Status == StatusQuiet || s.Status == StatusContested || asOf.IsZero() {
		return
	}
	last := s.History[0].Date
	for _, c := range s.History {
		if c.Date <= day(asOf) {
			last = c.Date
		}
	}
	t, _ := time.Parse("2006-01-02", last)
	if stale := t.AddDate(0, 0, a.Rules.Situations.StaleDays); !stale.After(asOf) {
		s.History = append(s.History, Change{Date: day(stale), Status: StatusStale,
			Why: fmt.Sprintf("no report for %d days after %s", a.Rules.Situations.StaleDays, last)})
		s.Status, s.Since = StatusStale, day(stale)
	}
}

func isControlChange(sub string) bool {
	s := strings.ToLower(sub)
	return strings.Contains(s, "overtake") || strings.Contains(s, "regains territory")
}

// fromMention adds the changes a situation event reports.
func (a *Analyzer) fromMention(e event.Event, watched []Corridor, get func(id, kind, subject string) *Situation) {
	text := eventText(e)
	kinds := a.lex.classify(text)
	if len(kinds) == 0 && isControlChange(e.SubEventType) {
		kinds = []term{{kind: "control", status: "changed hands"}}
	}
	if len(kinds) == 0 {
		return
	}
	var s *Situation
	if c, ok := a.routeNamed(text, watched); ok {
		s = get("route:"+c.ID, "route", c.Name)
		s.Corridor = c.ID
	} else if e.Place.Name != "" {
		s = get("town:"+slug(e.Place.Name), "town", e.Place.Name)
		s.Lat, s.Lon = e.Place.Lat, e.Place.Lon
	} else {
		return
	}
	hedged := len(a.lex.match(text, "hedge")) > 0
	for _, k := range kinds {
		status := k.status
		if hedged {
			status = "threatened (" + status + ")"
		}
		s.History = append(s.History, Change{Date: day(e.Date), Status: status,
			Why: fmt.Sprintf("reported as %s (%q)%s", k.kind, k.text, sourceNote(e)), EventIDs: []string{e.ID}})
	}
}

// routeNamed finds the corridor a situation text is about: one whose road
// number it names, or two of whose towns it names next to a road word.
func (a *Analyzer) routeNamed(folded string, watched []Corridor) (Corridor, bool) {
	road := len(a.lex.match(folded, "road")) > 0
	for _, c := range watched {
		if c.Route != "" {
			num := strings.TrimPrefix(strings.ToLower(c.Route), "rn")
			for _, form := range []string{"rn" + num, "rn " + num, "rn-" + num, "n" + num} {
				if hasWord(folded, form) {
					return c, true
				}
			}
		}
		if !road {
			continue
		}
		n := 0
		for _, t := range c.Towns {
			if hasWord(folded, strings.ToLower(nlp.Fold(t))) {
				n++
			}
		}
		if n >= 2 {
			return c, true
		}
	}
	return Corridor{}, false
}

// hasWord reports whether w occurs in s as a whole word.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

// eventText is the folded text an event was read from: notes and evidence.
func eventText(e event.Event) string {
	var b strings.Builder
	b.WriteString(e.Notes)
	for _, ev := range e.Evidence {
		b.WriteString(" \n ")
		b.WriteString(ev.Text)
	}
	return strings.ToLower(nlp.Fold(b.String()))
}

func sourceNote(e event.Event) string {
	if n := e.SourceCount(); n > 1 {
		return fmt.Sprintf(", %d sources", n)
	}
	return ""
}

// corridorPattern turns the attacks on one corridor into status changes:
// contested once contested_attacks fall within contested_days, quiet after
// quiet_days without one.
func (a *Analyzer) corridorPattern(c Corridor, inc []event.Event, asOf time.Time) []Change {
	r := a.Rules.Route
	var on []event.Event
	for _, e := range inc {
		if (asOf.IsZero() || !e.Date.After(asOf)) && a.onRoute(c, e) {
			on = append(on, e)
		}
	}
	var out []Change
	contested := false
	for i, e := range on {
		if contested && i > 0 && e.Date.After(on[i-1].Date.AddDate(0, 0, r.QuietDays)) {
			out = append(out, quietChange(on[i-1], r.QuietDays))
			contested = false
		}
		if contested {
			continue
		}
		var window []event.Event
		for _, p := range on[:i+1] {
			if e.Date.Sub(p.Date) < time.Duration(r.ContestedDays)*24*time.Hour {
				window = append(window, p)
			}
		}
		if len(window) < r.ContestedAttacks {
			continue
		}
		convoys := 0
		ch := Change{Date: day(e.Date), Status: StatusContested}
		for _, p := range window {
			ch.EventIDs = append(ch.EventIDs, p.ID)
			if len(a.lex.match(eventText(p), "convoy")) > 0 {
				convoys++
			}
		}
		ch.Why = fmt.Sprintf("%d attacks within %d days of the road line (%d on convoys), from %s to %s",
			len(window), r.ContestedDays, convoys, day(window[0].Date), day(e.Date))
		out = append(out, ch)
		contested = true
	}
	if contested && len(on) > 0 {
		last := on[len(on)-1]
		if q := last.Date.AddDate(0, 0, r.QuietDays); !asOf.IsZero() && !q.After(asOf) {
			out = append(out, quietChange(last, r.QuietDays))
		}
	}
	return out
}

func quietChange(last event.Event, days int) Change {
	return Change{Date: day(last.Date.AddDate(0, 0, days)), Status: StatusQuiet,
		Why: fmt.Sprintf("no attack reported for %d days after %s", days, day(last.Date))}
}
