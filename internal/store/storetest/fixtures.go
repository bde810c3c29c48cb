package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// day parses a YYYY-MM-DD date; fixtures only use valid ones.
func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic("storetest: bad fixture date " + s) // a typo in this file, never input
	}
	return t
}

// newReport builds a report whose hash is the hash of its text.
func newReport(doc, text string) *event.Report {
	sum := sha256.Sum256([]byte(text))
	return &event.Report{
		Doc:        doc,
		URL:        "https://news.example.org/" + doc,
		Outlet:     "news.example.org",
		Title:      "Report " + doc,
		Author:     "Desk",
		Published:  day("2024-03-12").Add(9 * time.Hour),
		DateSource: "input",
		Lang:       "en",
		Format:     "text",
		Text:       text,
		Hash:       hex.EncodeToString(sum[:]),
	}
}

// spec describes a fixture event in a few fields.
type spec struct {
	id, date, typ, sub string
	a1, a2, a2assoc    string
	country, adm1, loc string
	lat, lon           float64
	fatalities         int
	kind               event.Kind
	sentence           string // must occur in the report text
	notes              string
}

// newEvent builds the event spec describes, with evidence pointing at its
// sentence inside r.Text.
func newEvent(r *event.Report, s spec) event.Event {
	kind := s.kind
	if kind == "" {
		kind = event.Incident
	}
	start := strings.Index(r.Text, s.sentence)
	if start < 0 {
		panic("storetest: fixture sentence not in report " + r.Doc) // a typo in this file
	}
	return event.Event{
		ID:            s.id,
		Doc:           r.Doc,
		Date:          day(s.date),
		TimePrecision: event.DayPrecision,
		EventType:     s.typ,
		SubEventType:  s.sub,
		Actor1:        event.Actor{Name: s.a1, Inter: 1},
		Actor2:        event.Actor{Name: s.a2, Assoc: s.a2assoc, Inter: 2},
		Place: event.Place{
			Name: s.loc, Mention: s.loc, Country: s.country, Admin1: s.adm1, Admin2: s.adm1 + " cercle",
			Lat: s.lat, Lon: s.lon, Precision: event.PlacePrecision, GeonameID: 42,
		},
		Fatalities:     s.fatalities,
		FatalitiesLow:  s.fatalities,
		FatalitiesHigh: s.fatalities,
		Kind:           kind,
		Confidence:     0.75,
		Evidence:       []event.Evidence{{Doc: r.Doc, Start: start, End: start + len(s.sentence), Text: s.sentence}},
		Notes:          s.notes,
	}
}

// testMerger merges an incoming event into the first candidate with the
// same event type and location name whose date is within the window. The
// merged event keeps the larger fatality figure and widens the range.
type testMerger struct{ window int }

func (m testMerger) Window(event.Event) int { return m.window }

func (m testMerger) Merge(in event.Event, cands []event.Event) (int, event.Event, map[string]string) {
	for i, c := range cands {
		d := in.Date.Sub(c.Date).Hours() / 24
		if c.EventType != in.EventType || c.Place.Name != in.Place.Name || d > float64(m.window) || d < -float64(m.window) {
			continue
		}
		merged := c
		merged.Fatalities = max(c.Fatalities, in.Fatalities)
		merged.FatalitiesLow = min(c.FatalitiesLow, in.Fatalities)
		merged.FatalitiesHigh = max(c.FatalitiesHigh, in.Fatalities)
		return i, merged, map[string]string{"fatalities": "max", "location": "same name"}
	}
	return -1, event.Event{}, nil
}

// badMerger always names a candidate that does not exist.
type badMerger struct{}

func (badMerger) Window(event.Event) int { return 30 }
func (badMerger) Merge(_ event.Event, cands []event.Event) (int, event.Event, map[string]string) {
	return len(cands) + 3, event.Event{}, nil
}

// The filter fixtures: five reports, seven events across three countries.
var (
	textMali = "Soldiers clashed with JNIM fighters near Bandiagara on Saturday; twelve people died. " +
		"Later that week, troops and Katiba Macina militants fought at the edge of Ségou, and seven were killed."
	textBurkina = "Gunmen killed four villagers outside Djibo on Tuesday, residents said."
	textNiger   = "A roadside bomb struck a convoy near Ayorou on Saturday without causing deaths."
	textWeekly  = "Sixteen attacks were recorded across central Mali during the week, according to monitors."
	textGao     = "Officials in Gao announced a curfew after a night of unrest."
)

func filterFixtures() []struct {
	r  *event.Report
	es []spec
} {
	return []struct {
		r  *event.Report
		es []spec
	}{
		{newReport("mali-1", textMali), []spec{
			{id: "EV-BANDIAGARA", date: "2024-03-02", typ: "Battles", sub: "Armed clash",
				a1: "Military Forces of Mali (2021-)", a2: "JNIM: Group for Support of Islam and Muslims",
				country: "Mali", adm1: "Mopti", loc: "Bandiagara", lat: 14.35, lon: -3.61, fatalities: 12,
				sentence: "Soldiers clashed with JNIM fighters near Bandiagara on Saturday; twelve people died."},
			{id: "EV-SEGOU", date: "2024-03-06", typ: "Battles", sub: "Armed clash",
				a1: "Military Forces of Mali (2021-)", a2: "Katiba Macina", a2assoc: "JNIM: Group for Support of Islam and Muslims",
				country: "Mali", adm1: "Segou", loc: "Segou", lat: 13.43, lon: -6.26, fatalities: 7,
				sentence: "troops and Katiba Macina militants fought at the edge of Ségou, and seven were killed."},
		}},
		{newReport("burkina-1", textBurkina), []spec{
			{id: "EV-DJIBO", date: "2024-03-05", typ: "Violence against civilians", sub: "Attack",
				a1: "Unidentified Armed Group (Burkina Faso)", a2: "Civilians (Burkina Faso)",
				country: "Burkina Faso", adm1: "Sahel", loc: "Djibo", lat: 14.10, lon: -1.63, fatalities: 4,
				sentence: textBurkina},
		}},
		{newReport("niger-1", textNiger), []spec{
			{id: "EV-AYOROU", date: "2024-03-09", typ: "Explosions/Remote violence", sub: "Remote explosive/landmine/IED",
				a1: "Islamic State Sahel Province", a2: "Military Forces of Niger (2023-)",
				country: "Niger", adm1: "Tillaberi", loc: "Ayorou", lat: 14.73, lon: 0.92, fatalities: 0,
				sentence: textNiger, notes: "Convoy hit by an improvised device."},
		}},
		{newReport("weekly-1", textWeekly), []spec{
			{id: "EV-WEEKLY", date: "2024-03-08", typ: "Battles", kind: event.Aggregate,
				a1: "Unidentified Armed Group (Mali)", country: "Mali", adm1: "Mopti", fatalities: 0,
				sentence: textWeekly},
		}},
		{newReport("gao-1", textGao), []spec{
			{id: "EV-GAO", date: "2024-02-20", typ: "Strategic developments", sub: "Other",
				a1: "Government of Mali (2021-)", country: "Mali", adm1: "Gao", loc: "Gao", lat: 16.27, lon: -0.04,
				sentence: textGao},
		}},
	}
}
