package dedupe

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

//go:embed data/sides.tsv
var sidesTSV string

// member is one actor's place on a side, for some years (0: open).
type member struct {
	side     string
	from, to int
}

// sideTable says which forces fight on one side (data/sides.tsv), keyed
// by the actor's name in lower case.
type sideTable map[string][]member

var defaultSides = must(parseSides(sidesTSV))

// parseSides reads the sides.tsv format: lines of side, actor name and
// optional years ("2021-", "2013-2022").
func parseSides(s string) (sideTable, error) {
	t := sideTable{}
	err := eachLine(s, func(n int, f []string) error {
		if len(f) < 2 || len(f) > 3 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("dedupe: sides line %d: want side, actor and optional years", n)
		}
		m := member{side: f[0]}
		if len(f) == 3 && f[2] != "" {
			bad := fmt.Errorf("dedupe: sides line %d: years %q: want 2021- or 2013-2022", n, f[2])
			from, to, ok := strings.Cut(f[2], "-")
			var err error
			if m.from, err = strconv.Atoi(from); err != nil || !ok {
				return bad
			}
			if to != "" {
				if m.to, err = strconv.Atoi(to); err != nil || m.to < m.from {
					return bad
				}
			}
		}
		key := strings.ToLower(f[1])
		t[key] = append(t[key], m)
		return nil
	})
	return t, err
}

// allied tells whether a and b fought on one side in the year of e: the
// same actor, or members of one side.
func (t sideTable) allied(a, b event.Actor, e event.Event) bool {
	if sameActor(a, b) {
		return true
	}
	year := e.Date.Year()
	for _, x := range t.sides(a.Name, year) {
		for _, y := range t.sides(b.Name, year) {
			if x == y {
				return true
			}
		}
	}
	return false
}

func (t sideTable) sides(name string, year int) []string {
	var out []string
	for _, m := range t[strings.ToLower(name)] {
		if (m.from == 0 || year >= m.from) && (m.to == 0 || year <= m.to) {
			out = append(out, m.side)
		}
	}
	return out
}
