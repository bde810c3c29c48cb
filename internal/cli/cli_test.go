package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sw runs the command line as a user would and returns stdout, stderr and
// the exit code.
func sw(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const report = `Gunmen kill eleven soldiers near Boni

On Sunday, JNIM fighters attacked the army post in Boni, killing 11 soldiers, the army said on Monday.
Subscribe to our newsletter for more news from the Sahel.
`

func TestHelp(t *testing.T) {
	out, _, code := sw(t, "", "help")
	if code != 0 || !strings.Contains(out, "extract") || !strings.Contains(out, "demo") {
		t.Fatalf("help: code %d, output %q", code, out)
	}
	out, _, code = sw(t, "", "help", "ingest")
	if code != 0 || !strings.Contains(out, "--db") {
		t.Fatalf("help ingest: code %d, output %q", code, out)
	}
	if _, _, code := sw(t, "", "nosuch"); code != exitUsage {
		t.Fatalf("unknown command: code %d", code)
	}
}

// The evaluation contract: every field README.md of ../shared/eval names.
func TestExtractContract(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "boni.txt", []byte(report))
	out, errs, code := sw(t, "", "extract", "--published", "2024-06-11", p)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	fields := []string{"event_id", "doc", "event_date", "time_precision", "event_type", "sub_event_type",
		"actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "admin2", "location",
		"latitude", "longitude", "geo_precision", "fatalities", "kind", "confidence", "evidence", "notes"}
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not JSON: %v: %s", err, sc.Text())
		}
		for _, f := range fields {
			if _, ok := rec[f]; !ok {
				t.Errorf("field %q missing in %s", f, sc.Text())
			}
		}
		if rec["doc"] != "boni" {
			t.Errorf("doc = %v, want the base name without extension", rec["doc"])
		}
		n++
	}
	if n == 0 {
		t.Fatal("no events")
	}
	if strings.Contains(out, "newsletter") {
		t.Error("junk line reached the evidence")
	}
}

func TestExtractJSONLInput(t *testing.T) {
	dir := t.TempDir()
	line, _ := json.Marshal(map[string]any{"doc": "r1", "text": report, "published": "2024-06-11", "url": "https://example.org/r1"})
	p := write(t, dir, "reports.jsonl", append(append(line, '\n'), []byte("{broken\n")...))
	out, errs, code := sw(t, "", "extract", "--input-format", "jsonl", p)
	if code != exitFailed {
		t.Fatalf("code %d, want %d (one broken line)", code, exitFailed)
	}
	if !strings.Contains(errs, "reports.jsonl:2") {
		t.Errorf("the error does not name the broken line: %s", errs)
	}
	if !strings.Contains(out, `"doc":"r1"`) {
		t.Errorf("the good line was not processed: %s", out)
	}
}

// Bad inputs are named, the good ones still processed, and a store that
// already holds events keeps them.
func TestIngestBadInputsAndIdempotence(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sw.db")
	good := write(t, dir, "good.txt", []byte(report))
	if _, errs, code := sw(t, "", "ingest", "-q", "--db", db, "--published", "2024-06-11", good); code != 0 {
		t.Fatalf("first ingest: code %d: %s", code, errs)
	}
	before, _, _ := sw(t, "", "export", "--db", db)
	if strings.Count(before, "\n") == 0 {
		t.Fatal("nothing stored")
	}
	bad := map[string][]byte{
		"empty.txt":  {},
		"binary.txt": {0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xfe},
	}
	var inputs []string
	for name, data := range bad {
		inputs = append(inputs, write(t, dir, name, data))
	}
	inputs = append(inputs, filepath.Join(dir, "missing.txt"), good)
	_, errs, code := sw(t, "", append([]string{"ingest", "-q", "--db", db}, inputs...)...)
	if code != exitFailed {
		t.Fatalf("code %d, want %d", code, exitFailed)
	}
	for _, name := range []string{"empty.txt", "binary.txt", "missing.txt"} {
		if !strings.Contains(errs, name) {
			t.Errorf("no error naming %s in %q", name, errs)
		}
	}
	after, _, _ := sw(t, "", "export", "--db", db)
	if after != before {
		t.Errorf("the store changed after bad inputs and a re-ingest:\nbefore %s\nafter  %s", before, after)
	}
}

func TestStdinAndCSVExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sw.db")
	if _, errs, code := sw(t, report, "ingest", "-q", "--db", db, "--published", "2024-06-11", "-"); code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	out, _, code := sw(t, "", "export", "--db", db, "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "event_id_cnty,event_date,year,time_precision,event_type") {
		t.Fatalf("csv export: code %d, %q", code, out)
	}
}

// The main job on its embedded default, without serving.
func TestDemo(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	out, errs, code := sw(t, "", "demo", "--no-serve")
	if code != 0 {
		t.Fatalf("demo: code %d: %s", code, errs)
	}
	if !strings.Contains(out, "incidents") || strings.Contains(out, "Found 0 incidents") {
		t.Fatalf("demo summary: %s", out)
	}
}
