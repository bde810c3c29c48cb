package server

import (
	"context"
	"encoding/json"
	"net/url"
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

// TestFullTextAccents checks q through the API over SQLite's FTS5 index:
// words match whatever their accents and case, in notes and in evidence.
func TestFullTextAccents(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const text = "Gunmen attacked a market in Ségou on Monday. Later, a convoy hit a mine near Ménaka.\n"
	ev := func(s string) event.Evidence {
		i := strings.Index(text, s)
		return event.Evidence{Start: i, End: i + len(s), Text: s}
	}
	evs := []event.Event{
		{ID: "A", Date: day("2024-03-04"), EventType: "Violence against civilians", Kind: event.Incident,
			Place: event.Place{Name: "Ségou", Country: "Mali"}, Notes: "Attack on the market of Ségou.",
			Evidence: []event.Evidence{ev("Gunmen attacked a market in Ségou on Monday.")}},
		{ID: "B", Date: day("2024-03-05"), EventType: "Explosions/Remote violence", Kind: event.Incident,
			Place: event.Place{Name: "Menaka", Country: "Mali"}, Notes: "Convoy struck an explosive device.",
			Evidence: []event.Evidence{ev("Later, a convoy hit a mine near Ménaka.")}},
	}
	if _, err := st.SaveReport(ctx, &event.Report{Doc: "fts.txt", Text: text}, evs, nil); err != nil {
		t.Fatal(err)
	}
	h := New(st, Options{}).Handler()
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"segou", []string{"A"}},
		{"SÉGOU", []string{"A"}},
		{"Segou market", []string{"A"}},
		{"menaka", []string{"B"}}, // in the evidence only
		{"ménaka", []string{"B"}},
		{"segou menaka", nil},          // words are ANDed
		{`"segou*" -(`, []string{"A"}}, // FTS5 syntax is taken as text
		{"timbuktu", nil},
	} {
		rec := do(h, "GET", "/api/v1/events?q="+url.QueryEscape(tc.q), nil)
		var page struct {
			Events []struct {
				ID string `json:"event_id"`
			} `json:"events"`
			Count int `json:"count"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || rec.Code != 200 {
			t.Fatalf("q=%q: %d %s", tc.q, rec.Code, rec.Body.String())
		}
		var got []string
		for _, e := range page.Events {
			got = append(got, e.ID)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") || page.Count != len(tc.want) {
			t.Errorf("q=%q: events %v (count %d), want %v", tc.q, got, page.Count, tc.want)
		}
	}
}
