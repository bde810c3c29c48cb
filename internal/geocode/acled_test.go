package geocode

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

// TestACLEDPlaces measures the first place of each ACLED note against the
// gold location in ../shared/corpus/acled-dev (skipped when absent). It
// reports rates; it does not assert them, since the corpus is for
// evaluation only and the figures are tracked in the pipeline's report.
// Set GEOCODE_MISSES=file to write the misses for review.
func TestACLEDPlaces(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "acled-dev")
	notes, err := os.Open(filepath.Join(dir, "notes.jsonl"))
	if err != nil {
		t.Skip("acled-dev corpus absent")
	}
	defer notes.Close()
	gold := map[string]struct {
		Location string   `json:"location"`
		Lat      float64  `json:"latitude"`
		Lon      float64  `json:"longitude"`
		Radius   float64  `json:"radius_km"`
		Admin1   []string `json:"admin1"`
	}{}
	gf, err := os.Open(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		t.Skip("gold absent")
	}
	defer gf.Close()
	sc := bufio.NewScanner(gf)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d struct {
			Doc    string `json:"doc"`
			Events []struct {
				Location string   `json:"location"`
				Lat      float64  `json:"latitude"`
				Lon      float64  `json:"longitude"`
				Radius   float64  `json:"radius_km"`
				Admin1   []string `json:"admin1"`
			} `json:"events"`
		}
		if json.Unmarshal(sc.Bytes(), &d) == nil && len(d.Events) > 0 {
			e := d.Events[0]
			gold[d.Doc] = struct {
				Location string   `json:"location"`
				Lat      float64  `json:"latitude"`
				Lon      float64  `json:"longitude"`
				Radius   float64  `json:"radius_km"`
				Admin1   []string `json:"admin1"`
			}{e.Location, e.Lat, e.Lon, e.Radius, e.Admin1}
		}
	}
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	gc := New(g, Options{})
	var n, placeOK, adminOK, reach int
	var kms []float64
	var misses strings.Builder
	ns := bufio.NewScanner(notes)
	ns.Buffer(nil, 1<<20)
	for ns.Scan() {
		var d struct{ Doc, Text string }
		if json.Unmarshal(ns.Bytes(), &d) != nil {
			continue
		}
		want, ok := gold[d.Doc]
		if !ok {
			continue
		}
		n++
		if reachable(g, d.Text, want.Lat, want.Lon, want.Radius) {
			reach++
		}
		s := gc.Scope(d.Text)
		p := s.Fallback()
		// The first place finer than a region, else the first place.
		refs := s.In(0, len(d.Text))
		for i := len(refs) - 1; i >= 0; i-- {
			if refs[i].Place.Known() && (refs[i].Place.Precision < 3 || p.Precision == 0 || p.Precision == 3) {
				p = refs[i].Place
			}
		}
		km := 20000.0
		if p.Known() {
			km = gazetteer.Km(p.Lat, p.Lon, want.Lat, want.Lon)
		}
		kms = append(kms, km)
		inPlace := km <= want.Radius
		inAdmin := false
		for _, a := range want.Admin1 {
			inAdmin = inAdmin || strings.EqualFold(a, p.Admin1)
		}
		if inPlace {
			placeOK++
		}
		if inAdmin {
			adminOK++
		}
		if !inPlace || !inAdmin {
			fmt.Fprintf(&misses, "%s\tgot=%s/%s p%d %.0fkm\twant=%s/%v\t%s\n", d.Doc, p.Name, p.Admin1, p.Precision, km, want.Location, want.Admin1, d.Text)
		}
	}
	if n == 0 {
		t.Skip("no notes")
	}
	sort.Float64s(kms)
	t.Logf("notes=%d place@radius=%.3f admin1=%.3f median_km=%.1f reachable=%.3f", n, float64(placeOK)/float64(n), float64(adminOK)/float64(n), kms[len(kms)/2], float64(reach)/float64(n))
	if f := os.Getenv("GEOCODE_MISSES"); f != "" {
		os.WriteFile(f, []byte(misses.String()), 0o644)
	}
}

// reachable reports whether any run of one to three words in text (split
// at spaces and punctuation, and at hyphens too) names a gazetteer entry,
// exactly or one edit off, within radius km of the gold point. It is a
// generous upper bound on what any geocoder over this gazetteer can place
// correctly: notes that name no such place ("Policeman wounded after armed
// men seized his vehicle.") cannot be placed at all.
func reachable(g *gazetteer.Gazetteer, text string, lat, lon, radius float64) bool {
	w := strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" ,.;:()&/'\"", r) })
	near := func(es []gazetteer.Entry) bool {
		for _, e := range es {
			if gazetteer.Km(e.Lat, e.Lon, lat, lon) <= radius {
				return true
			}
		}
		return false
	}
	for i := range w {
		for j := i + 1; j <= i+3 && j <= len(w); j++ {
			s := strings.Join(w[i:j], " ")
			if near(g.Lookup(s)) || len(s) > 3 && near(g.LookupFuzzy(s)) {
				return true
			}
		}
		for _, part := range strings.Split(w[i], "-") {
			if near(g.Lookup(part)) {
				return true
			}
		}
	}
	return false
}
