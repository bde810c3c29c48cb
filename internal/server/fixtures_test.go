package server

import (
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// The fixture report is written for these tests; it describes no real event.
const sampleText = "Gunmen on motorbikes attacked an army post near Diallassagou on Tuesday, " +
	"local officials said. Seven soldiers and three assailants died in the fighting, " +
	"which lasted about two hours. A second source put the toll at twelve.\n" +
	"Élus locaux : « la situation reste tendue ».\n"

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// sampleEvent exercises every field of the record, including a second
// source, a fatality range, accents and a quote in the notes.
func sampleEvent() event.Event {
	ev := "Seven soldiers and three assailants died in the fighting"
	start := strings.Index(sampleText, ev)
	return event.Event{
		ID:            "SW-MLI-000001",
		Doc:           "test/diallassagou-post.txt",
		Date:          day("2024-03-05"),
		TimePrecision: event.DayPrecision,
		EventType:     "Battles",
		SubEventType:  "Armed clash",
		Actor1:        event.Actor{Name: "Military Forces of Mali (2021-)", Inter: 1},
		Actor2:        event.Actor{Name: "Unidentified Armed Group (Mali)", Assoc: "Dozo Militia", Inter: 3},
		Place: event.Place{Name: "Diallassagou", Mention: "near Diallassagou", Country: "Mali", Admin1: "Mopti",
			Admin2: "Bankass", Lat: 13.7167, Lon: -3.6, Precision: event.NearPrecision},
		Fatalities:     10,
		FatalitiesLow:  10,
		FatalitiesHigh: 12,
		Kind:           event.Incident,
		Confidence:     0.82,
		Evidence:       []event.Evidence{{Doc: "test/diallassagou-post.txt", Start: start, End: start + len(ev), Text: ev}},
		Notes:          `On 5 March 2024, gunmen attacked an army post near Diallassagou (Bankass, Mopti); "7 soldiers" and 3 assailants killed.`,
		Sources: []event.Source{
			{Doc: "test/diallassagou-post.txt", URL: "https://news.example.org/a", Outlet: "Example News", Published: "2024-03-06", Excerpt: ev, Fatalities: 10},
			{Doc: "test/second.txt", URL: "https://journal.example.net/b", Outlet: "Le Journal d'Exemple", Published: "2024-03-07", Excerpt: "douze morts", Fatalities: 12},
		},
	}
}

// fixtureStore holds the sample event, a few plainer ones and their report.
func fixtureStore() *memStore {
	m := &memStore{revisions: map[string][]store.Revision{}}
	m.reports = append(m.reports, event.Report{Doc: "test/diallassagou-post.txt", URL: "https://news.example.org/a",
		Title: "Army post attacked", Lang: "en", Text: sampleText, Published: day("2024-03-06")})
	m.events = append(m.events, sampleEvent())
	m.revisions["SW-MLI-000001"] = []store.Revision{
		{At: time.Date(2024, 3, 6, 9, 0, 0, 0, time.UTC), Doc: "test/diallassagou-post.txt", Action: "created"},
		{At: time.Date(2024, 3, 7, 9, 0, 0, 0, time.UTC), Doc: "test/second.txt", Action: "merged", Changes: map[string]string{"fatalities_high": "12"}},
	}
	m.events = append(m.events,
		event.Event{ID: "SW-BFA-000002", Doc: "test/djibo.txt", Date: day("2024-02-20"), TimePrecision: 2,
			EventType: "Violence against civilians", SubEventType: "Attack", Kind: event.Incident,
			Actor1:     event.Actor{Name: "JNIM: Group for Support of Islam and Muslims", Inter: 2},
			Place:      event.Place{Name: "Djibo", Country: "Burkina Faso", Admin1: "Sahel", Admin2: "Soum", Lat: 14.1, Lon: -1.63, Precision: 1},
			Fatalities: 4, Notes: "Civilians killed at a market."},
		event.Event{ID: "SW-MLI-000003", Doc: "test/gao.txt", Date: day("2024-01-10"), TimePrecision: 3,
			EventType: "Strategic developments", SubEventType: "Looting/property destruction", Kind: event.Situation,
			Place: event.Place{Country: "Mali", Admin1: "Gao", Lat: 16.27, Lon: -0.04, Precision: 3, Unresolved: "Tin-Hama"},
			Notes: "Blockade of the road continues."},
	)
	return m
}
