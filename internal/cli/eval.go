package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sahelwatch/sahelwatch/internal/evaluate"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/server"
)

func init() {
	register(&command{
		name:    "eval",
		summary: "Extract events from a corpus and score them against hand-coded gold, as ../shared/eval/score.py does.",
		usage:   "--gold GOLD.jsonl --reports REPORTS.jsonl [--gold-actors actors.tsv] [--json] [-v] [--by-lang]",
		run:     runEval,
	})
}

func runEval(e *env, args []string) int {
	c := commands["eval"]
	fs := e.flags(c)
	goldPath := fs.String("gold", "", "gold events (gold.jsonl)")
	reports := fs.String("reports", "", "the corpus as JSON Lines ({doc, text, published, url})")
	actorsPath := fs.String("gold-actors", "", "actor alias table of the gold ids (default: eval/actors.tsv two folders above the gold file)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	verbose := fs.Bool("v", false, "list every miss, wrong field and false positive")
	byLang := fs.Bool("by-lang", false, "also score each language separately")
	predOut := fs.String("pred-out", "", "also write the predictions (JSON Lines) to this file")
	var data dataFlags
	data.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *goldPath == "" || *reports == "" {
		fs.Usage()
		return exitUsage
	}
	gold, err := evaluate.LoadGold(*goldPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
		return exitRuntime
	}
	if *actorsPath == "" {
		*actorsPath = filepath.Join(filepath.Dir(*goldPath), "..", "..", "eval", "actors.tsv")
	}
	var aliases map[string][]string
	if _, err := os.Stat(*actorsPath); err == nil {
		if aliases, err = evaluate.LoadActors(*actorsPath); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
			return exitRuntime
		}
	} else {
		fmt.Fprintf(e.stderr, "sahelwatch eval: no actor table at %s: actor ids in the gold match literally\n", *actorsPath)
	}
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
		return exitRuntime
	}
	var evs []event.Event
	failed := 0
	err = e.readReports([]string{*reports}, "jsonl", "", func(r event.Report, rerr error) error {
		if rerr == nil {
			var out []event.Event
			out, rerr = p.Process(e.ctx, &r)
			evs = append(evs, out...)
		}
		if rerr != nil {
			failed++
			fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", rerr)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
		return exitRuntime
	}
	preds := make([]map[string]any, 0, len(evs))
	for _, ev := range evs {
		preds = append(preds, server.Record(ev))
	}
	if *predOut != "" {
		f, err := os.Create(*predOut)
		if err == nil {
			err = server.WriteJSONL(f, evs)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
			return exitRuntime
		}
	}
	res := evaluate.Score(gold, preds, aliases)
	if *verbose {
		for _, l := range res.Lines {
			fmt.Fprintln(e.stdout, l)
		}
	}
	if *asJSON {
		b, err := res.JSON()
		if err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch eval: %v\n", err)
			return exitRuntime
		}
		fmt.Fprintln(e.stdout, string(b))
	} else {
		res.WriteText(e.stdout)
	}
	if *byLang {
		split := evaluate.SplitByLang(gold)
		var langs []string
		for l := range split {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			fmt.Fprintf(e.stdout, "\n-- %s --\n", l)
			evaluate.Score(split[l], preds, aliases).WriteText(e.stdout)
		}
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}
