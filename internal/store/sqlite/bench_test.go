package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

var benchRegions = []struct {
	country, admin1, loc string
	lat, lon             float64
}{
	{"Mali", "Mopti", "Bandiagara", 14.35, -3.61},
	{"Mali", "Segou", "Ségou", 13.43, -6.26},
	{"Burkina Faso", "Sahel", "Djibo", 14.10, -1.63},
	{"Niger", "Tillaberi", "Ayorou", 14.73, 0.92},
	{"Mali", "Gao", "Gao", 16.27, -0.04},
}

var benchTypes = []string{"Battles", "Violence against civilians", "Explosions/Remote violence", "Protests"}

// synthReport builds report n with k synthetic events spread over 2023-2024.
func synthReport(n, k int) (*event.Report, []event.Event) {
	var text strings.Builder
	evs := make([]event.Event, k)
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range k {
		g := n*k + i
		reg := benchRegions[g%len(benchRegions)]
		sentence := fmt.Sprintf("Incident %d: armed men attacked a post near %s and %d people died. ", g, reg.loc, g%9)
		start := text.Len()
		text.WriteString(sentence)
		evs[i] = event.Event{
			Date: base.AddDate(0, 0, g%730), TimePrecision: 1, Kind: event.Incident,
			EventType: benchTypes[g%len(benchTypes)], SubEventType: "Armed clash",
			Actor1: event.Actor{Name: fmt.Sprintf("Group %d", g%13), Inter: 2},
			Actor2: event.Actor{Name: "Military Forces of Mali (2021-)", Inter: 1},
			Place: event.Place{Name: reg.loc, Country: reg.country, Admin1: reg.admin1,
				Lat: reg.lat + float64(g%10)/100, Lon: reg.lon + float64(g%7)/100, Precision: 1},
			Fatalities: g % 9, Confidence: 0.8,
			Evidence: []event.Evidence{{Start: start, End: text.Len(), Text: sentence}},
		}
	}
	return &event.Report{Doc: fmt.Sprintf("bench-%d", n), Text: text.String(), Hash: fmt.Sprintf("hash-%d", n)}, evs
}

// benchMerger merges same type and place within the window, like dedupe would.
type benchMerger struct{}

func (benchMerger) Window(event.Event) int { return 2 }
func (benchMerger) Merge(in event.Event, cands []event.Event) (int, event.Event, map[string]string) {
	for i, c := range cands {
		if c.EventType == in.EventType && c.Place.Name == in.Place.Name && c.Actor1.Name == in.Actor1.Name {
			return i, c, map[string]string{"all": "stored"}
		}
	}
	return -1, event.Event{}, nil
}

// BenchmarkSaveReport saves reports of 5 events each, with a merger, into
// a store that already holds 10,000 events.
func BenchmarkSaveReport(b *testing.B) {
	s := openTemp(b)
	defer s.Close()
	ctx := context.Background()
	seedBench(b, s, 10000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, evs := synthReport(100000+i, 5)
		if _, err := s.SaveReport(ctx, r, evs, benchMerger{}); err != nil {
			b.Fatal(err)
		}
	}
}

func seedBench(b *testing.B, s *Store, n int) {
	b.Helper()
	for i := range n / 100 {
		r, evs := synthReport(i, 100)
		if _, err := s.SaveReport(context.Background(), r, evs, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventsFiltered lists pages of 100 from 10,000 events under
// typical dashboard filters.
func BenchmarkEventsFiltered(b *testing.B) {
	s := openTemp(b)
	defer s.Close()
	seedBench(b, s, 10000)
	box := [4]float64{-4, 13.5, -1, 15}
	for _, bc := range []struct {
		name string
		f    store.Filter
	}{
		{"all", store.Filter{}},
		{"country+type", store.Filter{Country: "Mali", EventType: "Battles"}},
		{"daterange", store.Filter{From: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)}},
		{"bbox", store.Filter{BBox: &box}},
		{"fulltext", store.Filter{Query: "segou"}},
		{"actor", store.Filter{Actor: "group 7"}},
		{"fatalities-sort", store.Filter{Sort: "fatalities", MinFatalities: 3}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				evs, _, err := s.Events(context.Background(), bc.f)
				if err != nil || len(evs) == 0 {
					b.Fatalf("%d events, %v", len(evs), err)
				}
			}
		})
	}
}
