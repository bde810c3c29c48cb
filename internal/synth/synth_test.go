package synth

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

func TestPlacesInGazetteer(t *testing.T) {
	gz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range New(1).Places() {
		if len(gz.Lookup(p.Name)) == 0 {
			t.Errorf("%q is not in the gazetteer", p.Name)
		}
	}
}

func TestReports(t *testing.T) {
	g := New(7)
	var html, fr int
	for i := range 200 {
		r := g.Report(i)
		if !utf8.Valid(r.Raw) || len(r.Raw) < 200 {
			t.Fatalf("report %d: %d bytes, valid UTF-8 %v", i, len(r.Raw), utf8.Valid(r.Raw))
		}
		if bytes.Contains(r.Raw, []byte("{")) {
			t.Fatalf("report %d: unfilled slot:\n%s", i, r.Raw)
		}
		if r.Format == "html" {
			html++
		}
		if bytes.Contains(r.Raw, []byte("lang=\"fr\"")) || bytes.Contains(r.Raw, []byte(" à ")) {
			fr++
		}
	}
	if html < 20 || html > 80 || fr < 40 {
		t.Errorf("mix: %d HTML, %d French of 200", html, fr)
	}
	if !bytes.Equal(g.Report(3).Raw, New(7).Report(3).Raw) {
		t.Error("same seed and index gave different reports")
	}
}
