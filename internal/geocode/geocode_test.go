package geocode

import (
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
)

var (
	once sync.Once
	gc   *Geocoder
)

func geocoder(t testing.TB) *Geocoder {
	t.Helper()
	once.Do(func() {
		g, err := gazetteer.Load()
		if err != nil {
			t.Fatal(err)
		}
		gc = New(g, Options{})
	})
	if gc == nil {
		t.Fatal("no geocoder")
	}
	return gc
}

// want describes the first place expression of a text.
type want struct {
	name       string // resolved name (prefix match), "" to skip
	admin1     string
	admin2     string
	precision  int
	unresolved string
	lat, lon   float64 // checked within km when km > 0
	km         float64
}

func TestScope(t *testing.T) {
	gc := geocoder(t)
	tests := []struct {
		name, text string
		want       want
	}{
		// Spelling variants and exonyms.
		{"accent-free", "Soldiers were attacked in Ouelessebougou on Sunday.", want{name: "Wolossébougou", admin1: "Koulikoro", precision: 1}},
		{"hyphen variant", "A convoy reached Tin Zaouatene.", want{name: "Ti-n-Zaouâtene", admin1: "Kidal", precision: 1}},
		{"joined variant", "Fighting in Tinzaouaten near the border.", want{name: "Ti-n-Zaouâtene", admin1: "Kidal", precision: 1}},
		{"exonym", "Rockets hit Timbuktu airport overnight.", want{name: "Timbuktu", admin1: "Tombouctou", precision: 1}},
		{"french exonym", "Des obus sont tombés sur Tombouctou.", want{name: "Timbuktu", admin1: "Tombouctou", precision: 1}},
		{"near-miss spelling", "Gunmen stormed the village of Baraouéli at dawn.", want{name: "Barouéli", admin1: "Segou", precision: 1}},
		{"prefix commune de", "Des hommes armés ont attaqué la commune de Tamani.", want{name: "Tamani", admin1: "Segou", precision: 1}},
		// Homonyms chosen from context.
		{"parentheses", "An IED exploded in Léré (Koro, Mopti).", want{name: "Léré", admin1: "Mopti", admin2: "Koro", precision: 1}},
		{"region mentioned", "Militants burned a school in Léré, in the Tombouctou region.", want{name: "Léré", admin1: "Tombouctou", precision: 1}},
		{"country mentioned", "Burkinabe troops clashed with militants at Léré in northern Burkina Faso.", want{name: "Lèré", admin1: "Sahel"}},
		{"proximity", "After leaving Niafunké, the convoy was ambushed at Léré.", want{name: "Niafunké", admin1: "Tombouctou", precision: 1}},
		{"near another place", "Hunters killed two herders in Tiena, near Diafarabe, Mopti Region.", want{admin1: "Mopti", admin2: "Tenenkou", precision: 1, lat: 14.2025, lon: -5.1384, km: 10}},
		{"border country is no vote", "Bandits clashed with MSA fighters around Tamalate near the Niger border.", want{admin1: "Menaka", precision: 2}},
		{"across the border", "Des hommes armés ont attaqué Kouri, près de la frontière avec le Mali.", want{name: "Kouri", admin1: "Boucle du Mouhoun", precision: 1}},
		{"comma and unit word", "Gunmen burned a phone mast in the area of Echell, Cercle of Goundam.", want{admin1: "Tombouctou", admin2: "Goundam", precision: 2, unresolved: "Echell"}},
		{"common word in brackets", "Les rebelles du Nord malien se sont retirés de la ville de Léré (Nord) lundi.", want{name: "Léré", admin1: "Tombouctou", precision: 1}},
		{"distance in words", "Des hommes armés ont enlevé deux commerçants à une dizaine de km de Koutiala.", want{name: "Koutiala", admin1: "Sikasso", precision: 2}},
		{"rank", "Gunmen attacked Kati, the garrison town.", want{name: "Kati", admin1: "Koulikoro", admin2: "Kati", precision: 1}},
		// Vague and relative places.
		{"near", "An IED exploded near Djibo.", want{name: "Djibo", admin1: "Sahel", precision: 2}},
		{"outskirts", "Clashes on the outskirts of Ménaka left two dead.", want{name: "Ménaka", admin1: "Menaka", precision: 2}},
		{"french near", "Une embuscade près de Douentza a fait trois morts.", want{name: "Douentza", admin1: "Mopti", precision: 2}},
		{"offset", "The camp lies 30 km north of Gao.", want{name: "Gao", admin1: "Gao", precision: 2, lat: 16.2717 + 0.27, lon: -0.0447, km: 5}},
		{"french offset", "Une attaque à 50 km au sud de Mopti.", want{name: "Mopti", precision: 2, lat: 14.4843 - 0.45, lon: -4.183, km: 5}},
		{"between", "A bus hit a mine between Ségou and San.", want{name: "Ségou", admin1: "Segou", precision: 2, lat: 13.37, lon: -5.58, km: 60}},
		{"between with ampersand", "A mine hit a convoy between Ségou & San.", want{name: "Ségou", admin1: "Segou", precision: 2, lat: 13.37, lon: -5.58, km: 60}},
		{"road from", "Trucks were looted on the road from Bamako to Ségou.", want{precision: 2, lat: 13.04, lon: -7.13, km: 40}},
		{"axis", "An IED struck a convoy on the Gao-Ansongo axis.", want{name: "Gao", precision: 2, lat: 15.97, lon: 0.23, km: 40}},
		{"region only", "Militants attacked several villages in the Ségou region.", want{admin1: "Segou", precision: 3}},
		{"french region", "Des affrontements dans la région de Mopti.", want{admin1: "Mopti", precision: 3}},
		{"bf region", "Attacks rose in the Centre-Nord region.", want{admin1: "Centre-Nord", precision: 3}},
		{"stop-listed region", "Villages in the Sahel region of Burkina Faso were emptied.", want{admin1: "Sahel", precision: 3}},
		{"french region with country", "Des villages de la région du Sahel, au Burkina, ont été vidés.", want{admin1: "Sahel", precision: 3}},
		{"cercle only", "Unrest was reported in the cercle de Bankass.", want{name: "Bankass", admin1: "Mopti", admin2: "Bankass", precision: 2}},
		{"country only", "The government of Niger declared a curfew.", want{name: "Niger", precision: 3}},
		{"algerian border", "Drones struck a vehicle in the north near the Algerian border.", want{admin1: "Kidal", precision: 3}},
		// Unknown names are kept, never dropped.
		{"unknown with region", "Gunmen attacked the village of Kouroumari-Wéré in the Mopti region.", want{admin1: "Mopti", unresolved: "Kouroumari-Wéré"}},
		{"unknown near known", "Jihadists raided the hamlet of Xabbaloum near Boni.", want{name: "Boni", precision: 2, unresolved: "Xabbaloum"}},
		{"unknown with parentheses", "A mine hit a cart in Dourgouloumbo (Bankass, Mopti).", want{admin1: "Mopti", admin2: "Bankass", precision: 2, unresolved: "Dourgouloumbo"}},
		{"unknown by its town in parentheses", "A herder was shot dead in Bolimbasso (Mondoro).", want{name: "Mondoro", admin1: "Mopti", precision: 2, unresolved: "Bolimbasso"}},
		{"coded as", "Militants ambushed a patrol between Xwarrabou and Dioura (coded as Dioura at geoprecision 2).", want{name: "Dioura", precision: 2, unresolved: "Xwarrabou"}},
		{"km from", "Two traders were shot about 20km from Djenne.", want{name: "Djénné", admin1: "Mopti", precision: 2}},
		{"unknown area near", "Fighters camped in the Xyzabou area near Mopti.", want{name: "Mopti", precision: 2, unresolved: "Xyzabou"}},
		// Country parts: a region only when one region covers it.
		{"northern mali", "Drones struck a convoy in northern Mali.", want{name: "northern Mali", precision: 3}},
		{"western niger", "Militants raided a market in western Niger.", want{admin1: "Tillaberi", precision: 3}},
		// Towns, not the airports named after them.
		{"town over airport", "Gunmen killed farmers at Barsalogho.", want{name: "Barsalogo", admin1: "Centre-Nord", precision: 1}},
		// Spelling variants resolved with the report's support.
		{"oral variant", "Dozo hunters clashed with militants in Ouolon, Segou region.", want{name: "Wolon", admin1: "Segou", precision: 1}},
		{"nasal variant", "Gunmen from the ISGS attacked a Dawsahak camp in Tindibawen.", want{name: "Tidimbawen", admin1: "Menaka"}},
		{"variant far from its anchor", "Herders were robbed in the area of Toufouge, not far from Inekar.", want{name: "Inékar", precision: 2, unresolved: "Toufouge"}},
		// A namesake far from the rest of the report is not taken.
		{"stray namesake", "A vehicle hit a mine in the Egharghar valley between Aguelhok and Tessalit, Kidal Region.", want{admin1: "Kidal", unresolved: "Egharghar"}},
		// Not places.
		{"armed group", "Katiba Macina claimed the attack in Djenné.", want{name: "Djénné", admin1: "Mopti"}},
		{"additions", "Soldiers at Boulkessi repelled an assault.", want{name: "Boulkessi", admin1: "Mopti", precision: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := gc.Scope(tt.text)
			refs := s.In(0, len(tt.text))
			if len(refs) == 0 {
				t.Fatalf("no place in %q (fallback %+v)", tt.text, s.Fallback())
			}
			checkRef(t, tt.text, refs)
			p := refs[0].Place
			w := tt.want
			if w.name != "" && !strings.HasPrefix(p.Name, w.name) {
				t.Errorf("name = %q, want %q (%+v)", p.Name, w.name, p)
			}
			if w.admin1 != "" && p.Admin1 != w.admin1 {
				t.Errorf("admin1 = %q, want %q (%+v)", p.Admin1, w.admin1, p)
			}
			if w.admin2 != "" && p.Admin2 != w.admin2 {
				t.Errorf("admin2 = %q, want %q (%+v)", p.Admin2, w.admin2, p)
			}
			if w.precision != 0 && p.Precision != w.precision {
				t.Errorf("precision = %d, want %d (%+v)", p.Precision, w.precision, p)
			}
			if p.Unresolved != w.unresolved {
				t.Errorf("unresolved = %q, want %q (%+v)", p.Unresolved, w.unresolved, p)
			}
			if w.km > 0 {
				if d := gazetteer.Km(p.Lat, p.Lon, w.lat, w.lon); d > w.km {
					t.Errorf("point %.3f,%.3f is %.0f km from %.3f,%.3f", p.Lat, p.Lon, d, w.lat, w.lon)
				}
			}
			if !p.Known() {
				t.Errorf("place has no coordinates: %+v", p)
			}
		})
	}
}

