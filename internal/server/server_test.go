package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

const testToken = "s3cret-token"

func newTestServer(t testing.TB, m *memStore, opts Options) (*Server, http.Handler) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	s := New(m, opts)
	return s, s.Handler()
}

func do(h http.Handler, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, rec.Body.String())
	}
	return v
}

func TestRoutes(t *testing.T) {
	_, h := newTestServer(t, fixtureStore(), Options{})
	tests := []struct {
		target string
		status int
		ctype  string
		keys   []string // top-level JSON keys that must be present
	}{
		{"/healthz", 200, "text/plain", nil},
		{"/metrics", 200, "text/plain", nil},
		{"/api/v1/config", 200, "application/json", []string{"tile_url", "writable"}},
		{"/api/v1/openapi.json", 200, "application/json", []string{"openapi", "paths"}},
		{"/api/v1/events", 200, "application/json", []string{"events", "next_cursor", "count"}},
		{"/api/v1/events?limit=1", 200, "application/json", []string{"events", "next_cursor", "count"}},
		{"/api/v1/events.csv", 200, "text/csv", nil},
		{"/api/v1/events.geojson", 200, "application/geo+json", []string{"type", "features"}},
		{"/api/v1/events.jsonl", 200, "application/x-ndjson", nil},
		{"/api/v1/events/SW-MLI-000001", 200, "application/json", []string{"event", "revisions"}},
		{"/api/v1/events/nope", 404, "application/json", []string{"error"}},
		{"/api/v1/stats", 200, "application/json", []string{"count", "by_week", "by_admin1", "by_event_type", "by_actor1"}},
		{"/api/v1/reports", 200, "application/json", []string{"reports"}},
		{"/api/v1/reports/test%2Fdiallassagou-post.txt", 200, "application/json", []string{"doc", "title", "url", "text"}},
		{"/api/v1/reports/test/diallassagou-post.txt", 200, "application/json", []string{"doc", "text"}},
		{"/api/v1/reports/missing", 404, "application/json", []string{"error"}},
		{"/api/v1/nothing-here", 404, "application/json", []string{"error"}},
		{"/api/v1/events?limit=0", 400, "application/json", []string{"error", "param"}},
		{"/", 200, "text/html", nil},
		{"/app.js", 200, "javascript", nil},
		{"/app.css", 200, "text/css", nil},
		{"/i18n.json", 200, "application/json", []string{"en", "fr"}},
		{"/vendor/leaflet/leaflet.js", 200, "javascript", nil},
		{"/vendor/uplot/uPlot.iife.min.js", 200, "javascript", nil},
		{"/data/countries.geojson", 200, "", []string{"type", "features"}},
		{"/data/admin1.geojson", 200, "", []string{"type", "features"}},
		{"/vendor/", 404, "", nil},
		{"/no-such-file.js", 404, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(h, "GET", tt.target, nil)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want it to contain %q", ct, tt.ctype)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
				if rec.Header().Get(h) == "" {
					t.Errorf("missing header %s", h)
				}
			}
			if len(tt.keys) > 0 {
				v := decode(t, rec)
				for _, k := range tt.keys {
					if _, ok := v[k]; !ok {
						t.Errorf("JSON lacks %q: %s", k, rec.Body.String())
					}
				}
			}
		})
	}
}

