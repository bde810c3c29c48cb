package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

// durationBuckets are the histogram's upper bounds in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Metrics holds the server's Prometheus counters. It is written by hand
// (the text format is simple) to avoid a client library dependency.
type Metrics struct {
	ingested     atomic.Int64
	ingestErrors atomic.Int64

	mu       sync.Mutex
	requests map[reqKey]int64
	hist     map[string]*histogram
}

type reqKey struct {
	route string
	code  int
}

type histogram struct {
	counts []int64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      int64
}

func newMetrics() *Metrics {
	return &Metrics{requests: map[reqKey]int64{}, hist: map[string]*histogram{}}
}

// IncIngested counts one report ingested.
func (m *Metrics) IncIngested() { m.ingested.Add(1) }

// IncIngestErrors counts one report that failed to ingest.
func (m *Metrics) IncIngestErrors() { m.ingestErrors.Add(1) }

func (m *Metrics) observe(route string, code int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, code}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]int64, len(durationBuckets)+1)}
		m.hist[route] = h
	}
	i, _ := slices.BinarySearch(durationBuckets, sec)
	h.counts[i]++
	h.sum += sec
	h.n++
}

// writeTo writes the exposition text; events is the stored event count, or
// negative when the store could not be asked (the gauge is then omitted).
func (m *Metrics) writeTo(w io.Writer, events int) {
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b reqKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		return a.code - b.code
	})
	var b strings.Builder
	b.WriteString("# HELP sahelwatch_http_requests_total HTTP requests by route pattern and status code.\n")
	b.WriteString("# TYPE sahelwatch_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "sahelwatch_http_requests_total{route=%s,code=\"%d\"} %d\n", label(k.route), k.code, m.requests[k])
	}
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	b.WriteString("# HELP sahelwatch_http_request_duration_seconds HTTP request latency by route pattern.\n")
	b.WriteString("# TYPE sahelwatch_http_request_duration_seconds histogram\n")
	for _, r := range routes {
		h := m.hist[r]
		var cum int64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "sahelwatch_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(r), strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "sahelwatch_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(r), h.n)
		fmt.Fprintf(&b, "sahelwatch_http_request_duration_seconds_sum{route=%s} %s\n", label(r), strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "sahelwatch_http_request_duration_seconds_count{route=%s} %d\n", label(r), h.n)
	}
	m.mu.Unlock()

	if events >= 0 {
		b.WriteString("# HELP sahelwatch_events Events in the store.\n# TYPE sahelwatch_events gauge\n")
		fmt.Fprintf(&b, "sahelwatch_events %d\n", events)
	}
	b.WriteString("# HELP sahelwatch_reports_ingested_total Reports ingested.\n# TYPE sahelwatch_reports_ingested_total counter\n")
	fmt.Fprintf(&b, "sahelwatch_reports_ingested_total %d\n", m.ingested.Load())
	b.WriteString("# HELP sahelwatch_ingest_errors_total Reports that failed to ingest.\n# TYPE sahelwatch_ingest_errors_total counter\n")
	fmt.Fprintf(&b, "sahelwatch_ingest_errors_total %d\n", m.ingestErrors.Load())
	io.WriteString(w, b.String())
}

// label quotes a label value as the text format wants (\\, \" and \n escaped).
func label(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	n, err := s.st.CountEvents(ctx, store.Filter{})
	if err != nil {
		s.log.Warn("metrics: count events", "err", err)
		n = -1
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.mtr.writeTo(w, n)
}
