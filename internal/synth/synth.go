package synth

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

var (
	//go:embed data/places.tsv
	placesTSV string
	//go:embed data/actors.tsv
	actorsTSV string
	//go:embed data/templates.tsv
	templatesTSV string
)

// Place is a place name the reports use, with its country in each language.
type Place struct{ Name, CountryEN, CountryFR string }

type actor struct{ en, fr string }

// Generator writes synthetic reports. It is not safe for concurrent use.
type Generator struct {
	seed   uint64
	places []Place
	actors map[string][]actor             // role -> phrases
	tmpl   map[string]map[string][]string // lang -> part -> templates
	// HTMLShare is the fraction of reports written as HTML pages.
	HTMLShare float64
	// FrenchShare is the fraction of reports written in French.
	FrenchShare float64
	// Start is the publication date of the first report; later reports
	// are spread over the following year.
	Start time.Time
}

// New returns a Generator for seed, with a quarter of the reports as HTML
// and 40% in French.
func New(seed uint64) *Generator {
	g := &Generator{seed: seed, actors: map[string][]actor{}, tmpl: map[string]map[string][]string{},
		HTMLShare: 0.25, FrenchShare: 0.4, Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, f := range fields(placesTSV, 3) {
		g.places = append(g.places, Place{f[0], f[1], f[2]})
	}
	for _, f := range fields(actorsTSV, 3) {
		g.actors[f[0]] = append(g.actors[f[0]], actor{f[1], f[2]})
	}
	for _, f := range fields(templatesTSV, 3) {
		if g.tmpl[f[0]] == nil {
			g.tmpl[f[0]] = map[string][]string{}
		}
		g.tmpl[f[0]][f[1]] = append(g.tmpl[f[0]][f[1]], f[2])
	}
	return g
}

// Places returns the place names the reports draw from.
func (g *Generator) Places() []Place { return append([]Place(nil), g.places...) }

// fields splits the non-comment lines of an embedded TSV file. The files
// are ours and checked by tests, so a short line is skipped, not an error.
func fields(tsv string, n int) [][]string {
	var out [][]string
	sc := bufio.NewScanner(strings.NewReader(tsv))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) >= n {
			out = append(out, f[:n])
		}
	}
	return out
}

