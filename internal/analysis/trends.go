package analysis

import (
	"math"
	"sort"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Period is a span of whole days, From to To inclusive.
type Period struct {
	Label    string
	From, To time.Time
}

// WeekPeriod is the ISO week w.
func WeekPeriod(w Week) Period { return Period{w.String(), w.Start(), w.End()} }

// MonthPeriod is one calendar month.
func MonthPeriod(year int, month time.Month) Period {
	from := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return Period{from.Format("2006-01"), from, from.AddDate(0, 1, -1)}
}

// previous returns the n periods of the same kind before p, nearest first.
func (p Period) previous(n int) []Period {
	var out []Period
	cur := p
	for i := 0; i < n; i++ {
		if cur.From.Day() == 1 && cur.To.AddDate(0, 0, 1).Day() == 1 {
			prev := cur.From.AddDate(0, -1, 0)
			cur = MonthPeriod(prev.Year(), prev.Month())
		} else {
			w := WeekOf(cur.From).Add(-1)
			cur = WeekPeriod(w)
		}
		out = append(out, cur)
	}
	return out
}

func (p Period) contains(t time.Time) bool { return !t.Before(p.From) && !t.After(p.To) }

// Dimensions a trend table can be cut by.
const (
	ByCountry = "country"
	ByRegion  = "admin1"
	ByType    = "event_type"
	ByActor   = "actor"
)

// Row is one line of a trend table: this period against the mean of the
// previous four.
type Row struct {
	Key            string  `json:"key"`
	Country        string  `json:"country,omitempty"` // for regions
	Events         int     `json:"events"`
	Fatalities     int     `json:"fatalities"`
	PrevEvents     float64 `json:"prev_events"`     // mean over the previous 4 periods
	PrevFatalities float64 `json:"prev_fatalities"` // likewise
	Change         float64 `json:"change_pct"`      // events against PrevEvents; +Inf shown as "new"
}

// ComparePeriods is how many earlier periods a Row is compared with.
const ComparePeriods = 4

// Trends counts incidents and fatalities in p by dimension, with the change
// against the mean of the previous four periods. Rows come most events first.
func Trends(evs []event.Event, p Period, by string) []Row {
	prev := p.previous(ComparePeriods)
	rows := map[string]*Row{}
	row := func(k, country string) *Row {
		r := rows[k]
		if r == nil {
			r = &Row{Key: k, Country: country}
			rows[k] = r
		}
		return r
	}
	for _, e := range incidents(evs) {
		cur := p.contains(e.Date)
		old := false
		for _, q := range prev {
			old = old || q.contains(e.Date)
		}
		if !cur && !old {
			continue
		}
		for _, k := range keysOf(e, by) {
			r := row(k, countryFor(e, by))
			if cur {
				r.Events++
				r.Fatalities += e.Fatalities
			} else {
				r.PrevEvents += 1.0 / ComparePeriods
				r.PrevFatalities += float64(e.Fatalities) / ComparePeriods
			}
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		r.Change = change(float64(r.Events), r.PrevEvents)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Events != out[j].Events {
			return out[i].Events > out[j].Events
		}
		if out[i].Fatalities != out[j].Fatalities {
			return out[i].Fatalities > out[j].Fatalities
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func change(now, before float64) float64 {
	if before == 0 {
		if now == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return 100 * (now - before) / before
}

func countryFor(e event.Event, by string) string {
	if by == ByRegion {
		return e.Place.Country
	}
	return ""
}

func keysOf(e event.Event, by string) []string {
	unknown := func(s string) string {
		if s == "" {
			return "(unknown)"
		}
		return s
	}
	switch by {
	case ByCountry:
		return []string{unknown(e.Place.Country)}
	case ByRegion:
		return []string{unknown(e.Place.Admin1)}
	case ByType:
		return []string{unknown(e.EventType)}
	case ByActor:
		var ks []string
		for _, a := range []string{e.Actor1.Name, e.Actor2.Name} {
			if a != "" && (len(ks) == 0 || ks[0] != a) {
				ks = append(ks, a)
			}
		}
		return ks
	}
	return nil
}

// Nearest is the attack nearest to a watched point in a period.
type Nearest struct {
	Point   string  `json:"point"`
	Km      float64 `json:"km"`
	Place   string  `json:"place"`
	Date    string  `json:"date"`
	EventID string  `json:"event_id"`
}

// NearestAttacks returns, for each watched point, the attack of p nearest
// to it (points with no placed attack in p are left out).
func (a *Analyzer) NearestAttacks(evs []event.Event, p Period) []Nearest {
	var out []Nearest
	inc := incidents(evs)
	for _, pt := range a.Rules.Near.Points {
		best := Nearest{Point: pt.Name, Km: math.Inf(1)}
		for _, e := range inc {
			if !p.contains(e.Date) || !a.violent(e) || !a.pointed(e) {
				continue
			}
			if d := event.KmLatLon(e.Place.Lat, e.Place.Lon, pt.Lat, pt.Lon); d < best.Km {
				best.Km, best.Place, best.Date, best.EventID = d, placeLabel(e.Place), day(e.Date), e.ID
			}
		}
		if !math.IsInf(best.Km, 1) {
			best.Km = math.Round(best.Km)
			out = append(out, best)
		}
	}
	return out
}
