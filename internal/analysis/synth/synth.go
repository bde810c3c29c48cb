// Package synth generates synthetic event streams: a quiet background of
// incidents in fixed cercles, plus planted patterns (a spike, a new area,
// a route under repeated attack, an attack near Bamako, a mass-casualty
// attack) that the alert rules must find, and nothing else.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Planted is one pattern planted in a stream and the rule that must fire on it.
type Planted struct {
	Name     string
	Rule     string // analysis.Rule*
	EventIDs []string
}

// Stream is a generated event stream.
type Stream struct {
	Start   time.Time // Monday of the first week
	Weeks   int
	Events  []event.Event
	Planted []Planted
}

// cercle is a background place: off every corridor and far from Bamako.
type cercle struct {
	country, admin1, admin2, name string
	lat, lon                      float64
	typ                           string
}

var background = []cercle{
	{"Mali", "Menaka", "Menaka", "Ménaka", 15.92, 2.40, "Battles"},
	{"Mali", "Tombouctou", "Goundam", "Goundam", 16.41, -3.67, "Violence against civilians"},
	{"Mali", "Segou", "Bla", "Bla south", 12.60, -5.70, "Explosions/Remote violence"},
	{"Mali", "Koulikoro", "Kati", "Kati west", 13.40, -8.90, "Violence against civilians"},
	{"Burkina Faso", "Sahel", "Soum", "Djibo", 14.10, -1.63, "Battles"},
	{"Burkina Faso", "Est", "Gourma", "Fada N'Gourma", 12.06, 0.36, "Violence against civilians"},
	{"Niger", "Tillaberi", "Ouallam", "Ouallam", 14.32, 2.09, "Battles"},
}

var subTypes = map[string]string{
	"Battles":                    "Armed clash",
	"Violence against civilians": "Attack",
	"Explosions/Remote violence": "Remote explosive/landmine",
}

// Generate returns a stream of weeks weeks from start (a Monday), the same
// for the same seed. Planted patterns fall in the second half, after the
// rules' warm-up. Background cercles get one or two incidents a week.
func Generate(seed uint64, start time.Time, weeks int) (Stream, error) {
	if weeks < 36 {
		return Stream{}, fmt.Errorf("synth: %d weeks: need at least 36 for the baselines", weeks)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5a5a))
	s := Stream{Start: start, Weeks: weeks}
	n := 0
	add := func(prefix string, c cercle, lat, lon float64, date time.Time, typ string, deaths int) string {
		n++
		id := fmt.Sprintf("SYN-%s-%04d", prefix, n)
		s.Events = append(s.Events, event.Event{
			ID: id, Doc: "synthetic", Date: date, TimePrecision: event.DayPrecision, Kind: event.Incident,
			EventType: typ, SubEventType: subTypes[typ],
			Actor1: event.Actor{Name: "Unidentified Armed Group (" + c.country + ")", Inter: 3},
			Actor2: event.Actor{Name: "Civilians (" + c.country + ")", Inter: 7},
			Place: event.Place{Name: c.name, Country: c.country, Admin1: c.admin1, Admin2: c.admin2,
				Lat: lat, Lon: lon, Precision: event.PlacePrecision},
			Fatalities: deaths, FatalitiesLow: deaths, FatalitiesHigh: deaths,
			Notes: fmt.Sprintf("synthetic %s in %s", typ, c.name), Confidence: 0.9,
		})
		return id
	}
	jitter := func() float64 { return (rng.Float64() - 0.5) * 0.1 }
	for w := 0; w < weeks; w++ {
		for _, c := range background {
			for k := 0; k < 1+rng.IntN(2); k++ {
				d := start.AddDate(0, 0, 7*w+rng.IntN(7))
				add("bg", c, c.lat+jitter(), c.lon+jitter(), d, c.typ, rng.IntN(4))
			}
		}
	}
	week := func(w, d int) time.Time { return start.AddDate(0, 0, 7*w+d) }
	half := weeks / 2

	// A spike: ten more clashes in Soum in one week.
	spike := Planted{Name: "spike in Soum", Rule: analysis.RuleSpike}
	for k := 0; k < 10; k++ {
		spike.EventIDs = append(spike.EventIDs, add("spike", background[4], 14.10+jitter(), -1.63+jitter(), week(half+6, k%7), "Battles", rng.IntN(4)))
	}
	// A new area: the first attack ever in Ténenkou cercle.
	newArea := Planted{Name: "new area Tenenkou", Rule: analysis.RuleNewArea}
	tk := cercle{"Mali", "Mopti", "Tenenkou", "Ténenkou", 14.46, -4.92, ""}
	newArea.EventIDs = append(newArea.EventIDs, add("new", tk, tk.lat, tk.lon, week(half+2, 3), "Violence against civilians", 2))

	// A route under repeated attack: four bombs on RN6 between Bla and San, in Bla cercle.
	cs, err := analysis.Corridors()
	if err != nil {
		return s, err
	}
	var rn6 analysis.Corridor
	for _, c := range cs {
		if c.ID == "rn6" {
			rn6 = c
		}
	}
	if rn6.ID == "" {
		return s, fmt.Errorf("synth: no RN6 corridor in the embedded roads")
	}
	route := Planted{Name: "RN6 under attack", Rule: analysis.RuleRoute}
	for k, f := range []float64{0.56, 0.6, 0.64, 0.68} {
		lat, lon := rn6.PointAt(f)
		route.EventIDs = append(route.EventIDs, add("route", background[2], lat, lon, week(half+k/2, 2+2*(k%2)), "Explosions/Remote violence", rng.IntN(4)))
	}
	// An attack 30 km from Bamako, off the roads, in Kati cercle.
	near := Planted{Name: "attack near Bamako", Rule: analysis.RuleNear}
	near.EventIDs = append(near.EventIDs, add("near", background[3], 12.55, -7.75, week(half+4, 5), "Violence against civilians", 1))

	// A mass-casualty attack in Goundam.
	mass := Planted{Name: "massacre in Goundam", Rule: analysis.RuleMassCasualty}
	mass.EventIDs = append(mass.EventIDs, add("mass", background[1], 16.41, -3.67, week(half+8, 1), "Violence against civilians", 35))

	s.Planted = []Planted{spike, newArea, route, near, mass}
	return s, nil
}
