package cli

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// Two short reports of our own, both in ISO week 2025-W11: a massacre of
// more than twenty civilians (a mass_casualty alert) and a clash on the
// edge of Bamako (a near alert, Bamako being the default watched point).
var analysisReports = []struct{ name, published, text string }{
	{"sofara.txt", "2025-03-12", `Thirty-two villagers killed in central Mali

Unidentified gunmen on motorbikes stormed the village of Sofara, near Djenné, on Monday and shot dead 32 civilians, a local councillor said on Wednesday.
`},
	{"kati.txt", "2025-03-18", `Army repels assault on Kati checkpoint

Soldiers fought off an attack on a checkpoint in Kati, a garrison town just outside Bamako, on Sunday. Four assailants were killed in the exchange of fire, the army said.
`},
}

// analysisStore ingests analysisReports into a fresh SQLite store through
// the command line and returns its path.
func analysisStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "sw.db")
	for _, r := range analysisReports {
		p := write(t, dir, r.name, []byte(r.text))
		if _, errs, code := sw(t, "", "ingest", "-q", "--db", db, "--published", r.published, p); code != exitOK {
			t.Fatalf("ingest %s: code %d: %s", r.name, code, errs)
		}
	}
	return db
}

type alertLine struct {
	Key      string   `json:"key"`
	Rule     string   `json:"rule"`
	Week     string   `json:"week"`
	Title    string   `json:"title"`
	Why      string   `json:"why"`
	EventIDs []string `json:"event_ids"`
}

func parseAlerts(t *testing.T, out string) []alertLine {
	t.Helper()
	var all []alertLine
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var al alertLine
		if err := json.Unmarshal(sc.Bytes(), &al); err != nil {
			t.Fatalf("alerts: not a JSON line: %v: %s", err, sc.Text())
		}
		all = append(all, al)
	}
	return all
}

func TestAlertsCommand(t *testing.T) {
	db := analysisStore(t)
	out, errs, code := sw(t, "", "alerts", "--db", db, "--format", "jsonl")
	if code != exitOK {
		t.Fatalf("alerts: code %d: %s", code, errs)
	}
	all := parseAlerts(t, out)
	rules := map[string]bool{}
	for _, al := range all {
		if al.Key == "" || al.Title == "" || al.Why == "" || len(al.EventIDs) == 0 {
			t.Errorf("alert lacks a key, title, why or events: %+v", al)
		}
		rules[al.Rule] = true
	}
	for _, want := range []string{"mass_casualty", "near"} {
		if !rules[want] {
			t.Errorf("no %s alert in:\n%s", want, out)
		}
	}

	// --week keeps that week's alerts only.
	out, _, code = sw(t, "", "alerts", "--db", db, "--week", "2025-W10")
	if code != exitOK || out != "" {
		t.Errorf("alerts --week 2025-W10 (before both reports): code %d, output %q", code, out)
	}

	// A ledger: the first run prints and records every alert, the second
	// finds nothing new.
	ledger := filepath.Join(t.TempDir(), "sent.txt")
	first, errs, code := sw(t, "", "alerts", "--db", db, "--ledger", ledger)
	if code != exitOK || len(parseAlerts(t, first)) != len(all) {
		t.Fatalf("alerts --ledger, first run: code %d, %d alerts, want %d: %s", code, len(parseAlerts(t, first)), len(all), errs)
	}
	again, errs, code := sw(t, "", "alerts", "--db", db, "--ledger", ledger)
	if code != exitOK || again != "" {
		t.Errorf("alerts --ledger, second run: code %d, output %q (want nothing new): %s", code, again, errs)
	}

	md, _, code := sw(t, "", "alerts", "--db", db, "--format", "md")
	if code != exitOK || !strings.Contains(md, "Sofara") {
		t.Errorf("alerts --format md: code %d, no Sofara in %q", code, md)
	}
}

func TestBriefCommand(t *testing.T) {
	db := analysisStore(t)
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"md", []string{"# Weekly brief 2025-W11", "## By region", "| region | country |", "Sofara", "Kati"}},
		{"html", []string{"<h2>By region</h2>", "<th>region</th>", "Sofara", "Kati", "<svg"}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out, errs, code := sw(t, "", "brief", "--db", db, "--week", "2025-W11", "--format", tc.format)
			if code != exitOK {
				t.Fatalf("code %d: %s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("brief --format %s lacks %q", tc.format, w)
				}
			}
		})
	}
}

// Bad flags are usage errors (exit 2) that say what is wrong.
func TestAnalysisBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never-opened.db") // flags are checked before the store opens
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"brief", "--week", "2025-W60"}, "does not exist"},
		{[]string{"brief", "--week", "last week"}, "want YYYY-Www"},
		{[]string{"brief", "--week", "2025-W11", "--format", "pdf"}, "--format"},
		{[]string{"alerts", "--week", "13"}, "want YYYY-Www"},
		{[]string{"alerts", "--since", "March"}, "want YYYY-MM-DD"},
		{[]string{"alerts", "--format", "csv"}, "--format"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errs, code := sw(t, "", append(tc.args, "--db", db)...)
			if code != exitUsage {
				t.Errorf("code %d, want %d; stderr %q", code, exitUsage, errs)
			}
			if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "sahelwatch "+tc.args[0]) {
				t.Errorf("stderr %q does not say %q", errs, tc.want)
			}
			if out != "" {
				t.Errorf("printed %q on a usage error", out)
			}
		})
	}
}
