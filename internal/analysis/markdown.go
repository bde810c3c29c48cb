package analysis

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
)

// Markdown writes the brief as Markdown.
func (b Brief) Markdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	h := b.Headline
	p("# Weekly brief %s (%s to %s)\n\n", b.Week, b.From, b.To)
	p("**%d incidents** (%s the mean of %.1f over the previous %d weeks), **%d fatalities** (%s %.1f), in %d regions.\n\n",
		h.Incidents, versus(float64(h.Incidents), h.PrevIncidents), h.PrevIncidents, ComparePeriods,
		h.Fatalities, versus(float64(h.Fatalities), h.PrevFatalities), h.PrevFatalities, h.Regions)
	for _, n := range b.Nearest {
		p("Nearest attack to %s: %s on %s, %.0f km away.\n\n", mdCell(n.Point), mdCell(n.Place), n.Date, n.Km)
	}

	p("## By region\n\n")
	if len(b.Regions) == 0 {
		p("No incidents this week or in the previous %d weeks.\n\n", ComparePeriods)
	} else {
		p("| region | country | incidents | fatalities | previous %d weeks (mean) | change |\n", ComparePeriods)
		p("| --- | --- | ---: | ---: | ---: | ---: |\n")
		for _, r := range b.Regions {
			p("| %s | %s | %d | %d | %.1f | %s |\n", mdCell(r.Key), mdCell(r.Country), r.Events, r.Fatalities, r.PrevEvents, pct(r.Change))
		}
		p("\n")
	}

	p("## Most serious incidents\n\n")
	if len(b.Serious) == 0 {
		p("None reported.\n\n")
	}
	for i, e := range b.Serious {
		p("%d. **%s, %s** (%s): %s", i+1, mdCell(placeLabel(e.Place)), day(e.Date), mdCell(what(e.SubEventType, e.EventType)), mdCell(actors(e)))
		if e.Fatalities > 0 {
			p("; %d killed", e.Fatalities)
		}
		p(". Event `%s`.\n", e.ID)
		for _, s := range e.Sources {
			label := mdCell(sourceLabel(s))
			if s.URL != "" {
				label = "[" + label + "](" + mdURL(s.URL) + ")"
			}
			p("   - %s", label)
			if s.Published != "" {
				p(", %s", s.Published)
			}
			if s.Excerpt != "" {
				p(": “%s”", mdCell(clip(s.Excerpt, 240)))
			}
			p("\n")
		}
	}
	p("\n")

	p("## New areas\n\n")
	if len(b.NewAreas) == 0 {
		p("None.\n\n")
	}
	for _, al := range b.NewAreas {
		p("- %s. %s.\n", mdCell(al.Title), mdCell(al.Why))
	}
	if len(b.NewAreas) > 0 {
		p("\n")
	}

	p("## Routes\n\n| corridor | status | since | attacks this week |\n| --- | --- | --- | ---: |\n")
	for _, r := range b.Routes {
		p("| %s | %s | %s | %d |\n", mdCell(r.Name), mdCell(r.Status), r.Since, r.Attacks)
	}
	p("\n## Situations\n\n")
	if len(b.Situations) == 0 {
		p("No blockade, siege, encirclement or change of hands in force.\n\n")
	} else {
		p("| place | status | since | latest |\n| --- | --- | --- | --- |\n")
		for _, s := range b.Situations {
			last := s.History[len(s.History)-1]
			p("| %s | %s | %s | %s |\n", mdCell(s.Subject), mdCell(s.Status), s.Since, mdCell(last.Why))
		}
		p("\n")
	}

	p("## Alerts of the week\n\n")
	if len(b.Alerts) == 0 {
		p("None.\n")
	}
	for _, al := range b.Alerts {
		p("- **%s** %s. %s. Events: %s.\n", al.Rule, mdCell(al.Title), mdCell(al.Why), codeList(al.EventIDs))
	}
	return bw.Flush()
}

// WriteAlertsMarkdown writes alerts as a Markdown list, one per line.
func WriteAlertsMarkdown(w io.Writer, alerts []Alert) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Alerts (%d)\n\n", len(alerts))
	for _, al := range alerts {
		fmt.Fprintf(bw, "- %s **%s** %s. %s. Events: %s. Key `%s`.\n", al.Date, al.Rule, mdCell(al.Title), mdCell(al.Why), codeList(al.EventIDs), al.Key)
	}
	return bw.Flush()
}

func codeList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = "`" + strings.ReplaceAll(id, "`", "") + "`"
	}
	return strings.Join(q, ", ")
}

// versus says how now compares with before in words.
func versus(now, before float64) string {
	switch {
	case math.Abs(now-before) < 0.05:
		return "level with"
	case now > before:
		return "up on"
	}
	return "down on"
}

func pct(c float64) string {
	switch {
	case math.IsInf(c, 1):
		return "new"
	case c == 0:
		return "0%"
	}
	return fmt.Sprintf("%+.0f%%", c)
}

var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "*", `\*`, "_", `\_`, "`", "'", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)

// mdCell escapes text for a Markdown table cell or list item.
func mdCell(s string) string { return mdEscaper.Replace(s) }

func mdURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "\n", "", "<", "%3C", ">", "%3E").Replace(u)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}
