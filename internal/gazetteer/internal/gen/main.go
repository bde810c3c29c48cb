// Command gen rebuilds the gazetteer's derived data files from the raw
// GeoNames dumps, geoBoundaries polygons and the project's road table in
// ../shared/data. It is run by `go generate ./internal/gazetteer` and does
// nothing (exit 0, one message) when the shared data is absent, so a fresh
// checkout still builds from the files committed in the repo.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"

	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/fold"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer/internal/geo"
)

func main() {
	src := flag.String("src", "../../../shared/data", "the shared data folder")
	out := flag.String("out", "data", "the gazetteer's data folder")
	roads := flag.String("roads", "../geocode/data", "the geocoder's data folder")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*src, "geonames", "ML.txt")); errors.Is(err, fs.ErrNotExist) {
		slog.Info("gen: shared data absent; keeping the committed files", "src", *src)
		return
	}
	if err := run(*src, *out, *roads); err != nil {
		slog.Error("gen failed", "err", err)
		os.Exit(1)
	}
}

var countryName = map[string]string{"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}

// acledAdmin1 maps geoBoundaries spellings to ACLED's.
var acledAdmin1 = map[string]string{"Koulikouro": "Koulikoro", "Plateau Central": "Plateau-Central"}

// acledAdmin2 maps geoBoundaries spellings to ACLED's.
var acledAdmin2 = map[string]string{"Komonjdjari": "Komondjari"}

// keep lists the feature codes worth a name in the news: settlements, admin
// units and their seats, military bases, airports, mines, localities, wells.
var keep = map[string]bool{
	"ADM1": true, "ADM2": true, "ADM3": true, "PCLI": true,
	"MILB": true, "AIRP": true, "AIRF": true, "MN": true, "MNAU": true, "CMP": true, "CMPRF": true,
	"LCTY": true, "WLL": true, "WLLS": true, "RUIN": true, "LK": true, "FRST": true, "DAM": true, "BDG": true,
}

func run(src, out, roadsOut string) error {
	areas, err := loadAreas(src)
	if err != nil {
		return err
	}
	if err := writeAreas(filepath.Join(out, "admin.geojson"), areas); err != nil {
		return err
	}
	a1, a2, err := loadCodes(src)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, "places.tsv.gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintln(bw, "# geonameid\tname\tfeature\tcountry\tadmin1\tadmin2\tlat\tlon\talternates (|)")
	n := 0
	for _, cc := range []string{"ML", "BF", "NE"} {
		rows, err := readGeoNames(filepath.Join(src, "geonames", cc+".txt"))
		if err != nil {
			return err
		}
		for _, r := range rows {
			fcl, fc := r[6], r[7]
			// Wadis, water holes, hills, dunes and marshes are kept too:
			// ACLED codes many northern incidents at such features, which
			// are often the only named point in a nomadic area.
			if fcl != "P" && fcl != "H" && fcl != "T" && !keep[fc] {
				continue
			}
			lat, _ := strconv.ParseFloat(r[4], 64)
			lon, _ := strconv.ParseFloat(r[5], 64)
			var ad1, ad2 string
			switch {
			case fc == "PCLI":
			case cc == "NE":
				ad1 = a1[cc+"."+r[10]]
				ad2 = a2[cc+"."+r[10]+"."+r[11]]
			case fc == "ADM1":
				// Region polygons are the old structure; name the new
				// regions ACLED codes separately by their own codes.
				switch r[10] {
				case "12070577":
					ad1 = "Menaka"
				case "12070575":
					ad1 = "Tombouctou"
				default:
					ad1 = a1[cc+"."+r[10]]
				}
			default:
				if ar := nearest(areas, countryName[cc], lat, lon); ar != nil {
					ad1, ad2 = ar.Admin1, ar.Admin2
				}
			}
			if fc == "ADM1" && cc == "BF" {
				ad1 = a1[cc+"."+r[10]]
			}
			alts := latinAlternates(r[1], r[2], r[3])
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%.5f\t%.5f\t%s\n", r[0], r[1], fc, cc, ad1, ad2, lat, lon, strings.Join(alts, "|"))
			n++
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	slog.Info("gen: places written", "rows", n)
	return copyRoads(filepath.Join(src, "roads", "mali_routes_schematic.geojson"), filepath.Join(roadsOut, "roads.geojson"))
}

// loadCodes reads the admin1 and admin2 code tables; admin1 names are
// ACLED's ASCII spellings.
func loadCodes(src string) (map[string]string, map[string]string, error) {
	a1 := map[string]string{}
	a2 := map[string]string{}
	for file, m := range map[string]map[string]string{"admin1CodesASCII_ML_BF_NE.txt": a1, "admin2Codes_ML_BF_NE.txt": a2} {
		b, err := os.ReadFile(filepath.Join(src, "geonames", file))
		if err != nil {
			return nil, nil, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Split(l, "\t")
			if len(f) >= 3 {
				m[f[0]] = f[2]
			}
		}
	}
	return a1, a2, nil
}

func readGeoNames(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) >= 19 {
			rows = append(rows, f)
		}
	}
	return rows, nil
}

// latinAlternates keeps the Latin-script alternate names that fold to a key
// other than the main name's, one spelling per key.
func latinAlternates(name, ascii, alts string) []string {
	seen := map[string]bool{fold.Key(name): true}
	var outs []string
	for _, a := range append([]string{ascii}, strings.Split(alts, ",")...) {
		a = strings.TrimSpace(a)
		if a == "" || len(a) > 60 || !latin(a) {
			continue
		}
		k := fold.Key(a)
		if k == "" || seen[k] || strings.Trim(k, "0123456789") == "" {
			continue
		}
		seen[k] = true
		outs = append(outs, a)
	}
	return outs
}

func latin(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			letters++
		}
	}
	return letters > 0 && !strings.Contains(s, "http")
}

