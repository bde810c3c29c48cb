package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// TestWithSQLite runs the API over the real store: a report whose text
// carries a script tag goes in through SaveReport and comes out escaped,
// with its event, evidence and report text intact.
func TestWithSQLite(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const evil = "<script>alert(1)</script>"
	text := sampleText + "Comment left under the article: " + evil + "\n"
	rep := &event.Report{Doc: "test/diallassagou-post.txt", URL: "https://news.example.org/a", Title: "Post " + evil,
		Lang: "en", Format: "text", Text: text, Hash: "h1", Published: day("2024-03-06")}
	e := sampleEvent()
	e.Notes += " " + evil
	if _, err := st.SaveReport(ctx, rep, []event.Event{e}, nil); err != nil {
		t.Fatal(err)
	}
	h := New(st, Options{}).Handler()

	rec := do(h, "GET", "/api/v1/reports/test%2Fdiallassagou-post.txt", nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<script") {
		t.Fatalf("report: %d %s", rec.Code, rec.Body.String())
	}
	var got reportText
	json.Unmarshal(rec.Body.Bytes(), &got)
	if got.Text != text {
		t.Errorf("report text changed in the round trip")
	}

	rec = do(h, "GET", "/api/v1/events?country=Mali", nil)
	var page struct {
		Events []map[string]any `json:"events"`
		Count  int              `json:"count"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || page.Count != 1 || len(page.Events) != 1 {
		t.Fatalf("events: %v %s", err, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "<script") {
		t.Error("events JSON serves raw markup")
	}
	id, _ := page.Events[0]["event_id"].(string)
	rec = do(h, "GET", "/api/v1/events/"+id, nil)
	var d struct {
		Event     map[string]any   `json:"event"`
		Revisions []map[string]any `json:"revisions"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil || rec.Code != 200 {
		t.Fatalf("event %q: %d %s", id, rec.Code, rec.Body.String())
	}
	ev, _ := d.Event["evidence"].([]any)
	if len(ev) != 1 {
		t.Fatalf("evidence %v", d.Event["evidence"])
	}
	span := ev[0].(map[string]any)
	start, end := int(span["start"].(float64)), int(span["end"].(float64))
	if text[start:end] != span["text"] {
		t.Errorf("evidence offsets %d..%d do not select %q in the report text", start, end, span["text"])
	}
	for _, p := range []string{"/api/v1/stats", "/api/v1/reports", "/api/v1/events.csv", "/metrics"} {
		if rec := do(h, "GET", p, nil); rec.Code != 200 {
			t.Errorf("%s: %d %s", p, rec.Code, rec.Body.String())
		}
	}
}
