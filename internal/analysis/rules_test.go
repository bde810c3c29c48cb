package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultRules(t *testing.T) {
	r := DefaultRules()
	if !r.Spike.Enabled || r.Spike.Method != "poisson" || r.Spike.BaselineWeeks != 8 || r.MassCasualty.MinDeaths != 20 {
		t.Errorf("defaults = %+v", r)
	}
	if len(r.Near.Points) != 1 || r.Near.Points[0].Name != "Bamako" || r.Near.Points[0].RadiusKm != 50 {
		t.Errorf("points = %+v", r.Near.Points)
	}
	if len(r.ViolentTypes) != 3 || r.Situations.StaleDays != 90 {
		t.Errorf("violent types %v, stale days %d", r.ViolentTypes, r.Situations.StaleDays)
	}
}

func TestParseRules(t *testing.T) {
	base := DefaultRules()
	for _, tc := range []struct {
		name, in string
		check    func(Rules) bool
		err      string
	}{
		{"empty keeps defaults", "", func(r Rules) bool { return r.Spike.PValue == 0.005 }, ""},
		{"override", "[spike]\np_value = 0.01 # stricter\nmethod = ewma\n", func(r Rules) bool { return r.Spike.PValue == 0.01 && r.Spike.Method == "ewma" }, ""},
		{"add point", "[near]\npoint = Gao, 16.27, -0.04, 30\n", func(r Rules) bool { return len(r.Near.Points) == 2 && r.Near.Points[1].Name == "Gao" }, ""},
		{"replace point", "[near]\npoint = bamako, 12.6, -8, 80\n", func(r Rules) bool { return len(r.Near.Points) == 1 && r.Near.Points[0].RadiusKm == 80 }, ""},
		{"remove point", "[near]\npoint = Bamako, 0, 0, 0\n", func(r Rules) bool { return len(r.Near.Points) == 0 }, ""},
		{"corridor list", "[route]\ncorridors = rn6, RN7\n", func(r Rules) bool { return len(r.Route.Corridors) == 2 }, ""},
		{"disable", "[mass_casualty]\nenabled = false\n", func(r Rules) bool { return !r.MassCasualty.Enabled }, ""},
		{"CRLF and BOM", "\ufeff[new_area]\r\nmonths = 3\r\n", func(r Rules) bool { return r.NewArea.Months == 3 }, ""},
		{"unknown section", "[spikes]\n", nil, "unknown section"},
		{"unknown key", "[spike]\npvalue = 1\n", nil, "unknown key"},
		{"key before section", "p_value = 1\n", nil, "before any [section]"},
		{"no equals", "[spike]\np_value\n", nil, "key = value"},
		{"out of range", "[spike]\np_value = 2\n", nil, "outside"},
		{"not a number", "[route]\nmax_km = far\n", nil, "not a number"},
		{"NaN", "[route]\nmax_km = NaN\n", nil, "not a number"},
		{"bad method", "[spike]\nmethod = magic\n", nil, "poisson or ewma"},
		{"bad point", "[near]\npoint = Gao, 16\n", nil, "NAME, LATITUDE"},
		{"bad latitude", "[near]\npoint = X, 95, 0, 10\n", nil, "latitude"},
		{"bad bool", "[near]\nenabled = maybe\n", nil, "invalid syntax"},
		{"unclosed header", "[spike\n", nil, "without ]"},
		{"binary", "[spike]\x00", nil, "binary"},
		{"invalid UTF-8", "[spike]\n\xff\xfe", nil, "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRules(base, []byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrBadRules) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(r) {
				t.Errorf("rules = %+v", r)
			}
		})
	}
	// The base is never modified.
	if _, err := ParseRules(base, []byte("[near]\npoint = Gao, 16.27, -0.04, 30\n")); err != nil || len(base.Near.Points) != 1 {
		t.Errorf("base changed: %v %v", base.Near.Points, err)
	}
}

func TestLoadRules(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rules.ini")
	if err := os.WriteFile(p, []byte("[mass_casualty]\nmin_deaths = 50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRules(p)
	if err != nil || r.MassCasualty.MinDeaths != 50 || !r.Spike.Enabled {
		t.Fatalf("LoadRules = %+v, %v", r.MassCasualty, err)
	}
	if _, err := LoadRules(filepath.Join(dir, "missing.ini")); err == nil {
		t.Error("missing file: no error")
	}
	big := filepath.Join(dir, "big.ini")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", maxRulesBytes+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRules(big); err == nil {
		t.Error("oversized file: no error")
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add(defaultRules)
	f.Add([]byte("[near]\npoint = A, 1, 2, 3\npoint = a, 1, 2, 0\n"))
	f.Add([]byte("[spike]\nmethod=ewma\newma_alpha=0.5\n[route]\ncorridors=*\n"))
	f.Add([]byte("[\n]\n=\n"))
	base := DefaultRules()
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRules(base, b)
		if err != nil {
			if !errors.Is(err, ErrBadRules) {
				t.Fatalf("error not wrapping ErrBadRules: %v", err)
			}
			return
		}
		if r.MaxGeoPrecision < 1 || r.MaxGeoPrecision > 3 || len(r.Near.Points) > maxPoints {
			t.Fatalf("accepted rules out of range: %+v", r)
		}
		for _, p := range r.Near.Points {
			if p.RadiusKm <= 0 || p.Name == "" {
				t.Fatalf("accepted point %+v", p)
			}
		}
	})
}

func TestParseWeek(t *testing.T) {
	for _, tc := range []struct {
		in, want, from, to string
	}{
		{"2025-W13", "2025-W13", "2025-03-24", "2025-03-30"},
		{"2025w01", "2025-W01", "2024-12-30", "2025-01-05"},
		{"2020-W53", "2020-W53", "2020-12-28", "2021-01-03"},
		{"2025-W53", "", "", ""},
		{"2025-W00", "", "", ""},
		{"2025-13", "", "", ""},
		{"2025-W13x", "", "", ""},
		{"", "", "", ""},
	} {
		w, err := ParseWeek(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseWeek(%q) = %v, want error", tc.in, w)
			}
			continue
		}
		if err != nil || w.String() != tc.want || day(w.Start()) != tc.from || day(w.End()) != tc.to {
			t.Errorf("ParseWeek(%q) = %v %s..%s, %v", tc.in, w, day(w.Start()), day(w.End()), err)
		}
	}
}

func FuzzParseWeek(f *testing.F) {
	for _, s := range []string{"2025-W13", "2025w1", "1-W1", "9999-W99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWeek(s)
		if err == nil {
			if back, err := ParseWeek(w.String()); err != nil || back != w {
				t.Fatalf("%q → %v does not round-trip", s, w)
			}
		}
	})
}
