package server

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

const (
	maxPageLimit = 1000   // largest page /api/v1/events returns
	maxExport    = 100000 // most events one export or stats request reads
	exportPage   = 1000   // page size exports read the store with
	maxParamLen  = 200    // longest text filter accepted
)

// parseFilter reads the event filters shared by the list, export and stats
// endpoints. Every error names the parameter.
func parseFilter(q url.Values) (store.Filter, *paramError) {
	var f store.Filter
	for _, name := range []string{"type", "actor", "country", "admin1", "q", "cursor"} {
		v := q.Get(name)
		if len(v) > maxParamLen && name != "cursor" || len(v) > 4*maxParamLen {
			return f, &paramError{name, "too long"}
		}
		if !utf8.ValidString(v) {
			return f, &paramError{name, "not valid UTF-8"}
		}
	}
	f.EventType = strings.TrimSpace(q.Get("type"))
	f.Actor = strings.TrimSpace(q.Get("actor"))
	f.Country = strings.TrimSpace(q.Get("country"))
	f.Admin1 = strings.TrimSpace(q.Get("admin1"))
	f.Query = strings.TrimSpace(q.Get("q"))
	f.Cursor = q.Get("cursor")

	var err *paramError
	if f.From, err = parseDate(q, "from"); err != nil {
		return f, err
	}
	if f.To, err = parseDate(q, "to"); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, &paramError{"to", "before from"}
	}
	switch k := event.Kind(q.Get("kind")); k {
	case "", event.Incident, event.Aggregate, event.Situation, event.Background:
		f.Kind = k
	default:
		return f, &paramError{"kind", "want incident, aggregate, situation or background"}
	}
	if v := q.Get("min_fatalities"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 0 {
			return f, &paramError{"min_fatalities", "want a non-negative integer"}
		}
		f.MinFatalities = n
	}
	switch v := q.Get("sort"); v {
	case "", "date", "-date", "fatalities":
		f.Sort = v
	default:
		return f, &paramError{"sort", "want date, -date or fatalities"}
	}
	if v := q.Get("limit"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 || n > maxPageLimit {
			return f, &paramError{"limit", "want an integer from 1 to " + strconv.Itoa(maxPageLimit)}
		}
		f.Limit = n
	}
	if v := q.Get("bbox"); v != "" {
		b, e := parseBBox(v)
		if e != nil {
			return f, e
		}
		f.BBox = b
	}
	return f, nil
}

func parseDate(q url.Values, name string) (time.Time, *paramError) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, &paramError{name, "want a date as YYYY-MM-DD"}
	}
	return t, nil
}

func parseBBox(v string) (*[4]float64, *paramError) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, &paramError{"bbox", "want minLon,minLat,maxLon,maxLat"}
	}
	var b [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &paramError{"bbox", "want four numbers"}
		}
		b[i] = f
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] > b[2] || b[1] > b[3] {
		return nil, &paramError{"bbox", "want minLon,minLat,maxLon,maxLat within -180..180, -90..90"}
	}
	return &b, nil
}

// eventPage is the body of GET /api/v1/events.
type eventPage struct {
	Events     []map[string]any `json:"events"`
	NextCursor string           `json:"next_cursor"`
	// Count is the number of events matching, across pages, counted up
	// to countCap unless the client asks for count=exact; CountExact
	// says whether it is the whole number or a lower bound. With
	// count=none neither is computed and Count is -1.
	Count      int  `json:"count"`
	CountExact bool `json:"count_exact"`
}

