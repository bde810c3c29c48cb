package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/clean"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

func init() {
	register(&command{
		name:    "clean",
		summary: "Print the article text of reports, without ads, appeals, related links and other page junk.",
		usage:   "[--input-format auto|text|html|jsonl|feed|csv] [--out DIR] FILE...|-",
		run:     runClean,
	})
}

func runClean(e *env, args []string) int {
	c := commands["clean"]
	fs := e.flags(c)
	inFmt := fs.String("input-format", "auto", "how to read the inputs")
	outDir := fs.String("out", "", "write DIR/DOC.txt per report instead of printing")
	f, code, ok := e.parseInputs(c, fs, args, inFmt)
	if !ok {
		return code
	}
	var err error
	cl, err := clean.New(clean.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch clean: %v\n", err)
		return exitRuntime
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch clean: %v\n", err)
			return exitRuntime
		}
	}
	failed := 0
	err = e.readReports(fs.Args(), f, "", func(r event.Report, rerr error) error {
		if rerr == nil {
			rerr = cl.Clean(e.ctx, &r)
		}
		if rerr != nil {
			failed++
			fmt.Fprintf(e.stderr, "sahelwatch clean: %s: %v\n", r.Doc, rerr)
			return nil
		}
		if *outDir == "" {
			fmt.Fprintf(e.stdout, "==> %s (%s, %s) <==\n%s\n\n", r.Doc, r.Lang, dateOrUnknown(r), r.Text)
			return nil
		}
		name := safeName(r.Doc) + ".txt"
		if err := os.WriteFile(filepath.Join(*outDir, name), []byte(r.Text+"\n"), 0o644); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch clean: %v\n", err)
		return exitRuntime
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

func dateOrUnknown(r event.Report) string {
	if r.Published.IsZero() {
		return "date unknown"
	}
	return r.Published.Format("2006-01-02") + " from " + r.DateSource
}

// safeName keeps a document name from escaping the output folder.
func safeName(doc string) string {
	doc = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, doc)
	if doc == "" || doc == "." || doc == ".." {
		return "_"
	}
	return doc
}
