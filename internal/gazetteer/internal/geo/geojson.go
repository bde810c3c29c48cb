package geo

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// Feature is the part of a GeoJSON feature this project reads: string
// properties and a polygon, multipolygon or line geometry. orb's own geojson
// package is not used because it pulls in a BSON dependency.
type Feature struct {
	Properties map[string]any
	Polygons   orb.MultiPolygon
	Line       orb.LineString
}

type rawFC struct {
	Features []struct {
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// ParseFeatures decodes a GeoJSON FeatureCollection.
func ParseFeatures(b []byte) ([]Feature, error) {
	var fc rawFC
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("geojson: %w", err)
	}
	out := make([]Feature, 0, len(fc.Features))
	for i, f := range fc.Features {
		nf := Feature{Properties: f.Properties}
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			nf.Polygons = orb.MultiPolygon{toPoly(p)}
		case "MultiPolygon":
			var mp [][][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &mp)
			for _, p := range mp {
				nf.Polygons = append(nf.Polygons, toPoly(p))
			}
		case "LineString":
			var l [][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &l)
			for _, p := range l {
				nf.Line = append(nf.Line, orb.Point(p))
			}
		default:
			err = fmt.Errorf("unsupported geometry %q", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("geojson: feature %d: %w", i, err)
		}
		out = append(out, nf)
	}
	return out, nil
}

func toPoly(p [][][2]float64) orb.Polygon {
	poly := make(orb.Polygon, 0, len(p))
	for _, r := range p {
		ring := make(orb.Ring, len(r))
		for i, pt := range r {
			ring[i] = orb.Point(pt)
		}
		poly = append(poly, ring)
	}
	return poly
}

// Str returns a string property or "".
func (f Feature) Str(key string) string {
	s, _ := f.Properties[key].(string)
	return s
}

// MarshalPolygons encodes a multipolygon's coordinates for GeoJSON.
func MarshalPolygons(mp orb.MultiPolygon) any {
	out := make([][][][2]float64, len(mp))
	for i, p := range mp {
		out[i] = make([][][2]float64, len(p))
		for j, r := range p {
			out[i][j] = make([][2]float64, len(r))
			for k, pt := range r {
				out[i][j][k] = [2]float64(pt)
			}
		}
	}
	return out
}
