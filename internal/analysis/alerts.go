package analysis

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Rule names, as they appear in alerts and rules files.
const (
	RuleSpike        = "spike"
	RuleNewArea      = "new_area"
	RuleNear         = "near"
	RuleRoute        = "route"
	RuleMassCasualty = "mass_casualty"
)

// Alert is one rule firing on one cause. Key names the cause (rule, place
// and the triggering event or week), so re-evaluating the same events
// raises the same alert, never a second one.
type Alert struct {
	Key      string   `json:"key"`
	Rule     string   `json:"rule"`
	Date     string   `json:"date"` // YYYY-MM-DD of the triggering event (the week's Sunday for spikes)
	Week     string   `json:"week"` // ISO week of Date
	Title    string   `json:"title"`
	Why      string   `json:"why"`
	Country  string   `json:"country,omitempty"`
	Admin1   string   `json:"admin1,omitempty"`
	Place    string   `json:"place,omitempty"`
	Lat      float64  `json:"latitude,omitempty"`
	Lon      float64  `json:"longitude,omitempty"`
	EventIDs []string `json:"event_ids"`
}

// Analyzer holds the rules and corridors every computation uses. It is
// safe for concurrent use once built.
type Analyzer struct {
	Rules     Rules
	Corridors []Corridor // every embedded corridor; Watched filters by the rules
	lex       *lexicon
}

// New returns an Analyzer over the embedded corridors.
func New(r Rules) (*Analyzer, error) {
	cs, err := Corridors()
	if err != nil {
		return nil, err
	}
	lex, err := loadLexicon()
	if err != nil {
		return nil, err
	}
	return &Analyzer{Rules: r, Corridors: cs, lex: lex}, nil
}

// Watched returns the corridors the route rule watches.
func (a *Analyzer) Watched() []Corridor {
	if slices.Contains(a.Rules.Route.Corridors, "*") || len(a.Rules.Route.Corridors) == 0 {
		return a.Corridors
	}
	var out []Corridor
	for _, c := range a.Corridors {
		for _, id := range a.Rules.Route.Corridors {
			if strings.EqualFold(id, c.ID) || strings.EqualFold(id, c.Route) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// incidents returns the dated incidents of evs, oldest first (ties by ID,
// so every output is deterministic).
func incidents(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if e.Kind == event.Incident && !e.Date.IsZero() {
			out = append(out, e)
		}
	}
	sortEvents(out)
	return out
}

func sortEvents(evs []event.Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		if !evs[i].Date.Equal(evs[j].Date) {
			return evs[i].Date.Before(evs[j].Date)
		}
		return evs[i].ID < evs[j].ID
	})
}

func (a *Analyzer) violent(e event.Event) bool {
	return slices.ContainsFunc(a.Rules.ViolentTypes, func(t string) bool { return strings.EqualFold(t, e.EventType) })
}

// pointed reports whether the event's place is precise enough for the
// rules that measure distances or name a cercle.
func (a *Analyzer) pointed(e event.Event) bool {
	return e.Place.Known() && e.Place.Precision > 0 && e.Place.Precision <= a.Rules.MaxGeoPrecision
}

// Alerts evaluates every enabled rule over evs and returns the alerts,
// oldest first. Each cause is raised once.
func (a *Analyzer) Alerts(evs []event.Event) []Alert {
	inc := incidents(evs)
	var out []Alert
	if a.Rules.Spike.Enabled {
		out = append(out, a.spikes(inc)...)
	}
	if a.Rules.NewArea.Enabled {
		out = append(out, a.newAreas(inc)...)
	}
	for _, e := range inc {
		out = append(out, a.eventAlerts(e)...)
	}
	seen := map[string]bool{}
	uniq := out[:0]
	for _, al := range out {
		if !seen[al.Key] {
			seen[al.Key] = true
			uniq = append(uniq, al)
		}
	}
	sort.SliceStable(uniq, func(i, j int) bool {
		if uniq[i].Date != uniq[j].Date {
			return uniq[i].Date < uniq[j].Date
		}
		return uniq[i].Key < uniq[j].Key
	})
	return uniq
}

