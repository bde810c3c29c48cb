package analysis

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/geocode"
	"github.com/sahelwatch/sahelwatch/internal/nlp"
)

// Corridor is a watched supply route: a polyline of (lon, lat) points.
type Corridor struct {
	ID    string       `json:"id"`    // "rn6", "gao-kidal" (stable; used in rules and alert keys)
	Name  string       `json:"name"`  // "RN6 (Bamako–Sévaré)"
	Route string       `json:"route"` // the road number, or "" when it has none
	Towns []string     `json:"towns"`
	Line  [][2]float64 `json:"line"`
}

// Corridors returns the embedded Mali road corridors (the geocoder's file,
// derived from ../shared/data/roads).
func Corridors() ([]Corridor, error) {
	roads, err := geocode.Roads()
	if err != nil {
		return nil, fmt.Errorf("analysis: corridors: %w", err)
	}
	return corridorsFrom(roads), nil
}

var (
	routeCode  = regexp.MustCompile(`\bRN ?\d+\b`)
	parenNotes = regexp.MustCompile(`\s*\([^)]*\)`)
)

// ParseCorridors reads a GeoJSON FeatureCollection of LineStrings with
// "route" and "towns" properties.
func ParseCorridors(b []byte) ([]Corridor, error) {
	roads, err := geocode.ParseRoads(b)
	if err != nil {
		return nil, fmt.Errorf("analysis: corridors: %w", err)
	}
	return corridorsFrom(roads), nil
}

// corridorsFrom names the geocoder's roads and gives each a stable id.
func corridorsFrom(roads []geocode.Road) []Corridor {
	var out []Corridor
	seen := map[string]bool{}
	for _, r := range roads {
		c := Corridor{Towns: r.Towns, Line: r.Line}
		c.Route = strings.ReplaceAll(routeCode.FindString(r.Name), " ", "")
		ends := ""
		if n := len(c.Towns); n >= 2 {
			ends = c.Towns[0] + "–" + c.Towns[n-1]
		}
		switch {
		case c.Route != "" && ends != "":
			c.Name, c.ID = c.Route+" ("+ends+")", strings.ToLower(c.Route)
		case c.Route != "":
			c.Name, c.ID = c.Route, strings.ToLower(c.Route)
		case ends != "":
			c.Name, c.ID = ends, slug(ends)
		default:
			c.Name = strings.TrimSpace(parenNotes.ReplaceAllString(r.Name, ""))
			c.ID = slug(c.Name)
		}
		for base, i := c.ID, 2; seen[c.ID]; i++ {
			c.ID = fmt.Sprintf("%s-%d", base, i)
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	return out
}

// slug folds a name to a lower-case ASCII id: "Gao–Kidal" → "gao-kidal".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(nlp.Fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Km is the distance from (lat, lon) to the corridor's line, in a local
// flat projection (good to a few hundred metres at tens of km).
func (c Corridor) Km(lat, lon float64) float64 {
	_, _, km := geocode.Road{Line: c.Line}.Nearest(lat, lon)
	return km
}

// PointAt returns the point a fraction f (0..1) of the way along the line,
// counting vertices evenly; the synthetic generator plants attacks with it.
func (c Corridor) PointAt(f float64) (lat, lon float64) {
	f = math.Max(0, math.Min(1, f))
	x := f * float64(len(c.Line)-1)
	i := min(int(x), len(c.Line)-2)
	t := x - float64(i)
	a, b := c.Line[i], c.Line[i+1]
	return a[1] + t*(b[1]-a[1]), a[0] + t*(b[0]-a[0])
}

// readCapped reads at most limit bytes and fails beyond.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b, nil
}