// checkRef checks offsets are valid, ordered and not overlapping.
func checkRef(t *testing.T, text string, refs []event.PlaceRef) {
	t.Helper()
	last := 0
	for _, r := range refs {
		if r.Start < last || r.End < r.Start || r.End > len(text) {
			t.Fatalf("bad offsets %d:%d after %d in %q", r.Start, r.End, last, text)
		}
		if r.Place.Precision < 0 || r.Place.Precision > 3 || math.IsNaN(r.Place.Lat) {
			t.Fatalf("bad place %+v", r.Place)
		}
		last = r.End
	}
}

func TestNotPlaces(t *testing.T) {
	gc := geocoder(t)
	for _, text := range []string{
		"Amadou Koufa and Iyad Ag Ghaly issued a statement.",
		"The Police and the Army said on Mardi that the Camp was calm.",
		"Katiba Macina and Ansar Dine fighters pledged allegiance to the Islamic State.",
		"Jihadist groups keep spreading across the Sahel region.",
		"In the Sahel, armies are short of helicopters.",
		"",
	} {
		if refs := gc.Scope(text).In(0, len(text)); len(refs) != 0 {
			t.Errorf("%q: unexpected places %+v", text, refs)
		}
	}
}

// TestFallback checks that a report's fallback place is a region only when
// the text names a place or unit in it, else the country without a region.
func TestFallback(t *testing.T) {
	gc := geocoder(t)
	tests := []struct {
		text, country, admin1 string
	}{
		{"Katiba Macina fighters killed a trader and stole his cattle.", "Mali", ""},
		{"The Malian army said a soldier died; the place was not given.", "Mali", ""},
		{"Gunmen burned a granary in a village of the Mopti region.", "Mali", "Mopti"},
		{"Soldiers were ambushed near Douentza. A second patrol was hit elsewhere.", "Mali", "Mopti"},
		{"Nothing here names a place.", "", ""},
	}
	for _, tt := range tests {
		p := gc.Scope(tt.text).Fallback()
		if p.Country != tt.country || p.Admin1 != tt.admin1 {
			t.Errorf("%q: fallback %s/%s, want %s/%s", tt.text, p.Country, p.Admin1, tt.country, tt.admin1)
		}
		if tt.country != "" && (p.Precision != event.RegionPrecision || !p.Known()) {
			t.Errorf("%q: fallback %+v, want region precision with coordinates", tt.text, p)
		}
	}
}

