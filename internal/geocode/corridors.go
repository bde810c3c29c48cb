package geocode

import "bytes"

// CorridorsGeoJSON returns a copy of the embedded road corridors of Mali (a
// GeoJSON FeatureCollection of LineStrings with "route" and "towns"
// properties), so analysis can watch the same lines the geocoder snaps to.
func CorridorsGeoJSON() []byte { return bytes.Clone(roadsJSON) }
