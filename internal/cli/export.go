package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "export",
		summary: "Write every stored event with its sources (JSON Lines), or as ACLED-style CSV or GeoJSON.",
		usage:   "--db PATH [--format jsonl|csv|geojson] [--kind incident|aggregate|situation|background]",
		run:     runExport,
	})
}

func runExport(e *env, args []string) int {
	c := commands["export"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	format := fs.String("format", "jsonl", "jsonl, csv or geojson")
	kind := fs.String("kind", "", "only events of this kind")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := oneOf(*format, "jsonl", "csv", "geojson"); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch export: --format: %v\n", err)
		return exitUsage
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch export: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	evs, err := allEvents(e.ctx, st, store.Filter{Kind: event.Kind(*kind), Sort: "-date"})
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch export: %v\n", err)
		return exitRuntime
	}
	out := bufio.NewWriter(e.stdout)
	if err := writeEvents(out, *format, evs); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch export: %v\n", err)
		return exitRuntime
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch export: %v\n", err)
		return exitRuntime
	}
	return exitOK
}

// allEvents pages through every event matching f.
func allEvents(ctx context.Context, st store.Store, f store.Filter) ([]event.Event, error) {
	var all []event.Event
	f.Limit = 1000
	for {
		page, next, err := st.Events(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" || len(page) == 0 {
			return all, nil
		}
		f.Cursor = next
	}
}