// countCap bounds the count a list page computes by default. Counting
// every match of a wide filter (a common word, a large box) reads every
// matching row and cost more than the page itself; like search engines,
// the page says "at least 2,000" and count=exact asks for the full figure
// (GET /api/v1/stats gives totals by week, region, type and actor). The
// SQLite store learns whether a filter has more than 2,000 matches while
// choosing the page, so the capped count costs nothing more there.
const countCap = 2000

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	f, perr := parseFilter(r.URL.Query())
	if perr != nil {
		badParam(w, perr)
		return
	}
	mode := r.URL.Query().Get("count")
	switch mode {
	case "", "capped", "exact", "none":
	default:
		badParam(w, &paramError{"count", "want capped, exact or none"})
		return
	}
	cf := f // the count's filter
	if mode != "exact" {
		cf.CountMax = countCap + 1
	}
	var evs []event.Event
	var next string
	n, err := -1, error(nil)
	if pc, ok := s.st.(store.PageCounter); ok && mode != "none" {
		evs, next, n, err = pc.EventsCounted(r.Context(), cf)
	} else {
		evs, next, err = s.st.Events(r.Context(), f)
		if err == nil && mode != "none" {
			n, err = s.st.CountEvents(r.Context(), cf)
		}
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	page := eventPage{Events: make([]map[string]any, 0, len(evs)), NextCursor: next, Count: n, CountExact: n >= 0}
	if mode != "exact" && n > countCap {
		page.Count, page.CountExact = countCap, false
	}
	for _, e := range evs {
		page.Events = append(page.Events, Record(e))
	}
	writeJSON(w, http.StatusOK, page)
}

// eventDetail is the body of GET /api/v1/events/{id}.
type eventDetail struct {
	Event     map[string]any   `json:"event"`
	Revisions []store.Revision `json:"revisions"`
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.st.Event(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		jsonError(w, http.StatusNotFound, "no event "+strconv.Quote(id))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	revs := d.Revisions
	if revs == nil {
		revs = []store.Revision{}
	}
	writeJSON(w, http.StatusOK, eventDetail{Event: Record(d.Event), Revisions: revs})
}

// eachEvent pages through every event matching f (at most maxExport, or
// f.Limit when the client set one) and hands each page to fn.
// It returns how many pages it handed over, so callers know whether a
// response has begun.
func (s *Server) eachEvent(r *http.Request, f store.Filter, fn func([]event.Event) error) (pages int, err error) {
	total := maxExport
	if f.Limit > 0 {
		total = f.Limit
	}
	f.Limit = min(exportPage, total)
	for seen := 0; seen < total; {
		evs, next, err := s.st.Events(r.Context(), f)
		if err != nil {
			return pages, err
		}
		if len(evs) > total-seen {
			evs = evs[:total-seen]
		}
		seen += len(evs)
		pages++
		if err := fn(evs); err != nil {
			return pages, err
		}
		if next == "" || len(evs) == 0 {
			break
		}
		f.Cursor = next
	}
	return pages, nil
}

// exportFilter parses filters for the export endpoints, answering 400 itself.
func exportFilter(w http.ResponseWriter, r *http.Request) (store.Filter, bool) {
	q := r.URL.Query()
	// limit on an export caps the whole file, not one page.
	lim := q.Get("limit")
	q.Del("limit")
	f, perr := parseFilter(q)
	if perr == nil && lim != "" {
		n, err := strconv.Atoi(lim)
		if err != nil || n < 1 || n > maxExport {
			perr = &paramError{"limit", "want an integer from 1 to " + strconv.Itoa(maxExport)}
		}
		f.Limit = n
	}
	if perr != nil {
		badParam(w, perr)
		return f, false
	}
	return f, true
}

// Exports stream: once the first page is written the status is sent, so a
// later store error can only cut the body short; it is logged.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	f, ok := exportFilter(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sahelwatch-events.csv"`)
	cw := newCSVStream(w)
	pages, err := s.eachEvent(r, f, cw.write)
	if pages == 0 && err != nil {
		s.internalError(w, r, err)
		return
	}
	if err == nil {
		err = cw.close()
	}
	if err != nil {
		s.log.Error("export csv", "err", err)
	}
}

func (s *Server) exportGeoJSON(w http.ResponseWriter, r *http.Request) {
	f, ok := exportFilter(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	gw := newGeoJSONStream(w)
	pages, err := s.eachEvent(r, f, gw.write)
	if pages == 0 && err != nil {
		s.internalError(w, r, err)
		return
	}
	if err == nil {
		err = gw.close()
	}
	if err != nil {
		s.log.Error("export geojson", "err", err)
	}
}

func (s *Server) exportJSONL(w http.ResponseWriter, r *http.Request) {
	f, ok := exportFilter(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	pages, err := s.eachEvent(r, f, func(evs []event.Event) error { return WriteJSONL(w, evs) })
	if pages == 0 && err != nil {
		s.internalError(w, r, err)
		return
	}
	if err != nil {
		s.log.Error("export jsonl", "err", err)
	}
}
