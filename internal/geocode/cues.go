package geocode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

// cues holds the word lists of data/cues.txt, folded to space-separated
// lower-case words.
type cues struct {
	near, nearAfter, place, between, and, road []string
	groupAfter                                 []string
	regionBefore, regionAfter                  []string
	admin2Before, admin2After                  []string
	borderBefore, borderAfter                  []string
	demonym                                    map[string]string  // word -> country
	direction                                  map[string]float64 // word -> bearing
	// split holds every list phrase cut into words once: scopes compare
	// phrases with the tokens around every name, and splitting them there
	// again each time was a quarter of extraction's CPU.
	split map[string][]string
}

// words returns the words of a list phrase.
func (c *cues) words(p string) []string {
	if w, ok := c.split[p]; ok {
		return w
	}
	return strings.Fields(p)
}

func parseCues(b []byte) (*cues, error) {
	c := &cues{demonym: map[string]string{}, direction: map[string]float64{}}
	lists := map[string]*[]string{
		"near": &c.near, "near-after": &c.nearAfter, "place": &c.place, "between": &c.between,
		"and": &c.and, "road": &c.road, "region-before": &c.regionBefore, "region-after": &c.regionAfter,
		"admin2-before": &c.admin2Before, "admin2-after": &c.admin2After, "group-after": &c.groupAfter,
		"border-before": &c.borderBefore, "border-after": &c.borderAfter,
	}
	section := ""
	for n, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			section = l[1 : len(l)-1]
			continue
		}
		switch section {
		case "demonym", "direction":
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				return nil, fmt.Errorf("geocode: cues line %d: want word = value", n+1)
			}
			k, v = gazetteer.Words(k), strings.TrimSpace(v)
			if section == "demonym" {
				c.demonym[k] = v
				continue
			}
			deg, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("geocode: cues line %d: %w", n+1, err)
			}
			// Hyphenated forms fold to two words; keep both spellings.
			c.direction[k] = deg
			c.direction[strings.ReplaceAll(k, " ", "")] = deg
		default:
			p, ok := lists[section]
			if !ok {
				return nil, fmt.Errorf("geocode: cues line %d: unknown section %q", n+1, section)
			}
			*p = append(*p, gazetteer.Words(l))
		}
	}
	c.split = map[string][]string{}
	for _, l := range lists {
		for _, p := range *l {
			c.split[p] = strings.Fields(p)
		}
	}
	return c, nil
}

// area is a vague named area ("the Algerian border").
type area struct {
	words     []string
	lat, lon  float64
	precision int
	// admin1 overrides the region found at the point: "-" for a part of a
	// country that spans several regions ("northern Mali").
	admin1 string
}

func parseAreas(b []byte) ([]area, error) {
	var out []area
	for n, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 && len(f) != 5 {
			return nil, fmt.Errorf("geocode: areas line %d: want 4 or 5 tab-separated fields", n+1)
		}
		lat, err1 := strconv.ParseFloat(f[1], 64)
		lon, err2 := strconv.ParseFloat(f[2], 64)
		p, err3 := strconv.Atoi(strings.TrimSpace(f[3]))
		if err1 != nil || err2 != nil || err3 != nil || p < 1 || p > 3 {
			return nil, fmt.Errorf("geocode: areas line %d: bad number", n+1)
		}
		a := area{words: strings.Fields(gazetteer.Words(f[0])), lat: lat, lon: lon, precision: p}
		if len(f) == 5 {
			a.admin1 = strings.TrimSpace(f[4])
		}
		out = append(out, a)
	}
	return out, nil
}

// hint is an actor or people that points at regions.
type hint struct {
	words   []string
	regions []string // folded region keys
}

func parseHints(b []byte) ([]hint, error) {
	var out []hint
	for n, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.TrimSpace(l) == "" {
			continue
		}
		phrase, regions, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("geocode: hints line %d: want phrase<TAB>regions", n+1)
		}
		h := hint{words: strings.Fields(gazetteer.Words(phrase))}
		for _, r := range strings.Split(regions, ",") {
			if k := gazetteer.Key(r); k != "" {
				h.regions = append(h.regions, k)
			}
		}
		out = append(out, h)
	}
	return out, nil
}
