// Package geo holds the small amount of plane geometry the gazetteer and its
// generator share: great-circle distance, point in polygon, and the distance
// from a point to a polygon's border. It has no embedded data so the
// generator can use it before the data files exist.
package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// EarthRadiusKm is the mean Earth radius used for all distances.
const EarthRadiusKm = 6371.0

// Km returns the great-circle distance in kilometres between two points.
func Km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = math.Pi / 180
	dlat := (lat2 - lat1) * r
	dlon := (lon2 - lon1) * r
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Offset moves a point by km kilometres on the compass bearing (degrees,
// 0 = north, clockwise).
func Offset(lat, lon, km, bearing float64) (float64, float64) {
	const r = math.Pi / 180
	d := km / EarthRadiusKm
	b := bearing * r
	la := lat * r
	lo := lon * r
	la2 := math.Asin(math.Sin(la)*math.Cos(d) + math.Cos(la)*math.Sin(d)*math.Cos(b))
	lo2 := lo + math.Atan2(math.Sin(b)*math.Sin(d)*math.Cos(la), math.Cos(d)-math.Sin(la)*math.Sin(la2))
	return la2 / r, lo2 / r
}

// Area is one administrative polygon with its names.
type Area struct {
	Country string // English country name
	Admin1  string // ACLED's spelling
	Admin2  string
	Shape   orb.MultiPolygon
	Bound   orb.Bound
}

// Contains reports whether the point lies inside the area.
func (a *Area) Contains(lat, lon float64) bool {
	p := orb.Point{lon, lat}
	if !a.Bound.Contains(p) {
		return false
	}
	return planar.MultiPolygonContains(a.Shape, p)
}

// BorderKm returns the approximate distance in km from the point to the
// area's border, using a local equirectangular projection, which is accurate
// to well under a percent at the few tens of km this is used for.
func (a *Area) BorderKm(lat, lon float64) float64 {
	kx := math.Cos(lat*math.Pi/180) * 111.32
	const ky = 110.57
	best := math.Inf(1)
	for _, poly := range a.Shape {
		for _, ring := range poly {
			for i := 1; i < len(ring); i++ {
				ax, ay := (ring[i-1][0]-lon)*kx, (ring[i-1][1]-lat)*ky
				bx, by := (ring[i][0]-lon)*kx, (ring[i][1]-lat)*ky
				if d := segDist(ax, ay, bx, by); d < best {
					best = d
				}
			}
		}
	}
	return best
}

// PolylineNearest returns the point of the polyline (lon, lat pairs) nearest
// to the given point and its distance in km.
func PolylineNearest(line orb.LineString, lat, lon float64) (nlat, nlon, km float64) {
	kx := math.Cos(lat*math.Pi/180) * 111.32
	const ky = 110.57
	km = math.Inf(1)
	for i := 1; i < len(line); i++ {
		ax, ay := (line[i-1][0]-lon)*kx, (line[i-1][1]-lat)*ky
		bx, by := (line[i][0]-lon)*kx, (line[i][1]-lat)*ky
		t := segT(ax, ay, bx, by)
		px, py := ax+t*(bx-ax), ay+t*(by-ay)
		if d := math.Hypot(px, py); d < km {
			km = d
			nlat, nlon = lat+py/ky, lon+px/kx
		}
	}
	return nlat, nlon, km
}

// segT is the parameter of the point on segment a-b nearest the origin.
func segT(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l := dx*dx + dy*dy
	if l == 0 {
		return 0
	}
	t := -(ax*dx + ay*dy) / l
	return math.Max(0, math.Min(1, t))
}

func segDist(ax, ay, bx, by float64) float64 {
	t := segT(ax, ay, bx, by)
	return math.Hypot(ax+t*(bx-ax), ay+t*(by-ay))
}
