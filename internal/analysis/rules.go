package analysis

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed data/rules.ini
var defaultRules []byte

// ErrBadRules is wrapped by every error about a rules file.
var ErrBadRules = errors.New("bad rules file")

// maxRulesBytes caps a rules file: it is a page of text, not a data set.
const maxRulesBytes = 1 << 20

// maxPoints caps the watched points, so a runaway file cannot make every
// event's distance check quadratic.
const maxPoints = 1000

// Rules configure the alerts and the situations built from patterns. The
// shipped defaults are data/rules.ini; see that file for what each field
// means.
type Rules struct {
	ViolentTypes    []string `json:"violent_types"`
	MaxGeoPrecision int      `json:"max_geo_precision"`

	Spike struct {
		Enabled         bool    `json:"enabled"`
		Method          string  `json:"method"` // poisson or ewma
		BaselineWeeks   int     `json:"baseline_weeks"`
		MinHistoryWeeks int     `json:"min_history_weeks"`
		PValue          float64 `json:"p_value"`
		EWMAAlpha       float64 `json:"ewma_alpha"`
		EWMAK           float64 `json:"ewma_k"`
		MinCount        int     `json:"min_count"`
	} `json:"spike"`

	NewArea struct {
		Enabled bool `json:"enabled"`
		Months  int  `json:"months"`
	} `json:"new_area"`

	Near struct {
		Enabled bool    `json:"enabled"`
		Points  []Point `json:"points"`
	} `json:"near"`

	Route struct {
		Enabled          bool     `json:"enabled"`
		MaxKm            float64  `json:"max_km"`
		Corridors        []string `json:"corridors"` // ids, or "*"
		ContestedAttacks int      `json:"contested_attacks"`
		ContestedDays    int      `json:"contested_days"`
		QuietDays        int      `json:"quiet_days"`
	} `json:"route"`

	MassCasualty struct {
		Enabled   bool `json:"enabled"`
		MinDeaths int  `json:"min_deaths"`
	} `json:"mass_casualty"`

	Situations struct {
		StaleDays int `json:"stale_days"`
	} `json:"situations"`
}

