package event

import "math"

// Km is the great-circle distance between two places in kilometres, with
// the same Earth radius as ACLED's and our scorers' haversine.
func Km(a, b Place) float64 {
	return KmLatLon(a.Lat, a.Lon, b.Lat, b.Lon)
}

// KmLatLon is Km on bare coordinates.
func KmLatLon(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
