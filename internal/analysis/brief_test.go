package analysis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
	"github.com/sahelwatch/sahelwatch/internal/analysis/synth"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is a synthetic stream plus two situation reports in our own words.
func fixture(t *testing.T) []event.Event {
	t.Helper()
	s, err := synth.Generate(1, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 60)
	if err != nil {
		t.Fatal(err)
	}
	sit := func(id, date, place, admin1, text string, lat, lon float64) event.Event {
		d, _ := time.Parse("2006-01-02", date)
		return event.Event{ID: id, Doc: "fixture", Date: d, TimePrecision: 1, Kind: event.Situation,
			EventType: "Strategic developments", SubEventType: "Other",
			Place:    event.Place{Name: place, Country: "Mali", Admin1: admin1, Lat: lat, Lon: lon, Precision: 1},
			Evidence: []event.Evidence{{Doc: "fixture", Text: text}}, Notes: "[situation]"}
	}
	return append(s.Events,
		sit("FIX-1", "2024-09-05", "Diafarabé", "Mopti", "Fighters have kept the town of Diafarabé under blockade since August; no market has opened.", 14.16, -4.99),
		sit("FIX-2", "2024-09-10", "Ségou", "Segou", "Truck drivers say there has been no traffic on the RN6 between Ségou and San for four days.", 13.44, -6.26),
		sit("FIX-3", "2024-09-11", "Bamako", "Bamako", "The capital could be encircled if the roads fall.", 12.64, -8.0),
	)
}

func TestBriefGolden(t *testing.T) {
	a, err := analysis.New(analysis.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	evs := fixture(t)
	for _, wk := range []string{"2024-W37", "2024-W31"} {
		t.Run(wk, func(t *testing.T) {
			w, _ := analysis.ParseWeek(wk)
			var buf bytes.Buffer
			if err := a.Brief(evs, w).Markdown(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "brief-"+wk+".md"), buf.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestBriefHTML(t *testing.T) {
	a, _ := analysis.New(analysis.DefaultRules())
	w, _ := analysis.ParseWeek("2024-W37")
	var buf bytes.Buffer
	if err := a.Brief(fixture(t), w).HTML(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"<svg", "<circle", "<polyline", "Incidents per week", "<table>", "Djibo", "Spike in Sahel"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML brief lacks %q", want)
		}
	}
}

func TestSituations(t *testing.T) {
	a, _ := analysis.New(analysis.DefaultRules())
	got := map[string]string{}
	for _, s := range a.Situations(fixture(t), time.Date(2024, 9, 15, 0, 0, 0, 0, time.UTC)) {
		got[s.ID] = s.Status
	}
	for id, want := range map[string]string{
		"town:diafarabe": "blockaded",
		"route:rn6":      "cut",
		"town:bamako":    "threatened (encircled)",
	} {
		if got[id] != want {
			t.Errorf("%s = %q, want %q (all: %v)", id, got[id], want, got)
		}
	}
	// Months later nothing has renewed the blockade: it goes stale.
	for _, s := range a.Situations(fixture(t), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) {
		if s.ID == "town:diafarabe" && s.Status != analysis.StatusStale {
			t.Errorf("diafarabe in 2025 = %q, want stale", s.Status)
		}
	}
}

// memStore serves a fixed slice of events; the other methods are unused here.
type memStore struct {
	store.Store
	evs []event.Event
}

func (m memStore) Events(_ context.Context, f store.Filter) ([]event.Event, string, error) {
	var out []event.Event
	for _, e := range m.evs {
		if (f.Kind == "" || e.Kind == f.Kind) && (f.To.IsZero() || !e.Date.After(f.To)) {
			out = append(out, e)
		}
	}
	return out, "", nil
}

func TestHandlers(t *testing.T) {
	st := memStore{evs: fixture(t)}
	mux := http.NewServeMux()
	mux.Handle("GET /briefs/{week}", analysis.BriefHandler(st, nil))
	mux.Handle("GET /api/v1/alerts", analysis.AlertsHandler(st, nil))
	mux.Handle("GET /api/v1/situations", analysis.SituationsHandler(st, nil))
	for _, tc := range []struct {
		path, want, ctype string
		status            int
	}{
		{"/briefs/2024-W37", "<svg", "text/html", 200},
		{"/briefs/2024-W37.md", "## By region", "text/markdown", 200},
		{"/briefs/2024-W99", "week", "application/json", 400},
		{"/api/v1/alerts?week=2024-W37&rule=spike", `"rule":"spike"`, "application/json", 200},
		{"/api/v1/alerts?from=yesterday", "from", "application/json", 400},
		{"/api/v1/situations?at=2024-09-15", `"status":"blockaded"`, "application/json", 200},
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s = %d %s %.200s", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/alerts?week=2024-W37", nil))
	var body struct{ Alerts []analysis.Alert }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Alerts) == 0 {
		t.Errorf("alerts body: %v %s", err, rec.Body.String())
	}
}