func TestEventsCount(t *testing.T) {
	m := fixtureStore()
	base := m.events[1]
	for i := 0; i < countCap+5; i++ {
		e := base
		e.ID = fmt.Sprintf("SW-BFA-%06d", 100+i)
		m.events = append(m.events, e)
	}
	all := len(m.events)
	_, h := newTestServer(t, m, Options{})
	tests := []struct {
		query      string
		count      int
		exact      bool
		wantStatus int
	}{
		{"", countCap, false, 200},
		{"count=capped", countCap, false, 200},
		{"count=exact", all, true, 200},
		{"count=none", -1, false, 200},
		{"count=exact&type=Battles", 1, true, 200},
		{"type=Battles", 1, true, 200},
		{"count=sometimes", 0, false, 400},
	}
	for _, tt := range tests {
		rec := do(h, "GET", "/api/v1/events?limit=1&"+tt.query, nil)
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.query, rec.Code, tt.wantStatus)
			continue
		}
		if tt.wantStatus != 200 {
			continue
		}
		var page struct {
			Count      int  `json:"count"`
			CountExact bool `json:"count_exact"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		if page.Count != tt.count || page.CountExact != tt.exact {
			t.Errorf("%s: count %d exact %v, want %d %v", tt.query, page.Count, page.CountExact, tt.count, tt.exact)
		}
	}
}

func TestEventsPage(t *testing.T) {
	_, h := newTestServer(t, fixtureStore(), Options{})
	var page struct {
		Events     []map[string]any `json:"events"`
		NextCursor string           `json:"next_cursor"`
		Count      int              `json:"count"`
	}
	rec := do(h, "GET", "/api/v1/events?limit=2", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 2 || page.Count != 3 || page.NextCursor == "" {
		t.Fatalf("got %d events, count %d, cursor %q; want 2, 3, non-empty", len(page.Events), page.Count, page.NextCursor)
	}
	if page.Events[0]["event_id"] != "SW-MLI-000001" || page.Events[0]["actor1"] != "Military Forces of Mali (2021-)" {
		t.Errorf("first event %v", page.Events[0])
	}
	rec = do(h, "GET", "/api/v1/events?limit=2&cursor="+url.QueryEscape(page.NextCursor), nil)
	json.Unmarshal(rec.Body.Bytes(), &page)
	if len(page.Events) != 1 || page.NextCursor != "" {
		t.Errorf("second page: %d events, cursor %q", len(page.Events), page.NextCursor)
	}
}

func TestFilterPassedToStore(t *testing.T) {
	m := fixtureStore()
	_, h := newTestServer(t, m, Options{})
	q := "from=2024-01-01&to=2024-03-31&type=Battles&actor=%20JNIM%20&country=Mali&admin1=Mopti&kind=incident" +
		"&min_fatalities=2&q=army+post&bbox=-6,10,2,20&sort=fatalities&limit=20&cursor=abc"
	rec := do(h, "GET", "/api/v1/events?"+q, nil)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	want := store.Filter{
		From: day("2024-01-01"), To: day("2024-03-31"), EventType: "Battles", Actor: "JNIM", Country: "Mali",
		Admin1: "Mopti", Kind: event.Incident, MinFatalities: 2, Query: "army post", BBox: &[4]float64{-6, 10, 2, 20},
		Sort: "fatalities", Limit: 20, Cursor: "abc",
	}
	if !reflect.DeepEqual(m.last, want) {
		t.Errorf("store got\n%+v\nwant\n%+v", m.last, want)
	}
}

func TestBadParams(t *testing.T) {
	_, h := newTestServer(t, fixtureStore(), Options{})
	tests := []struct{ query, param string }{
		{"from=2024-13-01", "from"},
		{"from=yesterday", "from"},
		{"to=2024/01/01", "to"},
		{"from=2024-02-01&to=2024-01-01", "to"},
		{"kind=rumour", "kind"},
		{"min_fatalities=-1", "min_fatalities"},
		{"min_fatalities=many", "min_fatalities"},
		{"sort=name", "sort"},
		{"limit=0", "limit"},
		{"limit=5000", "limit"},
		{"limit=ten", "limit"},
		{"bbox=1,2,3", "bbox"},
		{"bbox=a,b,c,d", "bbox"},
		{"bbox=10,0,0,10", "bbox"},
		{"bbox=-200,0,0,10", "bbox"},
		{"bbox=NaN,0,1,1", "bbox"},
		{"q=" + strings.Repeat("x", 201), "q"},
		{"actor=%ff%fe", "actor"},
	}
	for _, path := range []string{"/api/v1/events", "/api/v1/events.csv", "/api/v1/events.geojson", "/api/v1/stats"} {
		for _, tt := range tests {
			if path == "/api/v1/stats" && strings.HasPrefix(tt.query, "limit") {
				continue // stats ignores paging
			}
			if path != "/api/v1/events" && tt.query == "limit=5000" {
				continue // exports allow large limits
			}
			rec := do(h, "GET", path+"?"+tt.query, nil)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s?%s: status %d, want 400", path, tt.query, rec.Code)
				continue
			}
			if v := decode(t, rec); v["param"] != tt.param {
				t.Errorf("%s?%s: param %v, want %q", path, tt.query, v["param"], tt.param)
			}
		}
	}
}

func TestStoreErrors(t *testing.T) {
	m := fixtureStore()
	m.err = errors.New("disk on fire")
	_, h := newTestServer(t, m, Options{})
	for _, p := range []string{"/api/v1/events", "/api/v1/events.csv", "/api/v1/events.geojson", "/api/v1/events.jsonl", "/api/v1/stats"} {
		rec := do(h, "GET", p, nil)
		if rec.Code != 500 {
			t.Errorf("%s: status %d, want 500", p, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "disk on fire") {
			t.Errorf("%s: internal error text leaked", p)
		}
	}
	// The gauge is left out rather than failing the scrape.
	rec := do(h, "GET", "/metrics", nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "sahelwatch_events ") {
		t.Errorf("metrics with a failing store: %d\n%s", rec.Code, rec.Body.String())
	}
}

func TestExportsFollowPages(t *testing.T) {
	m := fixtureStore()
	for i := range 2500 {
		e := event.Event{ID: "X" + strconv.Itoa(i), Date: day("2023-06-01"), EventType: "Riots", Kind: event.Incident}
		m.events = append(m.events, e)
	}
	_, h := newTestServer(t, m, Options{})
	rec := do(h, "GET", "/api/v1/events.csv", nil)
	if n := strings.Count(rec.Body.String(), "\n"); n != 2504 {
		t.Errorf("csv has %d lines, want header + 2503", n)
	}
	rec = do(h, "GET", "/api/v1/events.jsonl?limit=1200", nil)
	if n := strings.Count(rec.Body.String(), "\n"); n != 1200 {
		t.Errorf("jsonl with limit has %d lines, want 1200", n)
	}
	rec = do(h, "GET", "/api/v1/events.geojson?type=Riots", nil)
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil || len(fc.Features) != 2500 {
		t.Errorf("geojson: %v, %d features", err, len(fc.Features))
	}
}

func TestStats(t *testing.T) {
	_, h := newTestServer(t, fixtureStore(), Options{})
	var st statsBody
	rec := do(h, "GET", "/api/v1/stats?country=Mali", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Count != 2 || st.Fatalities != 10 || st.Truncated {
		t.Errorf("count %d fatalities %d truncated %v", st.Count, st.Fatalities, st.Truncated)
	}
	// 2024-01-10 is in 2024-W02, 2024-03-05 in 2024-W10: nine weeks, gaps zero.
	if len(st.ByWeek) != 9 || st.ByWeek[0].Key != "2024-W02" || st.ByWeek[0].Start != "2024-01-08" || st.ByWeek[8].Key != "2024-W10" || st.ByWeek[8].Fatalities != 10 {
		t.Errorf("by_week %+v", st.ByWeek)
	}
	if len(st.ByAdmin1) != 2 || len(st.ByEventType) != 2 || len(st.ByActor1) != 2 {
		t.Errorf("breakdowns %+v %+v %+v", st.ByAdmin1, st.ByEventType, st.ByActor1)
	}
	if st.ByActor1[0].Key != "Military Forces of Mali (2021-)" || st.ByActor1[1].Key != "(unknown)" {
		t.Errorf("by_actor1 %+v", st.ByActor1)
	}
}

func TestISOWeek(t *testing.T) {
	tests := []struct{ day, week, monday string }{
		{"2024-01-01", "2024-W01", "2024-01-01"},
		{"2021-01-03", "2020-W53", "2020-12-28"},
		{"2026-12-31", "2026-W53", "2026-12-28"},
		{"2025-12-29", "2026-W01", "2025-12-29"},
	}
	for _, tt := range tests {
		d := day(tt.day)
		if w := isoWeek(d); w != tt.week {
			t.Errorf("isoWeek(%s) = %s, want %s", tt.day, w, tt.week)
		}
		m, ok := parseISOWeek(tt.week)
		if !ok || m.Format("2006-01-02") != tt.monday {
			t.Errorf("parseISOWeek(%s) = %v, want %s", tt.week, m, tt.monday)
		}
	}
}

func TestPostReport(t *testing.T) {
	var gotText, gotURL, gotDoc string
	submit := func(ctx context.Context, text, u string) (store.IngestResult, error) {
		gotText, gotURL, gotDoc = text, u, DocFromContext(ctx)
		if strings.Contains(text, "fail") {
			return store.IngestResult{}, errors.New("extractor refused")
		}
		return store.IngestResult{ReportID: 7, Added: 2}, nil
	}
	s, h := newTestServer(t, fixtureStore(), Options{Submit: submit})
	auth := []string{"Authorization", "Bearer " + testToken, "Content-Type", "application/json"}
	tests := []struct {
		name   string
		body   string
		hdr    []string
		status int
	}{
		{"no token", `{"text":"x"}`, nil, 401},
		{"wrong token", `{"text":"x"}`, []string{"Authorization", "Bearer nope"}, 401},
		{"basic auth", `{"text":"x"}`, []string{"Authorization", "Basic " + testToken}, 401},
		{"bad json", `{"text":`, auth, 400},
		{"unknown field", `{"txt":"x"}`, auth, 400},
		{"empty", `{}`, auth, 400},
		{"bad url", `{"url":"javascript:alert(1)"}`, auth, 400},
		{"too big", `{"text":"` + strings.Repeat("a", maxReportBody) + `"}`, auth, 413},
		{"ingest error", `{"text":"please fail"}`, auth, 422},
		{"ok", `{"text":"Gunmen attacked a post.","url":"https://news.example.org/x","doc":"mine-1"}`, auth, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "POST", "/api/v1/reports", strings.NewReader(tt.body), tt.hdr...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			v := decode(t, rec)
			if tt.status != 201 {
				if _, ok := v["error"]; !ok {
					t.Errorf("error body lacks error: %v", v)
				}
				return
			}
			if v["report_id"] != 7.0 || v["added"] != 2.0 {
				t.Errorf("body %v", v)
			}
		})
	}
	if gotText != "Gunmen attacked a post." || gotURL != "https://news.example.org/x" || gotDoc != "mine-1" {
		t.Errorf("submit got %q %q %q", gotText, gotURL, gotDoc)
	}
	if s.Metrics().ingested.Load() != 1 || s.Metrics().ingestErrors.Load() != 1 {
		t.Errorf("ingested %d errors %d, want 1 and 1", s.Metrics().ingested.Load(), s.Metrics().ingestErrors.Load())
	}
}

func TestPostReportDisabled(t *testing.T) {
	// No Submit: 501 once authorised.
	_, h := newTestServer(t, fixtureStore(), Options{})
	rec := do(h, "POST", "/api/v1/reports", strings.NewReader(`{"text":"x"}`), "Authorization", "Bearer "+testToken)
	if rec.Code != 501 {
		t.Errorf("status %d, want 501", rec.Code)
	}
	// No token configured: writes are refused even with an empty bearer.
	s := New(fixtureStore(), Options{Submit: func(context.Context, string, string) (store.IngestResult, error) {
		t.Error("submit called without a token configured")
		return store.IngestResult{}, nil
	}})
	rec = do(s.Handler(), "POST", "/api/v1/reports", strings.NewReader(`{"text":"x"}`), "Authorization", "Bearer ")
	if rec.Code != 401 {
		t.Errorf("status %d, want 401", rec.Code)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	_, h := newTestServer(t, fixtureStore(), Options{})
	if rec := do(h, "DELETE", "/api/v1/events", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE status %d, want 405", rec.Code)
	}
}

// metricLine is one sample in the Prometheus text format.
var metricLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$`)

func TestMetricsFormat(t *testing.T) {
	s, h := newTestServer(t, fixtureStore(), Options{})
	do(h, "GET", "/api/v1/events", nil)
	do(h, "GET", "/api/v1/events/nope", nil)
	do(h, "GET", "/no/such/thing/", nil)
	s.Metrics().IncIngested()
	s.Metrics().IncIngestErrors()
	s.Metrics().IncIngestErrors()
	rec := do(h, "GET", "/metrics", nil)
	typed := map[string]string{}
	samples := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			f := strings.Fields(rest)
			typed[f[0]] = f[1]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("malformed line %q", line)
		}
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
		if _, ok := typed[base]; !ok {
			if _, ok := typed[m[1]]; !ok {
				t.Errorf("sample %s has no TYPE line before it", m[1])
			}
		}
		samples[m[1]+m[2]] = m[4]
	}
	want := map[string]string{
		`sahelwatch_http_requests_total{route="GET /api/v1/events",code="200"}`:                 "1",
		`sahelwatch_http_requests_total{route="GET /api/v1/events/{id}",code="404"}`:            "1",
		`sahelwatch_http_request_duration_seconds_count{route="GET /api/v1/events"}`:            "1",
		`sahelwatch_http_request_duration_seconds_bucket{route="GET /api/v1/events",le="+Inf"}`: "1",
		`sahelwatch_events`:                 "3",
		`sahelwatch_reports_ingested_total`: "1",
		`sahelwatch_ingest_errors_total`:    "2",
	}
	for k, v := range want {
		if samples[k] != v {
			t.Errorf("%s = %q, want %q", k, samples[k], v)
		}
	}
	if typed["sahelwatch_http_request_duration_seconds"] != "histogram" || typed["sahelwatch_events"] != "gauge" {
		t.Errorf("types %v", typed)
	}
}