// Point is a watched place.
type Point struct {
	Name     string  `json:"name"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusKm float64 `json:"radius_km"`
}

// DefaultRules returns the shipped rules.
func DefaultRules() Rules {
	r, err := ParseRules(Rules{}, defaultRules)
	if err != nil {
		// The embedded file is checked by the tests; reaching this is a build defect.
		panic(fmt.Sprintf("analysis: embedded rules: %v", err))
	}
	return r
}

// LoadRules returns the shipped rules with the file at path read over them;
// an empty path returns the defaults.
func LoadRules(path string) (Rules, error) {
	r := DefaultRules()
	if path == "" {
		return r, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return r, fmt.Errorf("analysis: rules: %w", err)
	}
	defer f.Close()
	b, err := readCapped(f, maxRulesBytes)
	if err != nil {
		return r, fmt.Errorf("analysis: rules %s: %w", path, err)
	}
	r, err = ParseRules(r, b)
	if err != nil {
		return r, fmt.Errorf("analysis: rules %s: %w", path, err)
	}
	return r, nil
}

// ParseRules reads a rules file over base and returns the result. Unknown
// sections and keys are errors (a misspelt key would otherwise silently
// leave a default in force), as are values out of range.
func ParseRules(base Rules, b []byte) (Rules, error) {
	r := base
	r.ViolentTypes = append([]string(nil), base.ViolentTypes...)
	r.Near.Points = append([]Point(nil), base.Near.Points...)
	r.Route.Corridors = append([]string(nil), base.Route.Corridors...)
	if len(b) > maxRulesBytes {
		return base, fmt.Errorf("%w: larger than %d bytes", ErrBadRules, maxRulesBytes)
	}
	if !utf8.Valid(b) {
		return base, fmt.Errorf("%w: not UTF-8 text", ErrBadRules)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return base, fmt.Errorf("%w: binary data", ErrBadRules)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxRulesBytes)
	section, n := "", 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return base, fmt.Errorf("%w: line %d: section header without ]", ErrBadRules, n)
			}
			section = strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			if _, ok := sectionKeys[section]; !ok {
				return base, fmt.Errorf("%w: line %d: unknown section [%s]", ErrBadRules, n, section)
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return base, fmt.Errorf("%w: line %d: want key = value", ErrBadRules, n)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if section == "" {
			return base, fmt.Errorf("%w: line %d: %q before any [section]", ErrBadRules, n, k)
		}
		if err := r.set(section, k, v); err != nil {
			return base, fmt.Errorf("%w: line %d: [%s] %s: %w", ErrBadRules, n, section, k, err)
		}
	}
	if err := sc.Err(); err != nil {
		return base, fmt.Errorf("%w: %w", ErrBadRules, err)
	}
	if err := r.check(); err != nil {
		return base, fmt.Errorf("%w: %w", ErrBadRules, err)
	}
	return r, nil
}

var sectionKeys = map[string][]string{
	"general":       {"violent_types", "max_geo_precision"},
	"spike":         {"enabled", "method", "baseline_weeks", "min_history_weeks", "p_value", "ewma_alpha", "ewma_k", "min_count"},
	"new_area":      {"enabled", "months"},
	"near":          {"enabled", "point"},
	"route":         {"enabled", "max_km", "corridors", "contested_attacks", "contested_days", "quiet_days"},
	"mass_casualty": {"enabled", "min_deaths"},
	"situations":    {"stale_days"},
}

func (r *Rules) set(section, k, v string) error {
	var err error
	switch section + "." + k {
	case "general.violent_types":
		r.ViolentTypes = list(v)
	case "general.max_geo_precision":
		r.MaxGeoPrecision, err = intIn(v, 1, 3)
	case "spike.enabled":
		r.Spike.Enabled, err = strconv.ParseBool(v)
	case "spike.method":
		if v != "poisson" && v != "ewma" {
			return fmt.Errorf("%q is not poisson or ewma", v)
		}
		r.Spike.Method = v
	case "spike.baseline_weeks":
		r.Spike.BaselineWeeks, err = intIn(v, 1, 520)
	case "spike.min_history_weeks":
		r.Spike.MinHistoryWeeks, err = intIn(v, 0, 520)
	case "spike.p_value":
		r.Spike.PValue, err = floatIn(v, 0, 1)
	case "spike.ewma_alpha":
		r.Spike.EWMAAlpha, err = floatIn(v, 0.001, 1)
	case "spike.ewma_k":
		r.Spike.EWMAK, err = floatIn(v, 0, 100)
	case "spike.min_count":
		r.Spike.MinCount, err = intIn(v, 1, 1e6)
	case "new_area.enabled":
		r.NewArea.Enabled, err = strconv.ParseBool(v)
	case "new_area.months":
		r.NewArea.Months, err = intIn(v, 1, 240)
	case "near.enabled":
		r.Near.Enabled, err = strconv.ParseBool(v)
	case "near.point":
		var p Point
		if p, err = parsePoint(v); err == nil {
			r.addPoint(p)
			if len(r.Near.Points) > maxPoints {
				return fmt.Errorf("more than %d points", maxPoints)
			}
		}
	case "route.enabled":
		r.Route.Enabled, err = strconv.ParseBool(v)
	case "route.max_km":
		r.Route.MaxKm, err = floatIn(v, 0, 500)
	case "route.corridors":
		r.Route.Corridors = list(v)
	case "route.contested_attacks":
		r.Route.ContestedAttacks, err = intIn(v, 1, 1000)
	case "route.contested_days":
		r.Route.ContestedDays, err = intIn(v, 1, 3650)
	case "route.quiet_days":
		r.Route.QuietDays, err = intIn(v, 1, 3650)
	case "mass_casualty.enabled":
		r.MassCasualty.Enabled, err = strconv.ParseBool(v)
	case "mass_casualty.min_deaths":
		r.MassCasualty.MinDeaths, err = intIn(v, 1, 1e6)
	case "situations.stale_days":
		r.Situations.StaleDays, err = intIn(v, 1, 3650)
	default:
		return fmt.Errorf("unknown key (known: %s)", strings.Join(sectionKeys[section], ", "))
	}
	return err
}

// addPoint adds p, replacing a point of the same name; radius 0 removes it.
func (r *Rules) addPoint(p Point) {
	pts := r.Near.Points[:0:0]
	for _, q := range r.Near.Points {
		if !strings.EqualFold(q.Name, p.Name) {
			pts = append(pts, q)
		}
	}
	if p.RadiusKm > 0 {
		pts = append(pts, p)
	}
	r.Near.Points = pts
}

// check catches combinations no single key can: a spike rule with no way
// to decide, for instance.
func (r *Rules) check() error {
	if r.Spike.Enabled && r.Spike.BaselineWeeks == 0 {
		return errors.New("[spike] needs baseline_weeks")
	}
	if r.Spike.Enabled && r.Spike.Method == "" {
		r.Spike.Method = "poisson"
	}
	if r.NewArea.Enabled && r.NewArea.Months == 0 {
		return errors.New("[new_area] needs months")
	}
	if r.MaxGeoPrecision == 0 {
		r.MaxGeoPrecision = 2
	}
	if r.Route.Enabled && r.Route.ContestedAttacks == 0 {
		r.Route.ContestedAttacks, r.Route.ContestedDays, r.Route.QuietDays = 3, 28, 56
	}
	if r.Situations.StaleDays == 0 {
		r.Situations.StaleDays = 90
	}
	if r.MassCasualty.Enabled && r.MassCasualty.MinDeaths == 0 {
		return errors.New("[mass_casualty] needs min_deaths")
	}
	return nil
}

func parsePoint(v string) (Point, error) {
	f := strings.Split(v, ",")
	if len(f) != 4 {
		return Point{}, fmt.Errorf("%q: want NAME, LATITUDE, LONGITUDE, RADIUS_KM", v)
	}
	p := Point{Name: strings.TrimSpace(f[0])}
	if p.Name == "" {
		return p, fmt.Errorf("%q: empty name", v)
	}
	var err error
	if p.Lat, err = floatIn(f[1], -90, 90); err != nil {
		return p, fmt.Errorf("latitude: %w", err)
	}
	if p.Lon, err = floatIn(f[2], -180, 180); err != nil {
		return p, fmt.Errorf("longitude: %w", err)
	}
	if p.RadiusKm, err = floatIn(f[3], 0, 5000); err != nil {
		return p, fmt.Errorf("radius: %w", err)
	}
	return p, nil
}

func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", v)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is outside %d..%d", n, lo, hi)
	}
	return n, nil
}

func floatIn(v string, lo, hi float64) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	if x < lo || x > hi {
		return 0, fmt.Errorf("%g is outside %g..%g", x, lo, hi)
	}
	return x, nil
}
