package dedupe

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

//go:embed data/types.tsv
var typesTSV string

// typeTable holds the pairs of event types (or type/sub-event type) that
// reports of one incident may disagree on. Keys are "a\x00b" both ways.
type typeTable map[string]bool

var defaultTypes = mustTypes(typesTSV)

func mustTypes(s string) typeTable {
	t, err := parseTypes(s)
	if err != nil {
		panic(err) // embedded data, checked by the tests
	}
	return t
}

// parseTypes reads the types.tsv format: '#' comments, blank lines, and
// lines of two tab-separated type keys.
func parseTypes(s string) (typeTable, error) {
	t := typeTable{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 2 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("dedupe: types line %d: want two tab-separated types", n)
		}
		a, b := strings.TrimSpace(f[0]), strings.TrimSpace(f[1])
		t[a+"\x00"+b], t[b+"\x00"+a] = true, true
	}
	return t, sc.Err()
}

// compatible tells whether a and b's types may be one incident's.
func (t typeTable) compatible(a, b event.Event) bool {
	for _, x := range []string{a.EventType, a.EventType + "/" + a.SubEventType} {
		for _, y := range []string{b.EventType, b.EventType + "/" + b.SubEventType} {
			if t[x+"\x00"+y] {
				return true
			}
		}
	}
	return false
}
