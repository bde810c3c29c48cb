package analysis

import (
	"sort"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Brief is the weekly brief: what an analyst sends on Monday.
type Brief struct {
	Week       string        `json:"week"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Headline   Headline      `json:"headline"`
	Regions    []Row         `json:"regions"`
	Serious    []event.Event `json:"serious"`
	NewAreas   []Alert       `json:"new_areas"`
	Routes     []RouteStatus `json:"routes"`
	Situations []Situation   `json:"situations"`
	Alerts     []Alert       `json:"alerts"`
	Nearest    []Nearest     `json:"nearest"`
	Series     []WeekCount   `json:"series"` // the weeks up to this one, for the chart

	events    []event.Event // the week's incidents, for the map
	corridors []mapCorridor
	points    []Point
}

// mapCorridor is a corridor line with its status, for the map.
type mapCorridor struct {
	Name, Status string
	Line         [][2]float64
}

// Headline is the week's totals against the mean of the previous four weeks.
type Headline struct {
	Incidents      int     `json:"incidents"`
	Fatalities     int     `json:"fatalities"`
	PrevIncidents  float64 `json:"prev_incidents"`
	PrevFatalities float64 `json:"prev_fatalities"`
	Regions        int     `json:"regions"` // regions with at least one incident
}

// WeekCount is one bar of the chart.
type WeekCount struct {
	Week       string `json:"week"`
	Incidents  int    `json:"incidents"`
	Fatalities int    `json:"fatalities"`
}

// RouteStatus is one watched corridor in the brief.
type RouteStatus struct {
	Corridor string `json:"corridor"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Since    string `json:"since,omitempty"`
	Attacks  int    `json:"attacks"` // attacks within max_km this week
}

// Brief sizes.
const (
	seriousMax  = 8
	seriesWeeks = 12
)

// StatusNone is a corridor's status when nothing has been reported on it.
const StatusNone = "no attacks reported"

// Brief builds the brief for week w from evs (events after the week are
// ignored, so a brief for a past week reads as it would have then).
func (a *Analyzer) Brief(evs []event.Event, w Week) Brief {
	end := w.End()
	var upto []event.Event
	for _, e := range evs {
		if !e.Date.IsZero() && !e.Date.After(end) {
			upto = append(upto, e)
		}
	}
	p := WeekPeriod(w)
	b := Brief{Week: w.String(), From: day(w.Start()), To: day(end)}
	b.Regions = Trends(upto, p, ByRegion)
	for _, r := range b.Regions {
		b.Headline.Incidents += r.Events
		b.Headline.Fatalities += r.Fatalities
		b.Headline.PrevIncidents += r.PrevEvents
		b.Headline.PrevFatalities += r.PrevFatalities
		if r.Events > 0 {
			b.Headline.Regions++
		}
	}
	// Regions quiet this week but active before stay in the table (their fall is news).
	for _, e := range incidents(upto) {
		if w.Contains(e.Date) {
			b.events = append(b.events, e)
		}
	}
	b.Serious = a.serious(b.events)
	for i := seriesWeeks - 1; i >= 0; i-- {
		wk := w.Add(-i)
		wc := WeekCount{Week: wk.String()}
		for _, e := range incidents(upto) {
			if wk.Contains(e.Date) {
				wc.Incidents++
				wc.Fatalities += e.Fatalities
			}
		}
		b.Series = append(b.Series, wc)
	}
	b.Alerts = AlertsIn(a.Alerts(upto), w.Start(), end)
	for _, al := range b.Alerts {
		if al.Rule == RuleNewArea {
			b.NewAreas = append(b.NewAreas, al)
		}
	}
	sits := a.Situations(upto, end)
	byCorridor := map[string]Situation{}
	for _, s := range sits {
		if s.Kind == "route" {
			byCorridor[s.Corridor] = s
		} else if s.Status != StatusStale || s.Since >= b.From {
			b.Situations = append(b.Situations, s)
		}
	}
	for _, c := range a.Watched() {
		rs := RouteStatus{Corridor: c.ID, Name: c.Name, Status: StatusNone}
		if s, ok := byCorridor[c.ID]; ok {
			rs.Status, rs.Since = s.Status, s.Since
		}
		for _, e := range b.events {
			if a.onRoute(c, e) {
				rs.Attacks++
			}
		}
		b.Routes = append(b.Routes, rs)
		b.corridors = append(b.corridors, mapCorridor{Name: c.Name, Status: rs.Status, Line: c.Line})
	}
	b.Nearest = a.NearestAttacks(upto, p)
	b.points = a.Rules.Near.Points
	return b
}

// serious orders the week's incidents by how much an analyst needs to read
// them: deaths, then violence, then how many sources confirm them.
func (a *Analyzer) serious(evs []event.Event) []event.Event {
	s := append([]event.Event(nil), evs...)
	sort.SliceStable(s, func(i, j int) bool {
		x, y := s[i], s[j]
		if x.Fatalities != y.Fatalities {
			return x.Fatalities > y.Fatalities
		}
		if vx, vy := a.violent(x), a.violent(y); vx != vy {
			return vx
		}
		if x.SourceCount() != y.SourceCount() {
			return x.SourceCount() > y.SourceCount()
		}
		if !x.Date.Equal(y.Date) {
			return x.Date.Before(y.Date)
		}
		return x.ID < y.ID
	})
	if len(s) > seriousMax {
		s = s[:seriousMax]
	}
	return s
}

// actors names an event's sides for a table cell.
func actors(e event.Event) string {
	switch {
	case e.Actor1.Name != "" && e.Actor2.Name != "":
		return e.Actor1.Name + " vs " + e.Actor2.Name
	case e.Actor1.Name != "":
		return e.Actor1.Name
	}
	return e.Actor2.Name
}

// sourceLabel names one source: its outlet, else the host of its URL, else its doc.
func sourceLabel(s event.Source) string {
	if s.Outlet != "" {
		return s.Outlet
	}
	if u := s.URL; u != "" {
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		if i := strings.IndexByte(u, '/'); i > 0 {
			u = u[:i]
		}
		return strings.TrimPrefix(u, "www.")
	}
	return s.Doc
}
