package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n got: %s\nwant: %s", name, got, want)
	}
}

func goldenEvents() []event.Event {
	return fixtureStore().events
}

func TestGoldenFormats(t *testing.T) {
	evs := goldenEvents()
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"events.jsonl", func(b *bytes.Buffer) error { return WriteJSONL(b, evs) }},
		{"events.csv", func(b *bytes.Buffer) error { return WriteCSV(b, evs) }},
		{"events.geojson", func(b *bytes.Buffer) error { return WriteGeoJSON(b, evs) }},
		{"empty.csv", func(b *bytes.Buffer) error { return WriteCSV(b, nil) }},
		{"empty.geojson", func(b *bytes.Buffer) error { return WriteGeoJSON(b, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestRecordFields(t *testing.T) {
	rec := Record(sampleEvent())
	for _, k := range recordKeys {
		if _, ok := rec[k]; !ok && k != "unresolved" {
			t.Errorf("record lacks %q", k)
		}
	}
	for k := range rec {
		if !slices.Contains(recordKeys, k) {
			t.Errorf("record has %q, which recordKeys does not order", k)
		}
	}
	if _, ok := rec["unresolved"]; ok {
		t.Error("unresolved present though the place is resolved")
	}
	checks := map[string]any{
		"actor1": "Military Forces of Mali (2021-)", "assoc_actor_2": "Dozo Militia", "inter1": 1, "inter2": 3,
		"interaction": 13, "location": "Diallassagou", "admin2": "Bankass", "event_date": "2024-03-05",
		"fatalities_best": 10, "fatalities_low": 10, "fatalities_high": 12, "kind": "incident",
	}
	for k, want := range checks {
		if rec[k] != want {
			t.Errorf("%s = %v, want %v", k, rec[k], want)
		}
	}
}

func TestFatalityRange(t *testing.T) {
	tests := []struct {
		best, low, high  int
		wantLow, wantHig int
	}{
		{5, 0, 0, 5, 5},    // single source: the range is the figure
		{5, 3, 9, 3, 9},    // merged
		{5, 6, 9, 5, 9},    // inconsistent low is widened to include best
		{0, 0, 0, 0, 0},    // nobody reported killed
		{12, 4, 10, 4, 12}, // inconsistent high
	}
	for _, tt := range tests {
		lo, hi := fatalityRange(event.Event{Fatalities: tt.best, FatalitiesLow: tt.low, FatalitiesHigh: tt.high})
		if lo != tt.wantLow || hi != tt.wantHig {
			t.Errorf("range(%d,%d,%d) = %d..%d, want %d..%d", tt.best, tt.low, tt.high, lo, hi, tt.wantLow, tt.wantHig)
		}
	}
}

func TestCSVHeaderExact(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, goldenEvents()); err != nil {
		t.Fatal(err)
	}
	const want = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities"
	if first, _, _ := strings.Cut(b.String(), "\n"); first != want {
		t.Errorf("header\n got %s\nwant %s", first, want)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	for _, r := range rows {
		if len(r) != len(CSVHeader) {
			t.Errorf("row has %d cells, want %d", len(r), len(CSVHeader))
		}
	}
}

// Coordinates JSON cannot carry must not break an export.
func TestNonFiniteNumbers(t *testing.T) {
	e := sampleEvent()
	e.Place.Lat, e.Place.Lon, e.Confidence = math.NaN(), math.Inf(1), math.NaN()
	var b bytes.Buffer
	if err := WriteGeoJSON(&b, []event.Event{e}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatalf("invalid GeoJSON: %s", b.String())
	}
	b.Reset()
	if err := WriteJSONL(&b, []event.Event{e}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatalf("invalid JSON: %s", b.String())
	}
}
