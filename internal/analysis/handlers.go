package analysis

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

// BriefHandler serves GET /briefs/{week}: the brief as HTML, or as
// Markdown for "{week}.md" or ?format=md. A nil a uses the shipped rules.
func BriefHandler(st store.Store, a *Analyzer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := analyzerOr(w, a)
		if !ok {
			return
		}
		ws, format := r.PathValue("week"), r.URL.Query().Get("format")
		if s, found := strings.CutSuffix(ws, ".md"); found {
			ws, format = s, "md"
		} else if s, found := strings.CutSuffix(ws, ".html"); found {
			ws = s
		}
		wk, err := ParseWeek(ws)
		if err != nil {
			jsonStatus(w, http.StatusBadRequest, map[string]string{"error": err.Error(), "param": "week"})
			return
		}
		evs, err := Load(r.Context(), st, wk.End())
		if err != nil {
			slog.Error("brief: load events", "err", err)
			jsonStatus(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		b := a.Brief(evs, wk)
		var buf bytes.Buffer
		if format == "md" {
			_ = b.Markdown(&buf)
			w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		} else {
			_ = b.HTML(&buf)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			// The page is self-contained: its one style block is allowed by hash.
			w.Header().Set("Content-Security-Policy", BriefCSP)
		}
		_, _ = w.Write(buf.Bytes())
	})
}

// AlertsHandler serves GET /api/v1/alerts: {"alerts": [...]}, oldest
// first, optionally limited by ?from=YYYY-MM-DD, ?to=YYYY-MM-DD,
// ?week=2025-W13 and ?rule=NAME.
func AlertsHandler(st store.Store, a *Analyzer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := analyzerOr(w, a)
		if !ok {
			return
		}
		from, to, ok := dateRange(w, r)
		if !ok {
			return
		}
		evs, err := Load(r.Context(), st, to)
		if err != nil {
			slog.Error("alerts: load events", "err", err)
			jsonStatus(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		out := []Alert{}
		for _, al := range AlertsIn(a.Alerts(evs), from, to) {
			if rule := r.URL.Query().Get("rule"); rule == "" || rule == al.Rule {
				out = append(out, al)
			}
		}
		jsonStatus(w, http.StatusOK, map[string]any{"alerts": out})
	})
}

// SituationsHandler serves GET /api/v1/situations: {"situations": [...]}
// with each status as of ?at=YYYY-MM-DD (default today), plus the watched
// corridors' lines so a map can colour them by status.
func SituationsHandler(st store.Store, a *Analyzer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := analyzerOr(w, a)
		if !ok {
			return
		}
		at := time.Now().UTC()
		if s := r.URL.Query().Get("at"); s != "" {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				jsonStatus(w, http.StatusBadRequest, map[string]string{"error": "at: want YYYY-MM-DD", "param": "at"})
				return
			}
			at = t
		}
		evs, err := Load(r.Context(), st, at)
		if err != nil {
			slog.Error("situations: load events", "err", err)
			jsonStatus(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		sits := a.Situations(evs, at)
		if sits == nil {
			sits = []Situation{}
		}
		jsonStatus(w, http.StatusOK, map[string]any{"at": day(at), "situations": sits, "corridors": a.Watched()})
	})
}

func analyzerOr(w http.ResponseWriter, a *Analyzer) (*Analyzer, bool) {
	if a != nil {
		return a, true
	}
	a, err := Default()
	if err != nil {
		slog.Error("analysis: default analyzer", "err", err)
		jsonStatus(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return nil, false
	}
	return a, true
}

func dateRange(w http.ResponseWriter, r *http.Request) (from, to time.Time, ok bool) {
	q := r.URL.Query()
	if s := q.Get("week"); s != "" {
		wk, err := ParseWeek(s)
		if err != nil {
			jsonStatus(w, http.StatusBadRequest, map[string]string{"error": err.Error(), "param": "week"})
			return from, to, false
		}
		return wk.Start(), wk.End(), true
	}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if s := q.Get(p.name); s != "" {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				jsonStatus(w, http.StatusBadRequest, map[string]string{"error": p.name + ": want YYYY-MM-DD", "param": p.name})
				return from, to, false
			}
			*p.t = t
		}
	}
	return from, to, true
}

func jsonStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
