package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// bench's JSON is a contract for scripts that track speed: the field names
// must stay, and a small run must store events.
func TestBenchJSON(t *testing.T) {
	out, errs, code := sw(t, "", "bench", "--reports", "24", "--format", "json")
	if code != exitOK {
		t.Fatalf("code %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, f := range []string{"reports_per_second", "events_per_second", "peak_rss_mb", "stages"} {
		if _, ok := res[f]; !ok {
			t.Errorf("field %q missing", f)
		}
	}
	stages, _ := res["stages"].(map[string]any)
	for _, s := range []string{"clean", "extract", "store"} {
		if _, ok := stages[s]; !ok {
			t.Errorf("stage %q missing from %v", s, stages)
		}
	}
	if ev, _ := res["events"].(float64); ev == 0 {
		t.Errorf("24 synthetic reports gave no events: %s", out)
	}
	out, _, code = sw(t, "", "bench", "--reports", "4")
	if code != exitOK || !strings.Contains(out, "reports/s") || !strings.Contains(out, "go-trafilatura") && !strings.Contains(out, "peak memory") {
		t.Errorf("text output: code %d\n%s", code, out)
	}
	if _, _, code := sw(t, "", "bench", "--format", "xml"); code != exitUsage {
		t.Errorf("--format xml: code %d, want %d", code, exitUsage)
	}
}