func TestInRange(t *testing.T) {
	gc := geocoder(t)
	text := "Gunmen attacked Kati. Later, soldiers were ambushed near Douentza."
	s := gc.Scope(text)
	cut := strings.Index(text, "Later")
	if refs := s.In(0, cut); len(refs) != 1 || refs[0].Place.Name != "Kati" {
		t.Errorf("first sentence: %+v", refs)
	}
	if refs := s.In(cut, len(text)); len(refs) != 1 || refs[0].Place.Precision != 2 {
		t.Errorf("second sentence: %+v", refs)
	}
	if fb := s.Fallback(); fb.Precision != 3 || fb.Admin1 == "" {
		t.Errorf("fallback = %+v", fb)
	}
	if refs := s.In(len(text), 0); len(refs) != 0 {
		t.Errorf("empty range gave %+v", refs)
	}
}

func TestUnknownKeepsName(t *testing.T) {
	gc := geocoder(t)
	// No unit anywhere: the event is not dropped, its name is kept.
	text := "Gunmen burned the village of Zzyzxogou."
	refs := gc.Scope(text).In(0, len(text))
	if len(refs) != 1 || refs[0].Place.Unresolved != "Zzyzxogou" {
		t.Fatalf("refs = %+v", refs)
	}
}

func TestAdmin(t *testing.T) {
	gc := geocoder(t)
	c, a1, a2 := gc.Admin(14.35005, -3.61038)
	if c != "Mali" || a1 != "Mopti" || a2 != "Bandiagara" {
		t.Errorf("Admin(Bandiagara) = %s/%s/%s", c, a1, a2)
	}
}

