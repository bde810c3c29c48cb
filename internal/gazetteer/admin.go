package gazetteer

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/geo"
)

// NearBorderKm is how far outside every polygon a point may fall and still
// take the nearest polygon's names: generalised borders leave some border
// villages just outside.
const NearBorderKm = 25

// nigerKm is how close a GeoNames place in Niger must be for a point to
// take its region, since Niger has no polygon layer.
const nigerKm = 60

func (g *Gazetteer) loadAreas() error {
	feats, err := geo.ParseFeatures(adminJSON)
	if err != nil {
		return fmt.Errorf("%w: admin polygons: %w", ErrBadData, err)
	}
	for _, f := range feats {
		g.areas = append(g.areas, &geo.Area{Country: f.Str("country"), Admin1: f.Str("admin1"), Admin2: f.Str("admin2"), Shape: f.Polygons, Bound: f.Polygons.Bound()})
	}
	return nil
}

// Admin returns the country, region and cercle/province at a point: by
// point in polygon for Mali and Burkina Faso (the nearest polygon within
// NearBorderKm when the point falls just outside), and by the region of the
// nearest GeoNames place for Niger. ok is false when nothing is close.
func (g *Gazetteer) Admin(lat, lon float64) (country, admin1, admin2 string, ok bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return "", "", "", false
	}
	for _, a := range g.areas {
		if a.Contains(lat, lon) {
			return a.Country, a.Admin1, a.Admin2, true
		}
	}
	var best *geo.Area
	bd := float64(NearBorderKm)
	for _, a := range g.areas {
		if !a.Bound.Pad(0.3).Contains(orb.Point{lon, lat}) {
			continue
		}
		if d := a.BorderKm(lat, lon); d < bd {
			best, bd = a, d
		}
	}
	// A point in Niger near the Mali border is inside no polygon; check
	// Niger's places before taking a Malian polygon 20 km away.
	if e, d := g.nearestIn("NE", lat, lon); e != nil && d < nigerKm && (best == nil || d < bd) {
		return e.Country, e.Admin1, e.Admin2, true
	}
	if best != nil {
		return best.Country, best.Admin1, best.Admin2, true
	}
	return "", "", "", false
}

// nearestIn returns the nearest populated place of a country with a region.
func (g *Gazetteer) nearestIn(cc string, lat, lon float64) (*Entry, float64) {
	var best *Entry
	bd := math.Inf(1)
	for _, c := range cellsAround(lat, lon) {
		for _, i := range g.grid[c] {
			e := &g.entries[i]
			if e.CC != cc || e.Admin1 == "" || e.Level != Place {
				continue
			}
			if d := geo.Km(lat, lon, e.Lat, e.Lon); d < bd {
				best, bd = e, d
			}
		}
	}
	return best, bd
}

// cell is a one-degree grid square.
type cell struct{ lat, lon int }

func cellOf(lat, lon float64) cell { return cell{int(math.Floor(lat)), int(math.Floor(lon))} }

func cellsAround(lat, lon float64) []cell {
	c := cellOf(lat, lon)
	out := make([]cell, 0, 9)
	for dl := -1; dl <= 1; dl++ {
		for dn := -1; dn <= 1; dn++ {
			out = append(out, cell{c.lat + dl, c.lon + dn})
		}
	}
	return out
}

// Nearby returns the places (Level Place) within km of a point, nearest
// first; km is capped at 100.
func (g *Gazetteer) Nearby(lat, lon, km float64) []Entry {
	km = math.Min(km, 100)
	type hit struct {
		i int32
		d float64
	}
	var hits []hit
	for _, c := range cellsAround(lat, lon) {
		for _, i := range g.grid[c] {
			e := &g.entries[i]
			if e.Level != Place {
				continue
			}
			if d := geo.Km(lat, lon, e.Lat, e.Lon); d <= km {
				hits = append(hits, hit{i, d})
			}
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].d < hits[j-1].d; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	out := make([]Entry, len(hits))
	for i, h := range hits {
		out[i] = g.entries[h.i]
	}
	return out
}

// Km is the great-circle distance between two points in kilometres.
func Km(lat1, lon1, lat2, lon2 float64) float64 { return geo.Km(lat1, lon1, lat2, lon2) }

// Offset moves a point km kilometres on a compass bearing in degrees.
func Offset(lat, lon, km, bearing float64) (float64, float64) {
	return geo.Offset(lat, lon, km, bearing)
}
