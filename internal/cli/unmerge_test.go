package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// Two outlets' accounts of one attack, in our own words.
const (
	tamaniA = "Gendarmerie post attacked in Tamani\n\nOn 25 March, JNIM fighters attacked the gendarmerie post in Tamani, in the Ségou region, killing six gendarmes.\n"
	tamaniB = "Tamani : le poste de gendarmerie attaqué\n\nLe 25 mars, des hommes armés ont attaqué le poste de gendarmerie de Tamani. Huit gendarmes ont été tués selon une source locale.\n"
	// The second outlet's corrected toll.
	tamaniB2 = "Tamani : le poste de gendarmerie attaqué\n\nLe 25 mars, des hommes armés ont attaqué le poste de gendarmerie de Tamani. Dix gendarmes ont été tués selon un nouveau bilan.\n"
)

type exported struct {
	ID         string `json:"event_id"`
	Location   string `json:"location"`
	Fatalities int    `json:"fatalities"`
	High       int    `json:"fatalities_high"`
	Sources    []struct {
		Doc, URL, Outlet, Published, Excerpt string
	} `json:"sources"`
}

func tamaniEvents(t *testing.T, db string) []exported {
	t.Helper()
	var out []exported
	for _, line := range strings.Split(strings.TrimSpace(exportEvents(t, db)), "\n") {
		var e exported
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		if e.Location == "Tamani" {
			out = append(out, e)
		}
	}
	return out
}

type apiDetail struct {
	Event     exported `json:"event"`
	Revisions []struct {
		Doc, Action string
		Changes     map[string]string
	} `json:"revisions"`
}

// apiEvent reads /api/v1/events/{id} from a server over the store.
func apiEvent(t *testing.T, db, id string) apiDetail {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(server.New(st, server.Options{}).Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/events/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET event %s: %s", id, resp.Status)
	}
	var d apiDetail
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d apiDetail) actions() []string {
	var out []string
	for _, r := range d.Revisions {
		out = append(out, r.Action)
	}
	return out
}

// Merge, provenance, revision history, a newer version of a report and
// merge undo, end to end through the command line and the API.
func TestMergeHistoryUnmerge(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sw.db")
	a := write(t, dir, "tamani-a.txt", []byte(tamaniA))
	b := write(t, dir, "tamani-b.txt", []byte(tamaniB))
	for _, p := range []string{a, b} {
		if _, errs, code := sw(t, "", "ingest", "-q", "--published", "2025-03-27", "--db", db, p); code != 0 {
			t.Fatalf("ingest %s: %s", p, errs)
		}
	}
	evs := tamaniEvents(t, db)
	if len(evs) != 1 || len(evs[0].Sources) != 2 {
		t.Fatalf("want one Tamani event with two sources, got %+v", evs)
	}
	ev := evs[0]
	docB := ""
	for _, s := range ev.Sources {
		if s.Excerpt == "" || s.Published != "2025-03-27" || s.Doc == "" {
			t.Errorf("source without provenance: %+v", s)
		}
		if strings.Contains(s.Excerpt, "poste de gendarmerie") {
			docB = s.Doc
		}
	}
	if docB == "" {
		t.Fatalf("no source quotes report b: %+v", ev.Sources)
	}
	if ev.Fatalities != 6 || ev.High != 8 {
		t.Errorf("fatalities %d (high %d), want 6 (high 8)", ev.Fatalities, ev.High)
	}
	d := apiEvent(t, db, ev.ID)
	if got := d.actions(); !slices.Equal(got, []string{"created", "merged"}) || d.Revisions[1].Doc != docB || d.Revisions[1].Changes["fatalities"] == "" {
		t.Errorf("revisions = %+v", d.Revisions)
	}
	if len(d.Event.Sources) != 2 {
		t.Errorf("API lists %d sources, want 2", len(d.Event.Sources))
	}

	// A newer version of b updates the event: same ID, new toll, history.
	write(t, dir, "tamani-b.txt", []byte(tamaniB2))
	out, errs, code := sw(t, "", "ingest", "-q", "--published", "2025-03-27", "--db", db, b)
	if code != 0 {
		t.Fatalf("ingest new version: %s", errs)
	}
	if !strings.Contains(out, "0 already stored") {
		t.Errorf("new version taken for a duplicate: %s", out)
	}
	evs = tamaniEvents(t, db)
	if len(evs) != 1 || evs[0].ID != ev.ID || len(evs[0].Sources) != 2 || evs[0].High != 10 {
		t.Fatalf("after the new version: %+v, want %s with two sources and high 10", evs, ev.ID)
	}
	d = apiEvent(t, db, ev.ID)
	if got := d.actions(); !slices.Equal(got, []string{"created", "merged", "updated", "merged"}) {
		t.Errorf("revisions after the new version = %v", got)
	}

	// Undo b's merge: the event is a's alone again, b's stands apart.
	out, errs, code = sw(t, "", "unmerge", "--db", db, ev.ID, docB)
	if code != 0 {
		t.Fatalf("unmerge: code %d: %s", code, errs)
	}
	evs = tamaniEvents(t, db)
	if len(evs) != 2 {
		t.Fatalf("after unmerge: %+v, want two Tamani events", evs)
	}
	for _, e := range evs {
		switch {
		case e.ID == ev.ID:
			if len(e.Sources) != 1 || e.Sources[0].Doc == docB || e.Fatalities != 6 || e.High != 6 {
				t.Errorf("restored event %+v, want a's alone with 6 dead", e)
			}
		default:
			if len(e.Sources) != 1 || e.Sources[0].Doc != docB || e.Fatalities != 10 {
				t.Errorf("split-off event %+v, want b's with 10 dead", e)
			}
			if !strings.Contains(out, e.ID) {
				t.Errorf("unmerge output %q does not name the new event %s", out, e.ID)
			}
		}
	}
	if got := apiEvent(t, db, ev.ID).actions(); got[len(got)-1] != "unmerged" {
		t.Errorf("revisions after unmerge = %v", got)
	}
	if _, _, code := sw(t, "", "unmerge", "--db", db, ev.ID, docB); code != exitFailed {
		t.Errorf("second unmerge: code %d, want %d", code, exitFailed)
	}
	if _, _, code := sw(t, "", "unmerge", "--db", db, ev.ID); code != exitUsage {
		t.Errorf("unmerge without a doc: code %d, want %d", code, exitUsage)
	}
}
