package sqlstore

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

var errBad = errors.New("bad filter")

func TestCursor(t *testing.T) {
	good := EncodeCursor(Cursor{Sort: "date", Date: "2024-03-01", ID: "SW1"})
	for _, tc := range []struct {
		name, in, sort string
		ok             bool
	}{
		{"round trip", good, "date", true},
		{"other sort", good, "fatalities", false},
		{"not base64", "!!", "date", false},
		{"not JSON", "bm9wZQ", "date", false},
		{"no ID", EncodeCursor(Cursor{Sort: "date"}), "date", false},
		{"empty", "", "date", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := DecodeCursor(tc.in, tc.sort, errBad)
			if tc.ok {
				if err != nil || c.ID != "SW1" || c.Date != "2024-03-01" {
					t.Errorf("DecodeCursor = %+v, %v", c, err)
				}
				return
			}
			if !errors.Is(err, errBad) {
				t.Errorf("DecodeCursor error %v does not wrap the backend's sentinel", err)
			}
		})
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add("", "date")
	f.Add(EncodeCursor(Cursor{Sort: "fatalities", Fatal: 3, ID: "x"}), "fatalities")
	f.Add("e30", "date")
	f.Fuzz(func(t *testing.T, s, sort string) {
		c, err := DecodeCursor(s, sort, errBad)
		if err == nil && (c.ID == "" || c.Sort != sort) {
			t.Errorf("accepted cursor %+v", c)
		}
		if err != nil && !errors.Is(err, errBad) {
			t.Errorf("error %v does not wrap the sentinel", err)
		}
	})
}

func TestLimit(t *testing.T) {
	for _, tc := range []struct{ in, want int }{{0, DefaultLimit}, {-5, DefaultLimit}, {7, 7}, {MaxLimit + 1, MaxLimit}} {
		if got := Limit(tc.in); got != tc.want {
			t.Errorf("Limit(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Libération", "liberation"},
		{"ÉTAT ISLAMIQUE", "etat islamique"},
		{"JNIM", "jnim"},
		{"", ""},
		{"\xff", "\ufffd"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	e := event.Event{Actor1: event.Actor{Name: "Armée", Assoc: "Wagner"}, Actor2: event.Actor{Name: "JNIM"}}
	if got, want := FoldActors(&e), "armee\x1fwagner\x1fjnim\x1f"; got != want {
		t.Errorf("FoldActors = %q, want %q", got, want)
	}
	if got := ActorQuery(" Ar\x1fmée "); got != "armee" {
		t.Errorf("ActorQuery = %q, want %q", got, "armee")
	}
}

func TestFinite(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{math.NaN(), 0}, {math.Inf(1), math.MaxFloat64}, {math.Inf(-1), -math.MaxFloat64}, {12.5, 12.5},
	} {
		if got := Finite(tc.in); got != tc.want {
			t.Errorf("Finite(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSnapshot(t *testing.T) {
	for _, e := range []event.Event{
		{ID: "SW1", Kind: "violence", Date: time.Date(2024, 9, 17, 0, 0, 0, 0, time.UTC),
			Actor1: event.Actor{Name: "JNIM", Inter: 2}, Place: event.Place{Name: "Bamako", Lat: 12.6, Lon: -8}, Fatalities: 70},
		{ID: "SW2", Notes: "no date"},
	} {
		_, before, _, err := MergeRecord(nil, e, event.Event{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Unsnapshot(before)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("Unsnapshot(NewSnapshot(e)) = %+v, want %+v", got, e)
		}
	}
	if rules, _, _, _ := MergeRecord(nil, event.Event{}, event.Event{}); string(rules) != "{}" {
		t.Errorf("nil rules recorded as %s, want {}", rules)
	}
	if _, err := Unsnapshot([]byte("{")); err == nil {
		t.Error("Unsnapshot accepted broken JSON")
	}
}

func TestMigrateStep(t *testing.T) {
	for _, tc := range []struct {
		name       string
		stored, i  int
		wantRun    bool
		wantRecord int
		wantErr    bool
	}{
		{"fresh", 0, 0, true, 1, false},
		{"next", 2, 2, true, 3, false},
		{"done", 3, 1, false, 0, false},
		{"newer build", 5, 0, false, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ran, recorded := false, 0
			err := MigrateStep(tc.i, 4,
				func() (int, error) { return tc.stored, nil },
				func() error { ran = true; return nil },
				func(v int) error { recorded = v; return nil })
			if (err != nil) != tc.wantErr || ran != tc.wantRun || recorded != tc.wantRecord {
				t.Errorf("err %v, ran %v, recorded %d; want err %v, ran %v, recorded %d",
					err, ran, recorded, tc.wantErr, tc.wantRun, tc.wantRecord)
			}
		})
	}
}
