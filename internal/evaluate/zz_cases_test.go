package evaluate

import (
	"encoding/json"
	"os"
	"testing"
)

func TestZZCases(t *testing.T) {
	b, err := os.ReadFile("/tmp/swdiff/cases.json")
	if err != nil {
		t.Skip()
	}
	var c struct {
		Norm []struct{ S, Norm string }
		Num  []struct {
			X any
			V *string
		}
		Day []struct {
			X any
			V *string
		}
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, k := range c.Norm {
		if got := Norm(k.S); got != k.Norm {
			bad++
			if bad < 15 {
				t.Errorf("Norm(%+q) = %+q want %+q", k.S, got, k.Norm)
			}
		}
	}
	t.Logf("norm mismatches %d/%d", bad, len(c.Norm))
	for _, k := range c.Num {
		v, ok := num(k.X)
		got := "nil"
		if ok {
			got = pyFloatRepr(v)
		}
		want := "nil"
		if k.V != nil {
			want = *k.V
		}
		if got != want {
			t.Errorf("num(%#v) = %s want %s", k.X, got, want)
		}
	}
	for _, k := range c.Day {
		d, ok := day(k.X)
		got := "nil"
		if ok {
			got = d.Format("2006-01-02")
		}
		want := "nil"
		if k.V != nil {
			want = *k.V
		}
		if got != want {
			t.Errorf("day(%#v) = %s want %s", k.X, got, want)
		}
	}
}