var (
	weekdaysEN = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	weekdaysFR = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	monthsFR   = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	numbersEN  = []string{"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "fifteen", "twenty"}
	numbersFR  = []string{"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "douze", "quinze", "vingt"}
)

// Report returns the i-th report.
func (g *Generator) Report(i int) event.Report {
	rng := rand.New(rand.NewPCG(g.seed, uint64(i)))
	lang := "en"
	if rng.Float64() < g.FrenchShare {
		lang = "fr"
	}
	published := g.Start.Add(time.Duration(i%365) * 24 * time.Hour)
	when := published.AddDate(0, 0, -1-rng.IntN(3))
	p := g.places[rng.IntN(len(g.places))]
	p2 := g.places[rng.IntN(len(g.places))]
	slots := map[string]string{
		"{place}":  p.Name,
		"{place2}": p2.Name,
		"{armed}":  g.pick(rng, "armed", lang),
		"{state}":  g.pick(rng, "state", lang),
		"{civ}":    g.pick(rng, "civ", lang),
		"{km}":     fmt.Sprint(5 + rng.IntN(40)),
		"{m}":      fmt.Sprint(2 + rng.IntN(30)),
	}
	n := 3 + rng.IntN(60)
	if lang == "en" {
		slots["{country}"] = p.CountryEN
		slots["{day}"] = weekdaysEN[when.Weekday()]
		slots["{date}"] = when.Format("2 January 2006")
		slots["{n}"] = fmt.Sprint(n)
		if rng.IntN(3) == 0 {
			slots["{n}"] = numbersEN[rng.IntN(len(numbersEN))]
		}
	} else {
		slots["{country}"] = p.CountryFR
		slots["{day}"] = weekdaysFR[when.Weekday()]
		slots["{date}"] = fmt.Sprintf("%d %s %d", when.Day(), monthsFR[when.Month()-1], when.Year())
		slots["{n}"] = fmt.Sprint(n)
		if rng.IntN(3) == 0 {
			slots["{n}"] = numbersFR[rng.IntN(len(numbersFR))]
		}
	}
	r := strings.NewReplacer(flatten(slots)...)
	t := g.tmpl[lang]
	say := func(part string) string { return sentence(r.Replace(t[part][rng.IntN(len(t[part]))])) }

	title := say("head")
	var paras []string
	paras = append(paras, say("lead"))
	for range 1 + rng.IntN(3) {
		paras = append(paras, say("follow"))
	}
	if rng.IntN(2) == 0 {
		paras = append(paras, say("context"))
	}
	var junk []string
	for range 2 + rng.IntN(4) {
		junk = append(junk, say("junk"))
	}
	rep := event.Report{
		Doc:        fmt.Sprintf("synth-%06d", i),
		URL:        fmt.Sprintf("https://news.example.org/%s/%06d", lang, i),
		Outlet:     "news.example.org",
		Published:  published,
		DateSource: "input",
	}
	if rng.Float64() < g.HTMLShare {
		rep.Format = "html"
		rep.Raw = page(lang, title, published, paras, junk)
	} else {
		rep.Format = "text"
		rep.Raw = text(rng, title, paras, junk)
	}
	return rep
}

func (g *Generator) pick(rng *rand.Rand, role, lang string) string {
	as := g.actors[role]
	a := as[rng.IntN(len(as))]
	if lang == "fr" {
		return a.fr
	}
	return a.en
}

func flatten(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// sentence capitalises the first letter, as templates may start with a slot.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// text lays a report out as scraped text: headline, junk lines scattered
// between paragraphs.
func text(rng *rand.Rand, title string, paras, junk []string) []byte {
	var b bytes.Buffer
	b.WriteString(title + "\n\n")
	for i, p := range paras {
		b.WriteString(p + "\n\n")
		if i < len(junk) && rng.IntN(2) == 0 {
			b.WriteString(junk[i] + "\n\n")
		}
	}
	for _, j := range junk {
		b.WriteString(j + "\n")
	}
	return b.Bytes()
}

// page lays a report out as a news site's HTML page: cookie banner,
// navigation, the article, a sidebar and a footer.
func page(lang, title string, published time.Time, paras, junk []string) []byte {
	var b bytes.Buffer
	esc := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=%q>\n<head>\n<meta charset=\"utf-8\">\n<title>%s – Sahel Daily</title>\n", lang, esc(title))
	fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=%q>\n</head>\n<body>\n", published.Format(time.RFC3339))
	b.WriteString("<div class=\"cookie-banner\">We use cookies. <button>Accept</button></div>\n")
	b.WriteString("<header><nav><a href=\"/\">Home</a> | <a href=\"/mali\">Mali</a> | <a href=\"/burkina\">Burkina Faso</a> | <a href=\"/niger\">Niger</a></nav></header>\n")
	fmt.Fprintf(&b, "<main><article>\n<h1>%s</h1>\n", esc(title))
	for i, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(p))
		if i == 0 && len(junk) > 0 {
			fmt.Fprintf(&b, "<div class=\"ad\">%s</div>\n", esc(junk[0]))
		}
	}
	b.WriteString("</article>\n<aside class=\"related\"><ul>\n")
	for _, j := range junk[min(1, len(junk)):] {
		fmt.Fprintf(&b, "<li><a href=\"/related\">%s</a></li>\n", esc(j))
	}
	b.WriteString("</ul></aside></main>\n<footer>Sahel Daily – Contact – Legal notice</footer>\n</body>\n</html>\n")
	return b.Bytes()
}
