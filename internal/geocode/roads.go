package geocode

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

// Road is one corridor as a polyline of (lon, lat) points, with the towns
// it links in order.
type Road struct {
	Name  string       // the "route" property: "RN6", "Kati–Diéma–Kayes (RN1/RN3)"
	Towns []string     // the towns along it, in order
	Line  [][2]float64 // (lon, lat) points
}

// ParseRoads reads a GeoJSON FeatureCollection of LineStrings with "route"
// and "towns" properties; other features are skipped.
func ParseRoads(b []byte) ([]Road, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Route string   `json:"route"`
				Towns []string `json:"towns"`
			} `json:"properties"`
			Geometry struct {
				Type        string       `json:"type"`
				Coordinates [][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("geocode: roads: %w", err)
	}
	var out []Road
	for _, f := range fc.Features {
		if f.Geometry.Type == "LineString" && len(f.Geometry.Coordinates) >= 2 {
			out = append(out, Road{Name: f.Properties.Route, Towns: f.Properties.Towns, Line: f.Geometry.Coordinates})
		}
	}
	return out, nil
}

// Roads returns the embedded road corridors of Mali, so analysis watches
// the same lines the geocoder snaps "between X and Y" to.
func Roads() ([]Road, error) { return ParseRoads(roadsJSON) }

// Nearest returns the point of the road nearest to (lat, lon) and its
// distance in km, in a local flat projection (fine at tens of km).
func (r Road) Nearest(lat, lon float64) (nlat, nlon, km float64) {
	kx := math.Cos(lat*math.Pi/180) * 111.32
	const ky = 110.57
	km = math.Inf(1)
	for i := 1; i < len(r.Line); i++ {
		ax, ay := (r.Line[i-1][0]-lon)*kx, (r.Line[i-1][1]-lat)*ky
		bx, by := (r.Line[i][0]-lon)*kx, (r.Line[i][1]-lat)*ky
		dx, dy := bx-ax, by-ay
		t := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
		}
		px, py := ax+t*dx, ay+t*dy
		if d := math.Hypot(px, py); d < km {
			km, nlat, nlon = d, lat+py/ky, lon+px/kx
		}
	}
	return nlat, nlon, km
}

// roadKm is how close both ends must be to a corridor for "between X and Y"
// to snap to it.
const roadKm = 15

// between returns the point for "between X and Y": the point of a corridor
// passing by both ends nearest to their midpoint, else the midpoint.
func between(roads []Road, lat1, lon1, lat2, lon2 float64) (float64, float64, bool) {
	mlat, mlon := (lat1+lat2)/2, (lon1+lon2)/2
	best, blat, blon := math.Inf(1), mlat, mlon
	for _, r := range roads {
		_, _, d1 := r.Nearest(lat1, lon1)
		_, _, d2 := r.Nearest(lat2, lon2)
		if d1 > roadKm || d2 > roadKm {
			continue
		}
		nlat, nlon, d := r.Nearest(mlat, mlon)
		if d < best {
			best, blat, blon = d, nlat, nlon
		}
	}
	return blat, blon, !math.IsInf(best, 1) && gazetteer.Km(blat, blon, mlat, mlon) < 200
}