func loadAreas(src string) ([]*geo.Area, error) {
	var areas []*geo.Area
	for _, c := range []struct{ iso, name string }{{"MLI", "Mali"}, {"BFA", "Burkina Faso"}} {
		adm1, err := readFC(filepath.Join(src, "boundaries", "geoBoundaries-"+c.iso+"-ADM1_simplified.geojson"))
		if err != nil {
			return nil, err
		}
		adm2, err := readFC(filepath.Join(src, "boundaries", "geoBoundaries-"+c.iso+"-ADM2_simplified.geojson"))
		if err != nil {
			return nil, err
		}
		var parents []*geo.Area
		for _, f := range adm1 {
			name := f.Str("shapeName")
			if v, ok := acledAdmin1[name]; ok {
				name = v
			}
			parents = append(parents, &geo.Area{Country: c.name, Admin1: name, Shape: f.Polygons, Bound: f.Polygons.Bound()})
		}
		for _, f := range adm2 {
			name := f.Str("shapeName")
			if v, ok := acledAdmin2[name]; ok {
				name = v
			}
			a := &geo.Area{Country: c.name, Admin2: name, Shape: round(f.Polygons), Bound: f.Polygons.Bound()}
			a.Admin1 = parentOf(a, parents)
			if c.name == "Mali" && name == "Menaka" {
				// ACLED's Ménaka region is the old Ménaka cercle.
				a.Admin1 = "Menaka"
			}
			areas = append(areas, a)
		}
	}
	return areas, nil
}

// parentOf names the region holding most of the cercle's vertices, which
// is robust to the two layers' generalised borders disagreeing a little.
func parentOf(a *geo.Area, parents []*geo.Area) string {
	count := map[string]int{}
	for _, poly := range a.Shape {
		for _, p := range poly[0] {
			for _, pa := range parents {
				if pa.Contains(p[1], p[0]) {
					count[pa.Admin1]++
				}
			}
		}
	}
	best, bn := "", -1
	for k, v := range count {
		if v > bn || (v == bn && k < best) {
			best, bn = k, v
		}
	}
	return best
}

func readFC(path string) ([]geo.Feature, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geo.ParseFeatures(b)
	if err != nil {
		return nil, fmt.Errorf("gen: %s: %w", path, err)
	}
	return fc, nil
}

// round keeps four decimals (about 11 m), far finer than the generalised
// borders, to keep the embedded file small.
func round(mp orb.MultiPolygon) orb.MultiPolygon {
	r := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		var np orb.Polygon
		for _, ring := range poly {
			var nr orb.Ring
			for _, p := range ring {
				q := orb.Point{r(p[0]), r(p[1])}
				if len(nr) > 0 && nr[len(nr)-1] == q {
					continue
				}
				nr = append(nr, q)
			}
			np = append(np, nr)
		}
		out = append(out, np)
	}
	return out
}

func nearest(areas []*geo.Area, country string, lat, lon float64) *geo.Area {
	var best *geo.Area
	bd := math.Inf(1)
	for _, a := range areas {
		if a.Country != country {
			continue
		}
		if a.Contains(lat, lon) {
			return a
		}
		if d := a.BorderKm(lat, lon); d < bd {
			best, bd = a, d
		}
	}
	return best
}

func writeAreas(path string, areas []*geo.Area) error {
	var feats []any
	sort.SliceStable(areas, func(i, j int) bool {
		if areas[i].Country != areas[j].Country {
			return areas[i].Country < areas[j].Country
		}
		return areas[i].Admin2 < areas[j].Admin2
	})
	for _, a := range areas {
		feats = append(feats, feature(map[string]any{"country": a.Country, "admin1": a.Admin1, "admin2": a.Admin2}, "MultiPolygon", geo.MarshalPolygons(a.Shape)))
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// copyRoads keeps each corridor's name, towns and line, dropping the
// source notes that the raw table already records.
func copyRoads(src, dst string) error {
	fc, err := readFC(src)
	if err != nil {
		return err
	}
	var feats []any
	for _, f := range fc {
		feats = append(feats, feature(map[string]any{"route": f.Properties["route"], "towns": f.Properties["towns"]}, "LineString", f.Line))
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func feature(props map[string]any, typ string, coords any) map[string]any {
	return map[string]any{"type": "Feature", "properties": props, "geometry": map[string]any{"type": typ, "coordinates": coords}}
}
