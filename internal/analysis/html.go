package analysis

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

const briefCSS = `body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left}
td.n,th.n{text-align:right}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em}.fig{display:flex;gap:1em;flex-wrap:wrap}
.src{color:#555;font-size:.9em}svg{border:1px solid #ccc;background:#fbfaf6}.key{font-size:.85em;color:#555}`

// BriefCSP is the Content-Security-Policy of the HTML brief: nothing
// loads from anywhere, and the one style block is allowed by its hash.
var BriefCSP = func() string {
	h := sha256.Sum256([]byte(briefCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// HTML writes the brief as one self-contained HTML page with an SVG map
// of the week's incidents and corridors, and an SVG chart of the weeks.
func (b Brief) HTML(w io.Writer) error {
	var s strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&s, format, args...) }
	e := html.EscapeString
	h := b.Headline
	p("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Weekly brief %s</title>\n<style>%s</style></head><body>\n", b.Week, briefCSS)
	p("<h1>Weekly brief %s (%s to %s)</h1>\n", b.Week, b.From, b.To)
	p("<p><strong>%d incidents</strong> (%s the mean of %.1f over the previous %d weeks), <strong>%d fatalities</strong> (%s %.1f), in %d regions.</p>\n",
		h.Incidents, versus(float64(h.Incidents), h.PrevIncidents), h.PrevIncidents, ComparePeriods,
		h.Fatalities, versus(float64(h.Fatalities), h.PrevFatalities), h.PrevFatalities, h.Regions)
	for _, n := range b.Nearest {
		p("<p>Nearest attack to %s: %s on %s, %.0f km away.</p>\n", e(n.Point), e(n.Place), n.Date, n.Km)
	}
	p("<div class=\"fig\">%s%s</div>\n", b.mapSVG(), b.chartSVG())
	p("<p class=\"key\">Map: incidents of the week (red, larger for more deaths), watched points (squares), corridors coloured by status (red contested, black cut or blockaded, grey otherwise).</p>\n")

	p("<h2>By region</h2>\n<table><tr><th>region</th><th>country</th><th class=n>incidents</th><th class=n>fatalities</th><th class=n>previous %d weeks (mean)</th><th class=n>change</th></tr>\n", ComparePeriods)
	for _, r := range b.Regions {
		p("<tr><td>%s</td><td>%s</td><td class=n>%d</td><td class=n>%d</td><td class=n>%.1f</td><td class=n>%s</td></tr>\n", e(r.Key), e(r.Country), r.Events, r.Fatalities, r.PrevEvents, pct(r.Change))
	}
	p("</table>\n<h2>Most serious incidents</h2>\n<ol>\n")
	for _, ev := range b.Serious {
		p("<li><strong>%s, %s</strong> (%s): %s", e(placeLabel(ev.Place)), day(ev.Date), e(what(ev.SubEventType, ev.EventType)), e(actors(ev)))
		if ev.Fatalities > 0 {
			p("; %d killed", ev.Fatalities)
		}
		p(". <code>%s</code><ul class=\"src\">", e(ev.ID))
		for _, src := range ev.Sources {
			label := e(sourceLabel(src))
			if u := src.URL; strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
				label = fmt.Sprintf("<a href=\"%s\" rel=\"noreferrer\">%s</a>", e(u), label)
			}
			p("<li>%s", label)
			if src.Published != "" {
				p(", %s", e(src.Published))
			}
			if src.Excerpt != "" {
				p(": “%s”", e(clip(src.Excerpt, 240)))
			}
			p("</li>")
		}
		p("</ul></li>\n")
	}
	p("</ol>\n<h2>New areas</h2>\n")
	list := func(alerts []Alert, withRule bool) {
		if len(alerts) == 0 {
			p("<p>None.</p>\n")
			return
		}
		p("<ul>\n")
		for _, al := range alerts {
			p("<li>")
			if withRule {
				p("<strong>%s</strong> ", e(al.Rule))
			}
			p("%s. %s. <span class=\"src\">Events: %s</span></li>\n", e(al.Title), e(al.Why), e(strings.Join(al.EventIDs, ", ")))
		}
		p("</ul>\n")
	}
	list(b.NewAreas, false)
	p("<h2>Routes</h2>\n<table><tr><th>corridor</th><th>status</th><th>since</th><th class=n>attacks this week</th></tr>\n")
	for _, r := range b.Routes {
		p("<tr><td>%s</td><td>%s</td><td>%s</td><td class=n>%d</td></tr>\n", e(r.Name), e(r.Status), r.Since, r.Attacks)
	}
	p("</table>\n<h2>Situations</h2>\n")
	if len(b.Situations) == 0 {
		p("<p>No blockade, siege, encirclement or change of hands in force.</p>\n")
	} else {
		p("<table><tr><th>place</th><th>status</th><th>since</th><th>latest</th></tr>\n")
		for _, st := range b.Situations {
			p("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", e(st.Subject), e(st.Status), st.Since, e(st.History[len(st.History)-1].Why))
		}
		p("</table>\n")
	}
	p("<h2>Alerts of the week</h2>\n")
	list(b.Alerts, true)
	p("</body></html>\n")
	_, err := io.WriteString(w, s.String())
	return err
}

