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
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/server/browsertest"
)

// TestDemoInBrowser runs the demo for real (the embedded examples through
// the pipeline into a fresh SQLite store, served on loopback) and drives
// the dashboard in headless Chromium: one marker per event the API counts,
// a filter, an event opened with its evidence highlighted, a report whose
// text carries markup shown as text, the watched corridors with a cut
// route coloured, the alerts list opening an alert's event, a town
// situation opened from the keyboard, and screenshots at desktop and
// phone widths. Skipped without Chromium, except in CI (CI=true), where it fails.
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

	// Situations of our own: a route cut by name, and a town whose name
	// carries markup, for the map's corridor layer and town markers.
	for _, r := range []struct {
		doc, id, notes string
		place          event.Place
	}{
		{"rn16-cut.txt", "SIT-RN16", "Hauliers say no traffic has moved on the RN16 between Sévaré and Gao since lorries were burned near Hombori.",
			event.Place{Name: "Hombori", Country: "Mali", Admin1: "Mopti", Lat: 15.279, Lon: -1.700, Precision: 1}},
		{"hostile-town.txt", "SIT-HOSTILE", "Residents say armed men have kept the town under blockade for weeks.",
			event.Place{Name: `<img src=x onerror="window.__xss=6">Boni`, Country: "Mali", Admin1: "Mopti", Lat: 15.06, Lon: -1.83, Precision: 1}},
	} {
		if _, err := st.SaveReport(ctx, &event.Report{Doc: r.doc, Text: r.notes}, []event.Event{{ID: r.id,
			Date: time.Date(2025, 10, 27, 0, 0, 0, 0, time.UTC), EventType: "Strategic developments", Kind: event.Situation,
			Place: r.place, Notes: r.notes}}, nil); err != nil {
			t.Fatal(err)
		}
	}

	// The analysis endpoints, mounted as serve and demo mount them.
	ts := httptest.NewServer(server.New(st, server.Options{Extra: map[string]http.Handler{
		"GET /api/v1/alerts":     analysis.AlertsHandler(st, nil),
		"GET /api/v1/situations": analysis.SituationsHandler(st, nil),
		"GET /briefs/{week}":     analysis.BriefHandler(st, nil),
	}}).Handler()) // 127.0.0.1:0
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

	// The corridor layer: every watched corridor drawn, the cut RN16 in a
	// status colour, the town situation as a marker.
	var sits struct {
		Corridors []struct {
			ID string `json:"id"`
		} `json:"corridors"`
	}
	getJSON(t, ts.URL+"/api/v1/situations", &sits)
	if len(sits.Corridors) == 0 {
		t.Fatal("/api/v1/situations lists no corridors")
	}
	waitJS(`document.querySelectorAll("#map path.corridor[data-corridor-id]").length === ` + strconv.Itoa(len(sits.Corridors)))
	waitJS(`(function(){var p=document.querySelector('#map path.corridor[data-corridor-id="rn16"]');return !!p && p.getAttribute("data-status") !== "none"})()`)
	waitJS(`!!document.querySelector('#map .sit-icon[data-situation-id$="boni"]') && !!document.querySelector('#situations-list li[data-situation-id="route:rn16"]')`)

	// The situations list is the keyboard's way to a corridor's popup.
	run("open the RN16 situation", chromedp.Click(`#situations-list li[data-situation-id="route:rn16"] button`))
	waitJS(`(function(){var p=document.querySelector(".leaflet-popup-content .sit-popup");return !!p && p.textContent.indexOf("RN16") >= 0 && !!p.querySelector('button[data-event-id="SIT-RN16"]')})()`)
	browsertest.Screenshot(t, tctx, "dashboard-situations.png")

	// The alerts list, newest first; an alert opens its first event.
	var alerts struct {
		Alerts []analysis.Alert `json:"alerts"`
	}
	getJSON(t, ts.URL+"/api/v1/alerts", &alerts)
	if len(alerts.Alerts) == 0 {
		t.Fatal("the demo raises no alert")
	}
	waitJS(`document.querySelectorAll("#alerts-list li[data-alert-key]").length === ` + strconv.Itoa(min(len(alerts.Alerts), 100)))
	var key string
	eval(`document.querySelector("#alerts-list li[data-alert-key]").getAttribute("data-alert-key")`, &key)
	var first analysis.Alert
	for _, al := range alerts.Alerts {
		if al.Key == key {
			first = al
		}
	}
	if len(first.EventIDs) == 0 {
		t.Fatalf("alert %q in the list: not in the API, or without events", key)
	}
	run("open the first alert", chromedp.Click("#alerts-list li[data-alert-key] button"))
	waitJS(`document.querySelector("#panel-id").textContent === "` + first.EventIDs[0] + `"`)
	var brief string
	eval(`document.querySelector("#brief-link").getAttribute("href")`, &brief)
	if !regexp.MustCompile(`^briefs/\d{4}-W\d{2}$`).MatchString(brief) {
		t.Errorf("brief link %q, want briefs/YYYY-Www", brief)
	}
	browsertest.Screenshot(t, tctx, "dashboard-alert.png")
	run("close the panel", chromedp.Click("#panel-close"))

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
	// The hostile town's marker, opened from the keyboard: its name is text.
	run("open the town situation", chromedp.Focus(`#map .sit-icon[data-situation-id$="boni"]`), chromedp.KeyEvent("\r"))
	waitJS(`!!document.querySelector(".leaflet-popup-content .sit-popup")`)
	var popup string
	eval(`document.querySelector(".leaflet-popup-content").textContent`, &popup)
	if !strings.Contains(popup, `<img src=x onerror="window.__xss=6">Boni`) {
		t.Errorf("the town's name is not shown as text in its popup: %q", popup)
	}
	var injected bool
	eval(`window.__xss !== undefined ||
		document.querySelectorAll("body script:not([src]), #event-panel img, #events-table img, #event-panel b, .leaflet-tooltip img, .leaflet-popup img, .side img, .leaflet-marker-icon img").length > 0`, &injected)
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

	// In French, the alert and situation labels follow.
	run("French", chromedp.Click("#lang-toggle"))
	waitJS(`document.querySelector("#alerts-h").textContent.indexOf("Alertes") === 0 && document.querySelector("#situations-list").textContent.indexOf("Axe") >= 0`)

	// A phone's width, in French: the layout stacks and still shows the panel.
	run("narrow", chromedp.EmulateViewport(390, 844))
	waitJS(`document.querySelector("#map").getBoundingClientRect().width <= 390 &&
		document.querySelector("#timeline .uplot").getBoundingClientRect().width <= 390`)
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
