package server

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Stats are computed by paging through store.Events, reading at most
// maxExport events; beyond that the answer says truncated. That is fine for
// a regional dashboard; a store-side aggregate query can replace it later.

// bucket is one group of a breakdown.
type bucket struct {
	Key        string `json:"key"`
	Start      string `json:"start,omitempty"` // the ISO week's Monday, for by_week
	Count      int    `json:"count"`
	Fatalities int    `json:"fatalities"`
}

// statsBody is the body of GET /api/v1/stats.
type statsBody struct {
	Count       int      `json:"count"`
	Fatalities  int      `json:"fatalities"`
	Truncated   bool     `json:"truncated"` // more than the scan limit matched
	ByWeek      []bucket `json:"by_week"`   // ISO weeks, oldest first, gaps filled with zeros
	ByAdmin1    []bucket `json:"by_admin1"` // the rest largest first
	ByEventType []bucket `json:"by_event_type"`
	ByActor1    []bucket `json:"by_actor1"`
}

// maxWeeks bounds the zero-filled timeline (about 20 years).
const maxWeeks = 1100

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Del("limit")
	q.Del("cursor")
	f, perr := parseFilter(q)
	if perr != nil {
		badParam(w, perr)
		return
	}
	f.Limit = maxExport + 1 // one more than we keep, to detect truncation
	var body statsBody
	weeks := map[string]*bucket{}
	admin1 := map[string]*bucket{}
	types := map[string]*bucket{}
	actors := map[string]*bucket{}
	add := func(m map[string]*bucket, key string, fat int) {
		if key == "" {
			key = "(unknown)"
		}
		b := m[key]
		if b == nil {
			b = &bucket{Key: key}
			m[key] = b
		}
		b.Count++
		b.Fatalities += fat
	}
	_, err := s.eachEvent(r, f, func(evs []event.Event) error {
		for _, e := range evs {
			if body.Count == maxExport {
				body.Truncated = true
				return nil
			}
			body.Count++
			body.Fatalities += e.Fatalities
			if !e.Date.IsZero() {
				add(weeks, isoWeek(e.Date), e.Fatalities)
			}
			add(admin1, e.Place.Admin1, e.Fatalities)
			add(types, e.EventType, e.Fatalities)
			add(actors, e.Actor1.Name, e.Fatalities)
		}
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	body.ByWeek = weekSeries(weeks)
	body.ByAdmin1 = ranked(admin1)
	body.ByEventType = ranked(types)
	body.ByActor1 = ranked(actors)
	writeJSON(w, http.StatusOK, body)
}

func isoWeek(t time.Time) string {
	y, wk := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, wk)
}

// weekMonday is the Monday starting t's ISO week.
func weekMonday(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// weekSeries orders weeks and fills gaps with zeros so a chart's x axis is
// continuous; a span longer than maxWeeks keeps only the weeks present.
func weekSeries(m map[string]*bucket) []bucket {
	out := make([]bucket, 0, len(m))
	if len(m) == 0 {
		return out
	}
	var first, last time.Time
	for k := range m {
		t, ok := parseISOWeek(k)
		if !ok {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if !first.IsZero() && last.Sub(first) <= maxWeeks*7*24*time.Hour {
		for t := first; !t.After(last); t = t.AddDate(0, 0, 7) {
			k := isoWeek(t)
			b := bucket{Key: k, Start: t.Format("2006-01-02")}
			if x := m[k]; x != nil {
				b.Count, b.Fatalities = x.Count, x.Fatalities
			}
			out = append(out, b)
		}
		return out
	}
	for _, b := range m {
		if t, ok := parseISOWeek(b.Key); ok {
			b.Start = t.Format("2006-01-02")
		}
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b bucket) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// parseISOWeek returns the Monday of "2024-W05".
func parseISOWeek(k string) (time.Time, bool) {
	var y, wk int
	if _, err := fmt.Sscanf(k, "%04d-W%02d", &y, &wk); err != nil {
		return time.Time{}, false
	}
	// January 4th is always in week 1.
	return weekMonday(time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)).AddDate(0, 0, 7*(wk-1)), true
}

// ranked orders buckets by count, then fatalities, then key, largest first.
func ranked(m map[string]*bucket) []bucket {
	out := make([]bucket, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b bucket) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Fatalities, a.Fatalities); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}
