package cli

import (
	"bufio"
	"fmt"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/extract"
)

func init() {
	register(&command{
		name:    "extract",
		summary: "Print the events coded from reports (JSON Lines, CSV or GeoJSON), without storing them.",
		usage:   "[--input-format auto|text|html|jsonl|feed|csv] [--format jsonl|csv|geojson] [--published YYYY-MM-DD] FILE...|-",
		run:     runExtract,
	})
}

func runExtract(e *env, args []string) int {
	c := commands["extract"]
	fs := e.flags(c)
	inFmt := fs.String("input-format", "auto", "how to read the inputs")
	format := fs.String("format", "jsonl", "output format: jsonl, csv or geojson")
	published := fs.String("published", "", "publication date for inputs that carry none (YYYY-MM-DD)")
	verbose := fs.Bool("v", false, "log progress")
	explain := fs.Bool("explain", false, "print to stderr, for each sentence with a trigger, what was read from it")
	var data dataFlags
	data.register(fs)
	f, code, ok := e.parseInputs(c, fs, args, inFmt)
	if !ok {
		return code
	}
	e.verbose(*verbose)
	if err := oneOf(*format, "jsonl", "csv", "geojson"); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch extract: --format: %v\n", err)
		return exitUsage
	}
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch extract: %v\n", err)
		return exitRuntime
	}
	if *explain {
		if x, ok := p.Extractor.(*extract.Extractor); ok {
			x.Trace = e.stderr
		}
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	var all []event.Event
	failed := 0
	err = e.readReports(fs.Args(), f, *published, func(r event.Report, rerr error) error {
		if rerr != nil {
			failed++
			fmt.Fprintf(e.stderr, "sahelwatch extract: %v\n", rerr)
			return nil
		}
		evs, err := p.Process(e.ctx, &r)
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "sahelwatch extract: %v\n", err)
			return nil
		}
		if *format == "jsonl" {
			// stream: a long run shows output as it goes
			return writeEvents(out, "jsonl", evs)
		}
		all = append(all, evs...)
		return nil
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch extract: %v\n", err)
		return exitRuntime
	}
	if *format != "jsonl" {
		if err := writeEvents(out, *format, all); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch extract: %v\n", err)
			return exitRuntime
		}
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}