// AlertsIn returns the alerts whose date falls between from and to inclusive.
func AlertsIn(all []Alert, from, to time.Time) []Alert {
	var out []Alert
	f, t := day(from), day(to)
	for _, al := range all {
		if (from.IsZero() || al.Date >= f) && (to.IsZero() || al.Date <= t) {
			out = append(out, al)
		}
	}
	return out
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func newAlert(rule, key string, e event.Event) Alert {
	return Alert{Key: rule + ":" + key, Rule: rule, Date: day(e.Date), Week: WeekOf(e.Date).String(),
		Country: e.Place.Country, Admin1: e.Place.Admin1, Place: e.Place.Name,
		Lat: e.Place.Lat, Lon: e.Place.Lon, EventIDs: []string{e.ID}}
}

// eventAlerts are the rules one event fires on its own.
func (a *Analyzer) eventAlerts(e event.Event) []Alert {
	var out []Alert
	r := a.Rules
	if r.MassCasualty.Enabled && e.Fatalities >= r.MassCasualty.MinDeaths {
		al := newAlert(RuleMassCasualty, e.ID, e)
		al.Title = fmt.Sprintf("%d killed in %s", e.Fatalities, placeLabel(e.Place))
		al.Why = fmt.Sprintf("%s on %s reported with %d fatalities, at or above the mass-casualty threshold of %d",
			what(e.SubEventType, e.EventType), day(e.Date), e.Fatalities, r.MassCasualty.MinDeaths)
		out = append(out, al)
	}
	if !a.violent(e) || !a.pointed(e) {
		return out
	}
	if r.Near.Enabled {
		for _, p := range r.Near.Points {
			d := event.KmLatLon(e.Place.Lat, e.Place.Lon, p.Lat, p.Lon)
			if d > p.RadiusKm {
				continue
			}
			al := newAlert(RuleNear, slug(p.Name)+":"+e.ID, e)
			al.Title = fmt.Sprintf("Attack %s from %s: %s", kmLabel(d), p.Name, placeLabel(e.Place))
			al.Why = fmt.Sprintf("%s on %s at %s, %s from the watched point %s (radius %g km)",
				what(e.SubEventType, e.EventType), day(e.Date), e.Place.Name, kmLabel(d), p.Name, p.RadiusKm)
			out = append(out, al)
		}
	}
	if r.Route.Enabled {
		for _, c := range a.Watched() {
			if !a.onRoute(c, e) {
				continue
			}
			d := c.Km(e.Place.Lat, e.Place.Lon)
			al := newAlert(RuleRoute, c.ID+":"+e.ID, e)
			al.Title = fmt.Sprintf("Attack on the %s corridor at %s", c.Name, e.Place.Name)
			al.Why = fmt.Sprintf("%s on %s at %s, %s from the %s road line (watched within %g km)",
				what(e.SubEventType, e.EventType), day(e.Date), e.Place.Name, kmLabel(d), c.Name, r.Route.MaxKm)
			out = append(out, al)
		}
	}
	return out
}

// townKm is how close to a corridor's town an event must be to count as
// in the town rather than on the road.
const townKm = 3

// onRoute reports whether an attack was on corridor c: within max_km of
// its line, and either between towns or, in a town the road runs through,
// told with road or convoy words (an attack in Bamako is not by itself an
// attack on every road out of Bamako).
func (a *Analyzer) onRoute(c Corridor, e event.Event) bool {
	if !a.violent(e) || !a.pointed(e) || c.Km(e.Place.Lat, e.Place.Lon) > a.Rules.Route.MaxKm {
		return false
	}
	for _, v := range c.Line {
		if event.KmLatLon(e.Place.Lat, e.Place.Lon, v[1], v[0]) <= townKm {
			t := eventText(e)
			return len(a.lex.match(t, "road")) > 0 || len(a.lex.match(t, "convoy")) > 0
		}
	}
	return true
}

// newAreas raises the first attack of a type in a cercle after months
// without one. Only events at least months after the first event of the
// store count, since before that every cercle would look new.
func (a *Analyzer) newAreas(inc []event.Event) []Alert {
	if len(inc) == 0 {
		return nil
	}
	start := inc[0].Date
	last := map[string]time.Time{}
	var out []Alert
	months := a.Rules.NewArea.Months
	for _, e := range inc {
		if !a.violent(e) || !a.pointed(e) || e.Place.Admin2 == "" {
			continue
		}
		k := e.Place.Country + "/" + e.Place.Admin1 + "/" + e.Place.Admin2 + "/" + e.EventType
		prev, seen := last[k]
		last[k] = e.Date
		if e.Date.Before(start.AddDate(0, months, 0)) {
			continue
		}
		if seen && e.Date.Before(prev.AddDate(0, months, 0)) {
			continue
		}
		al := newAlert(RuleNewArea, slug(k)+":"+e.ID, e)
		al.Title = fmt.Sprintf("%s in %s cercle, the first there in %d months", e.EventType, e.Place.Admin2, months)
		since := fmt.Sprintf("none since the store's records begin (%s)", day(start))
		if seen {
			since = "the previous was on " + day(prev)
		}
		al.Why = fmt.Sprintf("%s on %s at %s (%s, %s): no %s in this cercle for %d months; %s",
			what(e.SubEventType, e.EventType), day(e.Date), e.Place.Name, e.Place.Admin2, e.Place.Admin1,
			strings.ToLower(e.EventType), months, since)
		out = append(out, al)
	}
	return out
}

// spikes compares each region's weekly incident count with its baseline.
func (a *Analyzer) spikes(inc []event.Event) []Alert {
	s := a.Rules.Spike
	type region struct {
		country, admin1 string
		weeks           map[Week][]event.Event
	}
	regions := map[string]*region{}
	var first, lastW Week
	have := false
	for _, e := range inc {
		if e.TimePrecision > event.WeekPrecision || e.Place.Admin1 == "" {
			continue
		}
		w := WeekOf(e.Date)
		if !have || weeksBetween(w, first) > 0 {
			first = w
		}
		if !have || weeksBetween(lastW, w) > 0 {
			lastW = w
		}
		have = true
		k := e.Place.Country + "/" + e.Place.Admin1
		rg := regions[k]
		if rg == nil {
			rg = &region{country: e.Place.Country, admin1: e.Place.Admin1, weeks: map[Week][]event.Event{}}
			regions[k] = rg
		}
		rg.weeks[w] = append(rg.weeks[w], e)
	}
	var out []Alert
	keys := make([]string, 0, len(regions))
	for k := range regions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rg := regions[k]
		for w, evs := range rg.weeks {
			n := len(evs)
			hist := weeksBetween(first, w)
			if n < s.MinCount || hist < s.MinHistoryWeeks {
				continue
			}
			var fired bool
			var why string
			switch s.Method {
			case "ewma":
				m, sd := ewma(rg.weeks, first, w, s.EWMAAlpha)
				limit := m + s.EWMAK*sd
				fired = float64(n) > limit
				why = fmt.Sprintf("%d incidents in %s in %s, above the smoothed weekly mean %.1f + %g × %.1f (EWMA, alpha %g)",
					n, rg.admin1, w, m, s.EWMAK, sd, s.EWMAAlpha)
			default:
				bw := min(s.BaselineWeeks, hist)
				total := 0
				for i := 1; i <= bw; i++ {
					total += len(rg.weeks[w.Add(-i)])
				}
				lambda := math.Max(float64(total)/float64(bw), minRate)
				p := poissonTail(n, lambda)
				fired = p < s.PValue
				why = fmt.Sprintf("%d incidents in %s in %s against a baseline of %.1f a week over the previous %d weeks (Poisson p = %.2g < %g)",
					n, rg.admin1, w, float64(total)/float64(bw), bw, p, s.PValue)
			}
			if !fired {
				continue
			}
			sortEvents(evs)
			al := Alert{Key: RuleSpike + ":" + slug(k) + ":" + w.String(), Rule: RuleSpike, Date: day(w.End()), Week: w.String(),
				Title: fmt.Sprintf("Spike in %s: %d incidents in %s", rg.admin1, n, w), Why: why,
				Country: rg.country, Admin1: rg.admin1}
			for _, e := range evs {
				al.EventIDs = append(al.EventIDs, e.ID)
			}
			out = append(out, al)
		}
	}
	return out
}

