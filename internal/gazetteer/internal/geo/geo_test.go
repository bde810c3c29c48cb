package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestKmAndOffset(t *testing.T) {
	// Bamako to Ségou is about 210 km as the crow flies.
	if d := Km(12.65, -8.0, 13.4403, -6.2595); math.Abs(d-207) > 15 {
		t.Errorf("Km = %.0f", d)
	}
	lat, lon := Offset(16.27, -0.04, 30, 0)
	if d := Km(16.27, -0.04, lat, lon); math.Abs(d-30) > 0.1 || lat <= 16.27 {
		t.Errorf("Offset north = %.4f,%.4f (%.2f km)", lat, lon, d)
	}
}

func TestArea(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	a := &Area{Shape: sq, Bound: sq.Bound()}
	if !a.Contains(0.5, 0.5) || a.Contains(1.5, 0.5) {
		t.Error("Contains")
	}
	if d := a.BorderKm(0.5, 1.1); math.Abs(d-11.1) > 0.5 {
		t.Errorf("BorderKm = %.2f", d)
	}
}

func FuzzParseFeatures(f *testing.F) {
	f.Add([]byte(`{"features":[{"properties":{"a":"b"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseFeatures(b)
	})
}
