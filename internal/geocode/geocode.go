package geocode

import (
	_ "embed"
	"log/slog"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

var (
	//go:embed data/roads.geojson
	roadsJSON []byte
	//go:embed data/cues.txt
	cuesTxt []byte
	//go:embed data/areas.tsv
	areasTSV []byte
	//go:embed data/hints.tsv
	hintsTSV []byte
)

// Options configure a Geocoder.
type Options struct {
	// RoadsPath is a GeoJSON file of LineString corridors used for "on the
	// road between X and Y"; empty means the embedded Mali corridors.
	RoadsPath string
	// Logger receives warnings about unreadable option files; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Geocoder resolves place expressions in report text against a gazetteer.
// It implements event.Geocoder and is safe for concurrent use.
type Geocoder struct {
	gaz       *gazetteer.Gazetteer
	cues      *cues
	areas     []area
	hints     []hint
	roads     []Road
	capitals  map[string]gazetteer.Entry // country|admin1 -> regional capital
	seats     map[string]gazetteer.Entry // country|admin2 -> cercle/province seat
	countries map[string]gazetteer.Entry // country -> country entry
	capital   map[string]gazetteer.Entry // country -> national capital
	// By folded unit name, for "(Bankass, Mopti)" after an unknown name.
	seatByKey, capitalByKey map[string]gazetteer.Entry
}

var _ event.Geocoder = (*Geocoder)(nil)

// New returns a Geocoder over g. The embedded word lists always load (they
// are checked by the tests); a RoadsPath that cannot be read is logged and
// the embedded corridors are used instead.
func New(g *gazetteer.Gazetteer, opts Options) *Geocoder {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	c, err := parseCues(cuesTxt)
	if err != nil {
		log.Error("geocode: embedded cues", "err", err)
		c = &cues{demonym: map[string]string{}, direction: map[string]float64{}}
	}
	ar, err := parseAreas(areasTSV)
	if err != nil {
		log.Error("geocode: embedded areas", "err", err)
	}
	hs, err := parseHints(hintsTSV)
	if err != nil {
		log.Error("geocode: embedded hints", "err", err)
	}
	rd, err := ParseRoads(roadsJSON)
	if err != nil {
		log.Error("geocode: embedded roads", "err", err)
	}
	if opts.RoadsPath != "" {
		b, err := os.ReadFile(opts.RoadsPath)
		if err == nil {
			var r []Road
			if r, err = ParseRoads(b); err == nil {
				rd = r
			}
		}
		if err != nil {
			log.Warn("geocode: roads file unusable; using the embedded corridors", "path", opts.RoadsPath, "err", err)
		}
	}
	gc := &Geocoder{gaz: g, cues: c, areas: ar, hints: hs, roads: rd,
		capitals: map[string]gazetteer.Entry{}, capital: map[string]gazetteer.Entry{}, seats: map[string]gazetteer.Entry{}, countries: map[string]gazetteer.Entry{}}
	gc.index()
	gc.seatByKey, gc.capitalByKey = map[string]gazetteer.Entry{}, map[string]gazetteer.Entry{}
	for _, e := range gc.seats {
		k := gazetteer.Key(e.Admin2)
		// Deterministic when two countries share a unit name: lowest id wins.
		if old, ok := gc.seatByKey[k]; !ok || e.ID < old.ID {
			gc.seatByKey[k] = e
		}
	}
	for _, e := range gc.capitals {
		k := gazetteer.Key(e.Admin1)
		if old, ok := gc.capitalByKey[k]; !ok || e.ID < old.ID {
			gc.capitalByKey[k] = e
		}
	}
	return gc
}

// index picks one representative town per region and per cercle: region
// level places are put at the regional capital, as ACLED does, rather than
// at a centroid that may lie in empty desert.
func (gc *Geocoder) index() {
	gc.gaz.Each(func(e gazetteer.Entry) {
		switch {
		case e.Level == gazetteer.Country:
			if _, ok := gc.countries[e.Country]; !ok {
				gc.countries[e.Country] = e
			}
		case e.Level == gazetteer.Place && e.Feature == "PPLC":
			gc.capital[e.Country] = e
			fallthrough
		case e.Level == gazetteer.Place && e.Admin1 != "" && e.Feature == "PPLA":
			k := e.Country + "|" + e.Admin1
			old, ok := gc.capitals[k]
			// Prefer the capital that shares the region's name
			// (Tombouctou over Taoudénit, both coded in Tombouctou).
			if !ok || (!sameName(gc.gaz, old, e.Admin1) && sameName(gc.gaz, e, e.Admin1)) {
				gc.capitals[k] = e
			}
		}
	})
	gc.gaz.Each(func(e gazetteer.Entry) {
		if e.Level == gazetteer.Admin1 {
			if _, ok := gc.capitals[e.Country+"|"+e.Admin1]; !ok {
				gc.capitals[e.Country+"|"+e.Admin1] = e
			}
		}
		if e.Admin2 == "" || e.Level != gazetteer.Place || e.Rank < 75 {
			return
		}
		k := e.Country + "|" + e.Admin2
		if old, ok := gc.seats[k]; !ok || e.Rank > old.Rank {
			gc.seats[k] = e
		}
	})
	gc.gaz.Each(func(e gazetteer.Entry) {
		if e.Level == gazetteer.Admin2 && e.Admin2 != "" {
			if _, ok := gc.seats[e.Country+"|"+e.Admin2]; !ok {
				gc.seats[e.Country+"|"+e.Admin2] = e
			}
		}
	})
}

func sameName(g *gazetteer.Gazetteer, e gazetteer.Entry, name string) bool {
	for _, x := range g.Lookup(name) {
		if x.ID == e.ID && x.Name == e.Name {
			return true
		}
	}
	return false
}

// Admin returns the country, ACLED region and cercle/province at a point
// (point in polygon; the nearest polygon within 25 km for points just
// outside a generalised border; GeoNames regions for Niger). All three are
// empty when no unit is near.
func (gc *Geocoder) Admin(lat, lon float64) (country, admin1, admin2 string) {
	country, admin1, admin2, _ = gc.gaz.Admin(lat, lon)
	return country, admin1, admin2
}

// Scope analyses one report's text and returns its resolver. It never
// fails: text without places yields a scope with no places.
func (gc *Geocoder) Scope(text string) event.PlaceScope {
	return gc.analyse(text)
}

// place converts a gazetteer entry to an event place.
func place(e gazetteer.Entry, mention string, precision int) event.Place {
	return event.Place{Name: e.Name, Mention: mention, Country: e.Country, Admin1: e.Admin1, Admin2: e.Admin2,
		Lat: e.Lat, Lon: e.Lon, Precision: precision, GeonameID: e.ID}
}

// regionPlace is a region-level place at its capital.
func (gc *Geocoder) regionPlace(country, admin1, mention string) (event.Place, bool) {
	c, ok := gc.capitals[country+"|"+admin1]
	if !ok {
		return event.Place{}, false
	}
	p := place(c, mention, event.RegionPrecision)
	p.Admin1, p.Admin2 = admin1, ""
	if c.Level == gazetteer.Place {
		p.Name = admin1
		p.GeonameID = 0
	}
	return p, true
}

// countryPlace is a country-level place, put at the national capital as
// ACLED does for national events (government decisions, nationwide
// protests), with the capital's region.
func (gc *Geocoder) countryPlace(country, mention string) (event.Place, bool) {
	c, ok := gc.countries[country]
	if !ok {
		return event.Place{}, false
	}
	p := place(c, mention, event.RegionPrecision)
	if cap, ok := gc.capital[country]; ok {
		p.Lat, p.Lon, p.Admin1 = cap.Lat, cap.Lon, cap.Admin1
	}
	p.Name = country
	return p, true
}
