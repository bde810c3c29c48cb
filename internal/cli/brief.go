package cli

import (
	"bufio"
	"fmt"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
)

func init() {
	register(&command{
		name:    "brief",
		summary: "Write the weekly brief: figures against previous weeks, regions, serious incidents, routes, situations, alerts.",
		usage:   "--db PATH --week 2025-W13 [--format md|html] [--rules FILE]",
		run:     runBrief,
	})
}

func runBrief(e *env, args []string) int {
	c := commands["brief"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	week := fs.String("week", "", "ISO week, like 2025-W13 (default: the last full week)")
	format := fs.String("format", "md", "md or html")
	rules := fs.String("rules", os.Getenv("SAHELWATCH_RULES"), "alert rules file read over the shipped defaults (see docs/ANALYSIS.md)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := oneOf(*format, "md", "html"); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch brief: --format: %v\n", err)
		return exitUsage
	}
	w := analysis.LastFullWeek()
	if *week != "" {
		var err error
		if w, err = analysis.ParseWeek(*week); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch brief: --week: %v\n", err)
			return exitUsage
		}
	}
	a, code := analyzer(e, "brief", *rules)
	if a == nil {
		return code
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch brief: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	evs, err := analysis.Load(e.ctx, st, w.End())
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch brief: %v\n", err)
		return exitRuntime
	}
	b := a.Brief(evs, w)
	out := bufio.NewWriter(e.stdout)
	if *format == "html" {
		err = b.HTML(out)
	} else {
		err = b.Markdown(out)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch brief: %v\n", err)
		return exitRuntime
	}
	return exitOK
}

// analyzer builds the analyzer with the rules file, reporting errors as cmd.
func analyzer(e *env, cmd, rules string) (*analysis.Analyzer, int) {
	r, err := analysis.LoadRules(rules)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch %s: %v\n", cmd, err)
		return nil, exitRuntime
	}
	a, err := analysis.New(r)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch %s: %v\n", cmd, err)
		return nil, exitRuntime
	}
	return a, exitOK
}