// minRate floors a baseline so one event in a quiet region is not a spike.
const minRate = 0.25

// poissonTail is P(X >= k) for X ~ Poisson(lambda).
func poissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	// 1 - P(X <= k-1), summed in log space for large lambda.
	term, cdf := math.Exp(-lambda), 0.0
	for i := 0; i < k; i++ {
		if i > 0 {
			term *= lambda / float64(i)
		}
		cdf += term
	}
	return math.Max(0, 1-cdf)
}

// ewma returns the exponentially weighted mean and standard deviation of
// the weekly counts before w, with a floor on the deviation so a region
// that was perfectly steady does not alarm on one extra event.
func ewma(weeks map[Week][]event.Event, first, w Week, alpha float64) (mean, sd float64) {
	n := weeksBetween(first, w)
	init := false
	var v float64
	for i := 0; i < n; i++ {
		x := float64(len(weeks[first.Add(i)]))
		if !init {
			mean, init = x, true
			continue
		}
		d := x - mean
		mean += alpha * d
		v = (1 - alpha) * (v + alpha*d*d)
	}
	return mean, math.Max(math.Sqrt(v), math.Sqrt(math.Max(mean, minRate)))
}

func placeLabel(p event.Place) string {
	switch {
	case p.Name == "":
		return p.Country
	case p.Admin1 != "" && p.Admin1 != p.Name:
		return p.Name + " (" + p.Admin1 + ")"
	}
	return p.Name
}

func kmLabel(d float64) string {
	if d < 1 {
		return "under 1 km"
	}
	return fmt.Sprintf("%.0f km", d)
}

// what names an event by its sub-event type, else its type, in lower case.
func what(sub, typ string) string {
	s := sub
	if s == "" {
		s = typ
	}
	if s == "" {
		return "An event"
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}