func TestRoadsOption(t *testing.T) {
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	// An unreadable roads file falls back to the embedded corridors.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	gc := New(g, Options{RoadsPath: t.TempDir() + "/missing.geojson", Logger: quiet})
	if len(gc.roads) == 0 {
		t.Error("no embedded roads after a bad RoadsPath")
	}
}

func FuzzScope(f *testing.F) {
	for _, s := range []string{
		"An IED exploded 30 km north of Gao (coded as Gao at geoprecision 2).",
		"entre Ségou et San", "(Bankass, Mopti)", "\xff(coded as", "near near near", "Le Sahel région du Nord",
	} {
		f.Add(s)
	}
	gc := geocoder(f)
	f.Fuzz(func(t *testing.T, s string) {
		sc := gc.Scope(s)
		checkRef(t, s, sc.In(0, len(s)))
		sc.Fallback()
	})
}

func BenchmarkScope(b *testing.B) {
	gc := geocoder(b)
	text := "On 3 May, presumed JNIM militants ambushed an army convoy 20 km south of Boni, between Hombori and Douentza (Douentza, Mopti). " +
		"The next day, gunmen attacked the village of Xyz near Mondoro and a mine exploded on the Gao-Ansongo axis."
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s := gc.Scope(text)
		s.In(0, len(text))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}

// TestCommonRegionElsewhere: "the Sahel region" in a Burkina report whose
// towns all lie in another region is the wider Sahel, not the province
// group named after it; with a town of that region it is the region.
func TestCommonRegionElsewhere(t *testing.T) {
	gc := geocoder(t)
	tests := []struct {
		text, wantFallback string
		sahelRef           bool
	}{
		{"In Burkina Faso, militias killed dozens of herders in Solenzo, amid an insurgency that grips the Sahel region.", "Boucle du Mouhoun", false},
		{"In Burkina Faso, gunmen attacked Djibo, the largest town of the Sahel region.", "Sahel", true},
	}
	for _, tt := range tests {
		s := gc.Scope(tt.text)
		if fb := s.Fallback(); fb.Admin1 != tt.wantFallback {
			t.Errorf("%q: fallback %q, want %q", tt.text, fb.Admin1, tt.wantFallback)
		}
		found := false
		for _, r := range s.In(0, len(tt.text)) {
			found = found || r.Place.Name == "Sahel" && r.Place.Precision == 3
		}
		if found != tt.sahelRef {
			t.Errorf("%q: a Sahel region place = %v, want %v", tt.text, found, tt.sahelRef)
		}
	}
}
