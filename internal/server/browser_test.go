package server

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/server/browsertest"
)

// TestDashboardInBrowser drives the dashboard in headless Chromium: rows,
// markers, keyboard opening of an event with its evidence highlighted, the
// language toggle, a filter, the timeline brush, and that markup in report
// text stays text. It is skipped when no Chromium is installed or with
// -short, and fails instead in CI (see browsertest). The demo's own browser
// test, over the real pipeline and store, is cli.TestDemoInBrowser.
func TestDashboardInBrowser(t *testing.T) {
	bctx := browsertest.Start(t, 1280, 1000)

	m := fixtureStore()
	const evilText = `Intro. <img src=x onerror="window.__xss=1"> Two men were hurt. End.`
	m.reports = append(m.reports, event.Report{Doc: "evil", Title: "<b>t</b>", Text: evilText})
	ev := "Two men were hurt"
	e := event.Event{ID: "EVIL-1", Doc: "evil", Date: day("2023-12-01"), EventType: "Riots", Kind: event.Incident,
		Place:    event.Place{Name: `<img src=x onerror="window.__xss=2">`, Country: "Mali", Admin1: "Kayes", Lat: 14.4, Lon: -11.4, Precision: 1},
		Notes:    `<script>window.__xss=3</script>`,
		Evidence: []event.Evidence{{Doc: "evil", Start: strings.Index(evilText, ev), End: strings.Index(evilText, ev) + len(ev), Text: ev}}}
	m.events = append(m.events, e)
	ts := httptest.NewServer(New(m, Options{}).Handler()) // binds 127.0.0.1
	defer ts.Close()

	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute) // a hang guard, not an assertion
	defer cancel()

	count := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text("#count"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	waitJS := func(expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible("#events-table tbody tr")); err != nil {
		t.Fatal(err)
	}
	waitJS(`document.querySelectorAll("#map path.leaflet-interactive[data-event-id]").length === 4`)
	if c := count(); c != "4" {
		t.Errorf("#count = %q, want 4", c)
	}

	// Keyboard: focus the first row (newest: the sample event) and press Enter.
	if err := chromedp.Do(ctx, chromedp.Focus("#events-table tbody tr:first-child"),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#evidence .highlight")); err != nil {
		t.Fatal(err)
	}
	hl, _ := chromedp.Run(ctx, chromedp.Text("#evidence .highlight"))
	if hl != "Seven soldiers and three assailants died in the fighting" {
		t.Errorf("highlight %q", hl)
	}

	// The event whose fields and report carry markup.
	if err := chromedp.Do(ctx, chromedp.Focus(`#events-table tbody tr[data-event-id="EVIL-1"]`),
		chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(`document.querySelector("#panel-id").textContent === "EVIL-1" && !!document.querySelector("#evidence .highlight")`)
	hl, _ = chromedp.Run(ctx, chromedp.Text("#evidence .highlight"))
	if hl != ev {
		t.Errorf("highlight %q, want %q", hl, ev)
	}
	injected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__xss !== undefined || document.querySelectorAll("#event-panel img, #event-panel script, #events-table img").length > 0`))
	if err != nil || injected {
		t.Errorf("markup from data became elements (err %v)", err)
	}

	// Language toggle.
	if err := chromedp.Do(ctx, chromedp.Click("#lang-toggle")); err != nil {
		t.Fatal(err)
	}
	waitJS(`document.querySelector("#table-h").textContent === "Événements"`)

	// A filter goes through the API.
	if err := chromedp.Do(ctx, chromedp.SetValue("#filter-type", "Battles"), chromedp.Click("#apply")); err != nil {
		t.Fatal(err)
	}
	waitJS(`document.querySelector("#count").textContent === "1"`)
	href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#csv-link").href`))
	if !strings.Contains(href, "events.csv?type=Battles") {
		t.Errorf("csv link %q", href)
	}

	// The brush: reset the filters, then drag across the right half of the
	// timeline, which holds only the newest weeks.
	if err := chromedp.Do(ctx, chromedp.Click("#reset")); err != nil {
		t.Fatal(err)
	}
	waitJS(`document.querySelector("#count").textContent === "4"`)
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){var r=document.querySelector("#timeline .u-over").getBoundingClientRect();return [r.left,r.top,r.width,r.height]})()`))
	if err != nil || len(box) != 4 {
		t.Fatalf("timeline box %v %v", box, err)
	}
	x0, x1, y := box[0]+box[2]*0.75, box[0]+box[2]-1, box[1]+box[3]/2
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (x0+x1)/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x1, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x1, y, chromedp.ButtonLeft)); err != nil {
		t.Fatal(err)
	}
	waitJS(`!document.querySelector("#clear-brush").hidden`)
	n, _ := strconv.Atoi(count())
	if n < 1 || n >= 4 {
		t.Errorf("after brushing the newest weeks #count = %d, want 1..3", n)
	}
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#events-table tbody tr").length`))
	if rows != n {
		t.Errorf("table shows %d rows, #count says %d", rows, n)
	}
}