func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if path == "/" || path == "/api/" {
			continue
		}
		path = strings.ReplaceAll(path, "...}", "}")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", rt.pattern)
		}
	}
}

func TestUntrustedTextEscaped(t *testing.T) {
	m := fixtureStore()
	const evil = `<script>alert(1)</script>`
	m.reports = append(m.reports, event.Report{Doc: "evil", Title: evil, Text: "Before " + evil + " after."})
	e := sampleEvent()
	e.ID, e.Doc, e.Notes, e.Place.Name = "EVIL-1", "evil", evil, evil
	m.events = append(m.events, e)
	_, h := newTestServer(t, m, Options{})
	for _, p := range []string{"/api/v1/reports/evil", "/api/v1/events/EVIL-1", "/api/v1/events", "/api/v1/events.geojson", "/api/v1/events.jsonl"} {
		rec := do(h, "GET", p, nil)
		if strings.Contains(rec.Body.String(), "<script") {
			t.Errorf("%s serves raw markup: %s", p, rec.Body.String())
		}
		if !strings.Contains(rec.Body.String(), `\u003cscript\u003e`) {
			t.Errorf("%s: escaped script tag not found", p)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
	var rep reportText
	json.Unmarshal(do(h, "GET", "/api/v1/reports/evil", nil).Body.Bytes(), &rep)
	if rep.Text != "Before "+evil+" after." {
		t.Errorf("round trip changed the text: %q", rep.Text)
	}
}

// The dashboard must never parse data as HTML: app.js uses no HTML sinks.
func TestDashboardUsesNoHTMLSinks(t *testing.T) {
	src, err := os.ReadFile("web/static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	sinks := regexp.MustCompile(`\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(|createContextualFragment`)
	for i, line := range strings.Split(string(src), "\n") {
		if sinks.MatchString(line) {
			t.Errorf("app.js:%d uses an HTML sink: %s", i+1, strings.TrimSpace(line))
		}
	}
	html, err := os.ReadFile("web/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	// Inline scripts and handlers would need 'unsafe-inline' in the CSP.
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+=`).Match(html) {
		t.Error("index.html has inline script or event handler attributes")
	}
	for _, id := range []string{`id="map"`, `id="events-table"`, `id="filter-type"`, `id="event-panel"`, `id="evidence"`, `id="count"`, `id="csv-link"`, `id="lang-toggle"`} {
		if !strings.Contains(string(html), id) {
			t.Errorf("index.html lacks %s", id)
		}
	}
}

func TestI18nComplete(t *testing.T) {
	b, err := os.ReadFile("web/static/i18n.json")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]map[string]string
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for k := range d["en"] {
		if _, ok := d["fr"][k]; !ok {
			t.Errorf("fr lacks %q", k)
		}
	}
	html, _ := os.ReadFile("web/static/index.html")
	for _, m := range regexp.MustCompile(`data-i18n="([^"]+)"`).FindAllStringSubmatch(string(html), -1) {
		if _, ok := d["en"][m[1]]; !ok {
			t.Errorf("index.html uses %q, missing from i18n.json", m[1])
		}
	}
}

func TestCSP(t *testing.T) {
	tests := []struct{ tile, wantImg string }{
		{"", "img-src 'self' data:;"},
		{"https://{s}.tile.example.org/{z}/{x}/{y}.png", "img-src 'self' data: https://*.tile.example.org;"},
		{"https://tiles.example.com/{z}/{x}/{y}.png", "img-src 'self' data: https://tiles.example.com;"},
		{"javascript:alert(1)", "img-src 'self' data:;"},
	}
	for _, tt := range tests {
		_, h := newTestServer(t, fixtureStore(), Options{TileURL: tt.tile})
		csp := do(h, "GET", "/", nil).Header().Get("Content-Security-Policy")
		if !strings.HasPrefix(csp, "default-src 'self'; ") || !strings.Contains(csp, tt.wantImg) {
			t.Errorf("tile %q: CSP %q, want %q", tt.tile, csp, tt.wantImg)
		}
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel() // shutdown begins while the request is in flight
	close(release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Errorf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Error("server still accepting after shutdown")
	}
}

func TestListenAndServeBadAddr(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ListenAndServe(ctx, "127.0.0.1:-1", http.NotFoundHandler()); err == nil {
		t.Error("want an error for a bad address")
	}
}

func TestPanicRecovered(t *testing.T) {
	s, _ := newTestServer(t, fixtureStore(), Options{})
	s.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	rec := do(s.Handler(), "GET", "/boom", nil)
	if rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "from=2024-01-01&to=2024-02-01", "bbox=1,2,3,4", "limit=5&sort=-date", "kind=incident&min_fatalities=3", "bbox=,,,", "q=%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, perr := parseFilter(q)
		if perr != nil {
			if perr.Param == "" {
				t.Errorf("error without a parameter name: %v", perr)
			}
			return
		}
		if fl.Limit < 0 || fl.Limit > maxPageLimit || fl.MinFatalities < 0 {
			t.Errorf("out-of-range filter accepted: %+v", fl)
		}
	})
}

// pageStore answers every list with the same page, so the benchmark
// measures the handler (parsing, records, JSON) rather than the fake store.
type pageStore struct {
	*memStore
	page []event.Event
}

func (p pageStore) Events(context.Context, store.Filter) ([]event.Event, string, error) {
	return p.page, "100", nil
}

func (p pageStore) CountEvents(context.Context, store.Filter) (int, error) { return 5000, nil }

func BenchmarkEventsHandler(b *testing.B) {
	base := sampleEvent()
	ps := pageStore{memStore: fixtureStore()}
	for i := range 100 {
		e := base
		e.ID = "B" + strconv.Itoa(i)
		ps.page = append(ps.page, e)
	}
	h := New(ps, Options{}).Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := do(h, "GET", "/api/v1/events?limit=100&type=Battles&from=2024-01-01&bbox=-6,10,2,20", nil)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
