package extract_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sahelwatch/sahelwatch/internal/clean"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

var update = flag.Bool("update", false, "rewrite the want.txt sections of testdata/reports/*.txtar")

// TestReports runs every report in testdata/reports (our own words) and
// compares a one-line summary per event with the want.txt section. Run with
// -update after a deliberate change and read the diff.
func TestReports(t *testing.T) {
	files, err := filepath.Glob("testdata/reports/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test reports: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var meta struct{ Published, Lang string }
			var text string
			wantIdx := -1
			for i, f := range ar.Files {
				switch f.Name {
				case "meta.json":
					if err := json.Unmarshal(f.Data, &meta); err != nil {
						t.Fatal(err)
					}
				case "report.txt":
					text = string(f.Data)
				case "want.txt":
					wantIdx = i
				}
			}
			if wantIdx < 0 {
				t.Fatal("no want.txt section")
			}
			// through the cleaner first, as in the pipeline: the fixtures
			// carry page junk
			cl, err := clean.New(clean.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := &event.Report{Doc: "t", Raw: []byte(text), Lang: meta.Lang}
			if err := cl.Clean(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			got := summarise(run(t, r.Text, meta.Lang, meta.Published))
			if *update {
				ar.Files[wantIdx].Data = []byte(got)
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(ar.Files[wantIdx].Data); got != want {
				t.Errorf("events differ (go test -run TestReports -update to accept):\ngot:\n%swant:\n%s", got, want)
			}
		})
	}
}

func summarise(evs []event.Event) string {
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "%s %s p%d | %s / %s | %s | %s | %s p%d %s | dead %d\n", e.Kind, e.Date.Format("2006-01-02"),
			e.TimePrecision, e.EventType, e.SubEventType, e.Actor1.Name, e.Actor2.Name, e.Place.Name, e.Place.Precision,
			e.Place.Admin1, e.Fatalities)
	}
	return b.String()
}
