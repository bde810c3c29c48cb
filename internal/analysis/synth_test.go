package analysis_test

import (
	"slices"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
	"github.com/sahelwatch/sahelwatch/internal/analysis/synth"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// TestAlertsOnSyntheticStreams checks that the default rules fire on every
// planted pattern and on nothing else, over several seeds.
func TestAlertsOnSyntheticStreams(t *testing.T) {
	a, err := analysis.New(analysis.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for seed := uint64(1); seed <= 20; seed++ {
		s, err := synth.Generate(seed, start, 60)
		if err != nil {
			t.Fatal(err)
		}
		owner := map[string]int{}
		for i, p := range s.Planted {
			for _, id := range p.EventIDs {
				owner[id] = i
			}
		}
		alerts := a.Alerts(s.Events)
		fired := make([]bool, len(s.Planted))
		for _, al := range alerts {
			// An alert belongs to the one planted pattern its events come
			// from; a spike also counts the week's background events.
			pi, ok := -1, true
			for _, id := range al.EventIDs {
				q, in := owner[id]
				switch {
				case !in && al.Rule != analysis.RuleSpike:
					ok = false
				case in && pi >= 0 && q != pi:
					ok = false
				case in:
					pi = q
				}
			}
			ok = ok && pi >= 0
			if !ok || al.Rule != s.Planted[pi].Rule {
				t.Errorf("seed %d: alert not on a planted pattern: %s: %s", seed, al.Key, al.Why)
				continue
			}
			fired[pi] = true
		}
		for i, p := range s.Planted {
			if !fired[i] {
				t.Errorf("seed %d: planted %q raised no %s alert", seed, p.Name, p.Rule)
			}
		}
		// Raised once: evaluating again gives the same keys.
		again := a.Alerts(s.Events)
		if !slices.EqualFunc(alerts, again, func(x, y analysis.Alert) bool { return x.Key == y.Key }) {
			t.Errorf("seed %d: alerts differ between two evaluations", seed)
		}
		// The route pattern makes RN6 contested.
		sits := a.Situations(s.Events, s.Start.AddDate(0, 0, 7*s.Weeks))
		found := false
		for _, st := range sits {
			for _, ch := range st.History {
				if st.Corridor == "rn6" && ch.Status == analysis.StatusContested {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("seed %d: RN6 never contested: %+v", seed, sits)
		}
	}
}

func TestSpikeEWMA(t *testing.T) {
	r := analysis.DefaultRules()
	r.Spike.Method = "ewma"
	a, err := analysis.New(r)
	if err != nil {
		t.Fatal(err)
	}
	s, err := synth.Generate(7, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 60)
	if err != nil {
		t.Fatal(err)
	}
	var spikes []string
	for _, al := range a.Alerts(s.Events) {
		if al.Rule == analysis.RuleSpike {
			spikes = append(spikes, al.Admin1+" "+al.Week)
		}
	}
	if len(spikes) != 1 || spikes[0] != "Sahel 2024-W37" {
		t.Errorf("EWMA spikes = %v, want [Sahel 2024-W37]", spikes)
	}
}

// TestSyntheticBackgroundIsQuiet checks the generator's premise: the
// background lies off every corridor and far from Bamako.
func TestSyntheticBackgroundIsQuiet(t *testing.T) {
	cs, err := analysis.Corridors()
	if err != nil {
		t.Fatal(err)
	}
	s, err := synth.Generate(1, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Events {
		if e.ID[:6] != "SYN-bg" {
			continue
		}
		for _, c := range cs {
			if d := c.Km(e.Place.Lat, e.Place.Lon); d < 20 {
				t.Fatalf("%s at %s is %.0f km from %s", e.ID, e.Place.Name, d, c.ID)
			}
		}
		if d := event.KmLatLon(e.Place.Lat, e.Place.Lon, 12.6392, -8.0029); d < 80 {
			t.Fatalf("%s is %.0f km from Bamako", e.ID, d)
		}
	}
	if _, err := synth.Generate(1, time.Now(), 10); err == nil {
		t.Error("Generate accepted 10 weeks")
	}
}
