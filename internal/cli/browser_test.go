package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/server/browsertest"
)

// TestDemoInBrowser runs the demo for real (the embedded examples through
// the pipeline into a fresh SQLite store, served on loopback) and drives
// the dashboard in headless Chromium: one marker per event the API counts,
// a filter, an event opened with its evidence highlighted, a report whose
// text carries markup shown as text, and screenshots at desktop and phone
// widths. Skipped without Chromium, except in CI (CI=true), where it fails.
func TestDemoInBrowser(t *testing.T) {
	bctx := browsertest.Start(t, 1280, 900)
	ctx := context.Background()

	// The demo, as runDemo builds it.
	dir := t.TempDir()
	var stderr bytes.Buffer
	e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	inputs, err := unpackExamples(filepath.Join(dir, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.pipeline(dataFlags{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tot, err := e.ingest(p, st, inputs, "", "", 2, false)
	if err != nil || tot.Failed > 0 {
		t.Fatalf("demo ingest: %+v, %v\n%s", tot, err, stderr.String())
	}

	// Untrusted text: markup in a report and in the fields of its event.
	const hostile = `Residents said <script>window.__xss=1</script> gunmen <img src=x onerror="window.__xss=2"> burned the market of Niono. End.`
	ev := "gunmen"
	start := strings.Index(hostile, ev)
	if _, err := st.SaveReport(ctx, &event.Report{Doc: "hostile.txt", Title: `<b onmouseover="window.__xss=3">title</b>`, Text: hostile},
		[]event.Event{{ID: "HOSTILE-1", Date: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC), EventType: "Riots", Kind: event.Incident,
			Place: event.Place{Name: `<img src=x onerror="window.__xss=4">`, Country: "Mali", Admin1: "Segou", Lat: 14.25, Lon: -5.99, Precision: 1},
			Notes: `<script>window.__xss=5</script>`, Evidence: []event.Evidence{{Start: start, End: start + len(ev), Text: ev}}}}, nil); err != nil {
		t.Fatal(err)
	}

	ts := httptest.NewServer(server.New(st, server.Options{}).Handler()) // 127.0.0.1:0
	defer ts.Close()
	apiCount := func(q url.Values) int {
		t.Helper()
		var page struct {
			Count int `json:"count"`
		}
		getJSON(t, ts.URL+"/api/v1/events?"+q.Encode(), &page)
		return page.Count
	}

	// Accent folding in full-text search, through the API: q=segou finds
	// the examples that write Ségou.
	var found struct {
		Events []struct {
			Notes    string `json:"notes"`
			Evidence []struct {
				Text string `json:"text"`
			} `json:"evidence"`
		} `json:"events"`
		Count int `json:"count"`
	}
	getJSON(t, ts.URL+"/api/v1/events?q=segou&limit=1000", &found)
	accented := false
	for _, e := range found.Events {
		for _, s := range e.Evidence {
			accented = accented || strings.Contains(s.Text, "Ségou")
		}
	}
	if found.Count == 0 || !accented {
		t.Errorf("q=segou: %d events, none with Ségou in its evidence", found.Count)
	}

	tctx, cancel := context.WithTimeout(bctx, 2*time.Minute) // a hang guard, not an assertion
	defer cancel()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	waitJS := func(expr string) {
		t.Helper()
		if _, err := chromedp.Run(tctx, chromedp.Poll[bool](expr)); err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
	}
	eval := func(expr string, v any) {
		t.Helper()
		b, err := chromedp.Run(tctx, chromedp.Evaluate[[]byte](expr))
		if err == nil {
			err = json.Unmarshal(b, v)
		}
		if err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
	}
	markers := `document.querySelectorAll("#map path.leaflet-interactive[data-event-id]").length`

	all := apiCount(nil)
	if all < 20 {
		t.Fatalf("the demo stored %d events; expected the examples' dozens", all)
	}
	run("open the dashboard", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#events-table tbody tr"))
	// Every demo event has coordinates, so every event is one marker.
	waitJS(markers + ` === ` + strconv.Itoa(all))
	waitJS(`document.querySelector("#count").textContent === "` + strconv.Itoa(all) + `"`)

	// A filter: only battles, on the map and in the table.
	battles := apiCount(url.Values{"type": {"Battles"}})
	if battles == 0 || battles == all {
		t.Fatalf("type=Battles: %d of %d events; the filter would show nothing", battles, all)
	}
	run("filter", chromedp.SetValue("#filter-type", "Battles"), chromedp.Click("#apply"))
	waitJS(`document.querySelector("#count").textContent === "` + strconv.Itoa(battles) + `" && ` + markers + ` === ` + strconv.Itoa(battles))
	var types []string
	eval(`Array.from(document.querySelectorAll("#events-table tbody tr td:nth-child(2)")).map(function(td){return td.textContent})`, &types)
	for _, ty := range types {
		if ty != "Battles" {
			t.Errorf("filtered table shows a %q row", ty)
			break
		}
	}

	// Open the first battle from its marker and read its evidence.
	var id string
	eval(`document.querySelector("#map path.leaflet-interactive[data-event-id]").getAttribute("data-event-id")`, &id)
	// Leaflet listens on the marker's path; a synthetic click reaches it
	// even where markers overlap on screen.
	run("click the marker", chromedp.Evaluate[chromedp.Void](`document.querySelector('#map path[data-event-id="`+id+`"]').dispatchEvent(new MouseEvent("click", {bubbles: true}))`))
	waitJS(`document.querySelector("#panel-id").textContent === "` + id + `" && !!document.querySelector("#evidence .highlight")`)
	var detail struct {
		Event struct {
			Evidence []struct {
				Text string `json:"text"`
			} `json:"evidence"`
		} `json:"event"`
	}
	getJSON(t, ts.URL+"/api/v1/events/"+url.PathEscape(id), &detail)
	var shown []string
	eval(`Array.from(document.querySelectorAll("#evidence .highlight")).map(function(m){return m.textContent})`, &shown)
	if len(detail.Event.Evidence) == 0 || len(shown) == 0 {
		t.Fatalf("event %s: %d evidence spans in the API, %d highlighted", id, len(detail.Event.Evidence), len(shown))
	}
	for _, s := range shown {
		ok := false
		for _, want := range detail.Event.Evidence {
			ok = ok || strings.Contains(want.Text, s) || strings.Contains(s, want.Text)
		}
		if !ok {
			t.Errorf("highlight %q is none of event %s's evidence", s, id)
		}
	}
	browsertest.Screenshot(t, tctx, "dashboard-desktop.png")

	// The hostile report: its markup is text on the page, never elements.
	run("reset", chromedp.Click("#reset"))
	waitJS(markers + ` === ` + strconv.Itoa(all))
	// A link to the event, opened as a fresh page.
	run("open the hostile event", chromedp.Navigate("about:blank"), chromedp.Navigate(ts.URL+"/#event=HOSTILE-1"),
		chromedp.WaitVisible("#events-table tbody tr"))
	waitJS(`document.querySelector("#panel-id").textContent === "HOSTILE-1" && !!document.querySelector("#evidence .highlight")`)
	var injected bool
	eval(`window.__xss !== undefined ||
		document.querySelectorAll("body script:not([src]), #event-panel img, #events-table img, #event-panel b, .leaflet-tooltip img").length > 0`, &injected)
	if injected {
		t.Error("markup from a report became elements or ran")
	}
	var notes, text string
	eval(`document.querySelector("#event-fields").textContent`, &notes)
	eval(`document.querySelector("#evidence .report-text").textContent`, &text)
	if !strings.Contains(notes, `<script>window.__xss=5</script>`) || !strings.Contains(notes, `<img src=x onerror="window.__xss=4">`) {
		t.Errorf("the event's markup is not shown as text: %q", notes)
	}
	if text != hostile {
		t.Errorf("report text shown as %q, want it verbatim", text)
	}

	// A phone's width: the layout stacks and still shows the panel.
	run("narrow", chromedp.EmulateViewport(390, 844))
	waitJS(`document.querySelector("#map").getBoundingClientRect().width <= 390`)
	var overflow int
	eval(`document.documentElement.scrollWidth - window.innerWidth`, &overflow)
	if overflow > 0 {
		t.Errorf("at 390 px the page is %d px wider than the screen", overflow)
	}
	browsertest.Screenshot(t, tctx, "dashboard-narrow.png")
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