// proj maps lon/lat into an SVG box with an equirectangular projection
// scaled by the cosine of the middle latitude.
type proj struct {
	minLon, maxLat, k, kx float64
}

func newProj(pts [][2]float64, width float64) (proj, float64) {
	minLon, maxLon, minLat, maxLat := -12.5, 4.5, 10.0, 20.0 // Mali and Burkina Faso at least
	for _, q := range pts {
		minLon, maxLon = math.Min(minLon, q[0]-0.5), math.Max(maxLon, q[0]+0.5)
		minLat, maxLat = math.Min(minLat, q[1]-0.5), math.Max(maxLat, q[1]+0.5)
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	k := width / ((maxLon - minLon) * kx)
	return proj{minLon, maxLat, k, kx}, (maxLat - minLat) * k
}

func (p proj) xy(lon, lat float64) (float64, float64) {
	return (lon - p.minLon) * p.kx * p.k, (p.maxLat - lat) * p.k
}

func (b Brief) mapSVG() string {
	var pts [][2]float64
	for _, ev := range b.events {
		if ev.Place.Known() {
			pts = append(pts, [2]float64{ev.Place.Lon, ev.Place.Lat})
		}
	}
	const width = 560.0
	pr, height := newProj(pts, width)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="Map of the week's incidents">`, width, height, width, height)
	// A graticule every 2 degrees, for scale.
	for lon := -12.0; lon <= 16; lon += 2 {
		x, _ := pr.xy(lon, 0)
		if x >= 0 && x <= width {
			fmt.Fprintf(&s, `<line x1="%.1f" y1="0" x2="%.1f" y2="%.0f" stroke="#e6e3da"/>`, x, x, height)
		}
	}
	for lat := 8.0; lat <= 26; lat += 2 {
		_, y := pr.xy(0, lat)
		if y >= 0 && y <= height {
			fmt.Fprintf(&s, `<line x1="0" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#e6e3da"/><text x="2" y="%.1f" font-size="9" fill="#999">%.0f°N</text>`, y, width, y, y-2, lat)
		}
	}
	for _, c := range b.corridors {
		colour, dash := "#999", ""
		switch {
		case c.Status == StatusContested:
			colour = "#c62828"
		case strings.Contains(c.Status, "cut") || strings.Contains(c.Status, "blockaded"):
			colour, dash = "#111", ` stroke-dasharray="5 3"`
		}
		var q []string
		for _, v := range c.Line {
			x, y := pr.xy(v[0], v[1])
			q = append(q, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&s, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s><title>%s: %s</title></polyline>`,
			strings.Join(q, " "), colour, dash, html.EscapeString(c.Name), html.EscapeString(c.Status))
	}
	for _, wp := range b.points {
		x, y := pr.xy(wp.Lon, wp.Lat)
		fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="7" height="7" fill="#1e40af"/><text x="%.1f" y="%.1f" font-size="11" fill="#1e40af">%s</text>`,
			x-3.5, y-3.5, x+6, y+4, html.EscapeString(wp.Name))
	}
	labelled := map[string]bool{}
	for _, ev := range b.events {
		if !ev.Place.Known() {
			continue
		}
		x, y := pr.xy(ev.Place.Lon, ev.Place.Lat)
		r := 3 + math.Sqrt(float64(ev.Fatalities))
		fmt.Fprintf(&s, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#c62828" fill-opacity="0.6" stroke="#7f1d1d"><title>%s, %s: %s</title></circle>`,
			x, y, r, html.EscapeString(ev.Place.Name), day(ev.Date), html.EscapeString(what(ev.SubEventType, ev.EventType)))
		if !labelled[ev.Place.Name] {
			labelled[ev.Place.Name] = true
			fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" font-size="10" fill="#333">%s</text>`, x+r+2, y-2, html.EscapeString(ev.Place.Name))
		}
	}
	s.WriteString(`</svg>`)
	return s.String()
}

func (b Brief) chartSVG() string {
	const width, height, pad = 300.0, 160.0, 20.0
	top := 1
	for _, wc := range b.Series {
		top = max(top, wc.Incidents)
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="Incidents per week">`, width, height, width, height)
	fmt.Fprintf(&s, `<text x="4" y="12" font-size="11" fill="#333">Incidents per week (max %d)</text>`, top)
	n := float64(len(b.Series))
	bw := (width - 2*pad) / math.Max(n, 1)
	for i, wc := range b.Series {
		hgt := (height - 2*pad - 10) * float64(wc.Incidents) / float64(top)
		x, y := pad+float64(i)*bw, height-pad-hgt
		colour := "#9ca3af"
		if wc.Week == b.Week {
			colour = "#c62828"
		}
		fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d incidents, %d killed</title></rect>`,
			x+1, y, bw-2, hgt, colour, wc.Week, wc.Incidents, wc.Fatalities)
		if i%3 == len(b.Series)%3 || i == len(b.Series)-1 {
			fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" font-size="8" fill="#555">W%s</text>`, x, height-6, strings.SplitN(wc.Week, "-W", 2)[1])
		}
	}
	s.WriteString(`</svg>`)
	return s.String()
}
