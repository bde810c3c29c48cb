package evaluate

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	scorePy = "/work/shared/eval/score.py"
	dedupPy = "/work/shared/eval/score_dedup.py"
)

func mustLoad(t *testing.T, gold, pred string) ([]GoldDoc, []map[string]any, map[string][]string) {
	t.Helper()
	g, err := LoadGold(gold)
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadPreds(pred)
	if err != nil {
		t.Fatal(err)
	}
	a, err := LoadActors("testdata/actors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return g, p, a
}

// render is what score.py prints with -v, then with --json.
func render(t *testing.T, r Result) (verbose, js string) {
	t.Helper()
	var b bytes.Buffer
	for _, l := range r.Lines {
		b.WriteString(l + "\n")
	}
	r.WriteText(&b)
	j, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), string(j) + "\n"
}

func TestScoreGolden(t *testing.T) {
	g, p, a := mustLoad(t, "testdata/gold.jsonl", "testdata/pred.jsonl")
	v, j := render(t, Score(g, p, a))
	got := v + j
	path := "testdata/score.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking):\n%s", path, got)
	}
}

// pyAvailable skips unless python3 and the scorer are present.
func pyAvailable(t *testing.T, script string) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	if _, err := os.Stat(script); err != nil {
		t.Skip(script + " not present")
	}
}

func runPy(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("python3", args...).Output()
	if err != nil {
		t.Fatalf("python3 %v: %v", args, err)
	}
	return string(out)
}

