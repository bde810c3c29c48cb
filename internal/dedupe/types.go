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

var defaultTypes = must(parseTypes(typesTSV))

// must returns an embedded table, which the tests check parses.
func must[T any](t T, err error) T {
	if err != nil {
		panic(err)
	}
	return t
}

// eachLine calls fn with the tab-separated fields of each line of a data
// file that is not blank or a '#' comment, and its line number.
func eachLine(s string, fn func(n int, f []string) error) error {
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r ")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if err := fn(n, f); err != nil {
			return err
		}
	}
	return sc.Err()
}

// parseTypes reads the types.tsv format: lines of two tab-separated type
// keys.
func parseTypes(s string) (typeTable, error) {
	t := typeTable{}
	err := eachLine(s, func(n int, f []string) error {
		if len(f) != 2 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("dedupe: types line %d: want two tab-separated types", n)
		}
		t[f[0]+"\x00"+f[1]], t[f[1]+"\x00"+f[0]] = true, true
		return nil
	})
	return t, err
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
