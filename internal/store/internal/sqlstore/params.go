package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// Params collects a query's parameters and names each in the dialect's
// style: "?" (SQLite), or "$1", "$2", ... when Dollar is set (PostgreSQL).
type Params struct {
	Dollar bool
	Args   []any
}

// Add appends v and returns its placeholder.
func (p *Params) Add(v any) string {
	p.Args = append(p.Args, v)
	if p.Dollar {
		return "$" + strconv.Itoa(len(p.Args))
	}
	return "?"
}

// MaxWindow caps Merger.Window so a bad merger cannot lock or scan the
// whole table.
const MaxWindow = 3660

// Window is m's merge window for e in days, within 0 and MaxWindow; 0
// without a merger.
func Window(e event.Event, m store.Merger) int {
	if m == nil {
		return 0
	}
	return min(max(m.Window(e), 0), MaxWindow)
}

// CandidateQuery is the query for the stored events m may merge e into:
// those of kind dated from..to (the backend's values for e's kind and the
// ends of its window) and, for an AreaMerger, near e or without a point.
// A ScopedMerger's Scope widens the kinds, holds dated events to a
// narrower window (date is the backend's value of a date) and admits
// region-level events of e's admin1 at any distance.
func CandidateQuery(e event.Event, m store.Merger, p *Params, kind, from, to any, date func(time.Time) any) string {
	var sc store.Scope
	if sm, ok := m.(store.ScopedMerger); ok {
		sc = sm.Scope(e)
	}
	var kinds string
	if len(sc.Kinds) == 0 {
		kinds = `kind = ` + p.Add(kind)
	} else {
		ph := make([]string, len(sc.Kinds))
		for i, k := range sc.Kinds {
			ph[i] = p.Add(string(k))
		}
		kinds = `kind IN (` + strings.Join(ph, ", ") + `)`
	}
	q := `SELECT ` + EventCols + ` FROM events WHERE ` + kinds +
		` AND event_date BETWEEN ` + p.Add(from) + ` AND ` + p.Add(to)
	if sc.DatedDays > 0 {
		q += ` AND (time_precision >= ` + p.Add(event.MonthPrecision) + ` OR event_date BETWEEN ` +
			p.Add(date(e.Date.AddDate(0, 0, -sc.DatedDays))) + ` AND ` + p.Add(date(e.Date.AddDate(0, 0, sc.DatedDays))) + `)`
	}
	if am, ok := m.(store.AreaMerger); ok && e.Place.Known() {
		// only events near enough to merge, and those with no point
		minLat, maxLat, minLon, maxLon := store.BBox(e.Place.Lat, e.Place.Lon, am.RadiusKm(e))
		q += ` AND (latitude BETWEEN ` + p.Add(minLat) + ` AND ` + p.Add(maxLat) +
			` AND longitude BETWEEN ` + p.Add(minLon) + ` AND ` + p.Add(maxLon) + ` OR latitude = 0 AND longitude = 0`
		if sc.Admin1 != "" {
			q += ` OR admin1 = ` + p.Add(sc.Admin1)
			if e.Place.Precision < event.RegionPrecision {
				q += ` AND geo_precision >= ` + p.Add(event.RegionPrecision)
			}
		}
		q += `)`
	}
	return q + ` ORDER BY event_date, id`
}

// Page cuts evs, read with a limit of one row more than limit, to the
// page, and returns the cursor of the next page ("" on the last). date
// formats the cursor's date as the backend compares it. The page is never
// nil, so it marshals as [].
func Page(evs []event.Event, limit int, sort string, date func(event.Event) string) ([]event.Event, string) {
	var next string
	if len(evs) > limit {
		evs = evs[:limit]
		last := evs[limit-1]
		next = EncodeCursor(Cursor{Sort: sort, Date: date(last), Fatal: last.Fatalities, ID: last.ID})
	}
	if evs == nil {
		evs = []event.Event{}
	}
	return evs, next
}