// TestAgreesWithScorePy runs score.py on the same files, for the whole
// corpus and for each language, and wants byte-identical output.
func TestAgreesWithScorePy(t *testing.T) {
	pyAvailable(t, scorePy)
	gold, preds, actors := mustLoad(t, "testdata/gold.jsonl", "testdata/pred.jsonl")
	raw, err := os.ReadFile("testdata/gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string][]GoldDoc{"all": gold}
	files := map[string]string{"all": "testdata/gold.jsonl"}
	dir := t.TempDir()
	for lang, docs := range SplitByLang(gold) {
		// the per-language gold file holds the same lines, filtered
		var b strings.Builder
		for _, line := range strings.Split(string(raw), "\n") {
			var head struct{ Lang string }
			if json.Unmarshal([]byte(line), &head) == nil && head.Lang == lang {
				b.WriteString(line + "\n")
			}
		}
		f := filepath.Join(dir, "gold_"+lang+".jsonl")
		if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		sets[lang], files[lang] = docs, f
	}
	if len(sets) != 3 {
		t.Fatalf("want all+en+fr, got %d sets", len(sets))
	}
	for name, docs := range sets {
		t.Run(name, func(t *testing.T) {
			v, j := render(t, Score(docs, preds, actors))
			args := []string{scorePy, "--gold", files[name], "--pred", "testdata/pred.jsonl", "--actors", "testdata/actors.tsv"}
			if want := runPy(t, append(args, "-v")...); v != want {
				t.Errorf("text differs\n got:\n%s\nwant:\n%s", v, want)
			}
			if want := runPy(t, append(args, "--json")...); j != want {
				t.Errorf("json differs\n got: %s\nwant: %s", j, want)
			}
		})
	}
}

func TestDedupAgreesWithScoreDedupPy(t *testing.T) {
	gold, err := LoadGold("testdata/dedup_gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	events, err := LoadPreds("testdata/dedup_events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	r := ScoreDedup(gold, events, nil)
	want := DedupResult{TruePairs: 2, MergedPairs: 4, TP: 2, Precision: 0.5, Recall: 1, F1: 0.667}
	if r != want {
		t.Errorf("ScoreDedup = %+v, want %+v", r, want)
	}
	pyAvailable(t, dedupPy)
	j, _ := r.JSON()
	py := runPy(t, dedupPy, "--gold", "testdata/dedup_gold.jsonl", "--events", "testdata/dedup_events.jsonl", "--json")
	if string(j)+"\n" != py {
		t.Errorf("json differs\n got: %s\nwant: %s", j, py)
	}
}

func TestNorm(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ségou", "segou"},
		{"  SÉGOU  ", "segou"},
		{"Groupe de soutien à l’islam", "groupe de soutien a l islam"},
		{"Military Forces of Mali (2021-)", "military forces of mali 2021"},
		{"ﬁn œuvre", "fin œuvre"},
		{"Tombouctou/Timbuktu", "tombouctou timbuktu"},
		{"", ""},
		{"---", ""},
		{"ΟΔΟΣ ΣΑ", "οδος σα"}, // Python lowers a word-final capital sigma to ς
	} {
		if got := Norm(c.in); got != c.want {
			t.Errorf("Norm(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDay(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string // "" for None
	}{
		{"2025-03-01", "2025-03-01"},
		{"2025-03-01T10:00:00Z", "2025-03-01"},
		{"20250301", "2025-03-01"},
		{json.Number("20250301"), "2025-03-01"},
		{"2025-W10-3", "2025-03-05"},
		{"2025W10", "2025-03-03"},
		{"2026-W53", "2026-12-28"},
		{"2025-W53", ""},
		{"2025-02-30", ""},
		{"2025-3-1", ""},
		{nil, ""},
		{"0000-01-01", ""},
	} {
		d, ok := day(c.in)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != c.want {
			t.Errorf("day(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string // "" for None
	}{
		{"3", "3.0"}, {" 2.5 ", "2.5"}, {"1_000", "1000.0"}, {"_1", ""}, {"0x10", ""}, {"nan", "nan"},
		{"-Infinity", "-inf"}, {"١٢", "12.0"}, {"", ""}, {nil, ""}, {true, "1.0"}, {json.Number("7"), "7.0"}, {[]any{}, ""},
	} {
		f, ok := num(c.in)
		got := ""
		if ok {
			got = pyFloatRepr(f)
		}
		if got != c.want {
			t.Errorf("num(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPyFormatting(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1, "1.0"}, {0.5, "0.5"}, {1e16, "1e+16"}, {1e-5, "1e-05"}, {123456789012345.6, "123456789012345.6"},
		{-0.0001, "-0.0001"}, {12.3, "12.3"}, {math.Inf(1), "inf"},
	} {
		if got := pyFloatRepr(c.f); got != c.want {
			t.Errorf("pyFloatRepr(%v) = %q, want %q", c.f, got, c.want)
		}
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{"it's", `"it's"`}, {`a"b'c`, `'a"b\'c'`}, {"é\x00\n", `'é\x00\n'`},
		{[]any{"x", json.Number("3"), json.Number("3.50"), nil, true}, "['x', 3, 3.5, None, True]"},
	} {
		if got := pyRepr(c.v); got != c.want {
			t.Errorf("pyRepr(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
	if got := round(0.0625, 3); got != 0.062 {
		t.Errorf("round(0.0625, 3) = %v, want 0.062 (ties to even)", got)
	}
	if got := round(2.675, 2); got != 2.67 {
		t.Errorf("round(2.675, 2) = %v, want 2.67 (binary value is below the tie)", got)
	}
}

func TestHungarian(t *testing.T) {
	// two golds, one pred that both could take: the required one (cheaper) wins
	cost := [][]float64{{-100, 0, 0}, {-1000, 0, 0}}
	got := hungarian(cost)
	if got[1] != 0 || got[0] == 0 {
		t.Errorf("hungarian = %v, want row 1 -> column 0", got)
	}
}

func TestParseGoldErrors(t *testing.T) {
	for _, in := range []string{
		"{not json}",
		`[1, 2]`,
		`{"events": []}`,
		`{"doc": "x", "events": {"a": 1}}`,
		`{"doc": "x", "events": [1]}`,
		"{\"doc\": \"\xff\"}",
		`{"doc": "x"} {"doc": "y"}`,
	} {
		if _, err := ParseGold(strings.NewReader(in), "t"); err == nil {
			t.Errorf("ParseGold(%q): want an error", in)
		}
	}
}

func FuzzScore(f *testing.F) {
	gold, _ := os.ReadFile("testdata/gold.jsonl")
	pred, _ := os.ReadFile("testdata/pred.jsonl")
	f.Add(gold, pred)
	f.Add([]byte(`{"doc":"d","events":[{"date_from":"2025-W01","date_to":20250101,"latitude":"x","radius_km":null,"actor1":"ab","fatalities":"1_0"}]}`),
		[]byte(`{"doc":"d","event_date":"2025-01-01","latitude":"nan","longitude":"inf","fatalities":"1e400","admin1":[1]}`))
	f.Fuzz(func(t *testing.T, g, p []byte) {
		golds, err := ParseGold(bytes.NewReader(g), "gold")
		if err != nil {
			return
		}
		preds, err := ParsePreds(bytes.NewReader(p), "pred")
		if err != nil {
			return
		}
		r := Score(golds, preds, map[string][]string{"d": {"D", "dd"}})
		r.WriteText(&bytes.Buffer{})
		if _, err := r.JSON(); err != nil {
			t.Fatal(err)
		}
		if r.TP+r.FN != r.GoldRequired || r.TP+r.FP != r.PredictedIncidents {
			t.Fatalf("inconsistent counts %+v", r)
		}
		ScoreDedup(golds, preds, nil)
	})
}

func BenchmarkScore(b *testing.B) {
	gold, _ := LoadGold("testdata/gold.jsonl")
	preds, _ := LoadPreds("testdata/pred.jsonl")
	actors, _ := LoadActors("testdata/actors.tsv")
	for b.Loop() {
		Score(gold, preds, actors)
	}
}
