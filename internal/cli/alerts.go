package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
)

func init() {
	register(&command{
		name:    "alerts",
		summary: "Evaluate the alert rules over the stored events and print the alerts (optionally POST new ones to a webhook).",
		usage:   "--db PATH [--format jsonl|md] [--rules FILE] [--since YYYY-MM-DD] [--week 2025-W13] [--ledger FILE] [--webhook URL]",
		run:     runAlerts,
	})
}

func runAlerts(e *env, args []string) int {
	c := commands["alerts"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	format := fs.String("format", "jsonl", "jsonl or md")
	rules := fs.String("rules", os.Getenv("SAHELWATCH_RULES"), "alert rules file read over the shipped defaults (see docs/ANALYSIS.md)")
	since := fs.String("since", "", "only alerts dated on or after this day")
	week := fs.String("week", "", "only alerts of this ISO week")
	ledger := fs.String("ledger", "", "file of alert keys already delivered: only new alerts are printed and sent, then recorded")
	webhook := fs.String("webhook", os.Getenv("SAHELWATCH_WEBHOOK"), "POST each alert as JSON to this URL (retries with backoff)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := oneOf(*format, "jsonl", "md"); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch alerts: --format: %v\n", err)
		return exitUsage
	}
	var from, to time.Time
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch alerts: --since %q: want YYYY-MM-DD\n", *since)
			return exitUsage
		}
		from = t
	}
	if *week != "" {
		w, err := analysis.ParseWeek(*week)
		if err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch alerts: --week: %v\n", err)
			return exitUsage
		}
		from, to = w.Start(), w.End()
	}
	a, code := analyzer(e, "alerts", *rules)
	if a == nil {
		return code
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	evs, err := analysis.Load(e.ctx, st, to)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
		return exitRuntime
	}
	alerts := analysis.AlertsIn(a.Alerts(evs), from, to)
	var led *analysis.Ledger
	if *ledger != "" {
		if led, err = analysis.OpenLedger(*ledger); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
			return exitRuntime
		}
		alerts = led.New(alerts)
	}
	out := bufio.NewWriter(e.stdout)
	if *format == "md" {
		err = analysis.WriteAlertsMarkdown(out, alerts)
	} else {
		enc := json.NewEncoder(out)
		for _, al := range alerts {
			if err = enc.Encode(al); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
		return exitRuntime
	}
	status := exitOK
	delivered := alerts
	if *webhook != "" {
		wh := &analysis.Webhook{URL: *webhook}
		delivered = nil
		for _, al := range alerts {
			if err := wh.Send(e.ctx, al); err != nil {
				fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
				status = exitFailed
				continue
			}
			delivered = append(delivered, al)
		}
	}
	if led != nil {
		if err := led.Record(delivered); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch alerts: %v\n", err)
			return exitRuntime
		}
	}
	return status
}
