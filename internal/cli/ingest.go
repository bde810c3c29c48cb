package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/source"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "ingest",
		summary: "Run reports from files, folders, URLs, feeds, JSON Lines or stdin through the pipeline into a store.",
		usage:   "--db PATH [--input-format auto|text|html|jsonl|feed|csv] [--workers N] FILE|DIR|URL|-...",
		run:     runIngest,
	})
}

func runIngest(e *env, args []string) int {
	c := commands["ingest"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	inFmt := fs.String("input-format", "auto", "how to read the inputs")
	published := fs.String("published", "", "publication date for inputs that carry none (YYYY-MM-DD)")
	workers := fs.Int("workers", 2, "reports processed in parallel")
	quiet := fs.Bool("q", false, "no progress output")
	var data dataFlags
	data.register(fs)
	f, code, ok := e.parseInputs(c, fs, args, inFmt)
	if !ok {
		return code
	}
	var err error
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch ingest: %v\n", err)
		return exitRuntime
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch ingest: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	tot, err := e.ingest(p, st, fs.Args(), f, *published, *workers, !*quiet)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch ingest: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "%d reports read, %d new events or merges, %d already stored, %d failed\n",
		tot.Done, tot.Events, tot.Duplicates, tot.Failed)
	if tot.Failed > 0 {
		return exitFailed
	}
	return exitOK
}

// ingest reads inputs into st, showing progress on a terminal or logging a
// line every few seconds otherwise. Errors of single inputs are printed and
// counted; the returned error is for failures that stop the run.
func (e *env) ingest(p *pipeline.Pipeline, st store.Store, inputs []string, format, published string, workers int, show bool) (pipeline.Progress, error) {
	items := make(chan pipeline.Item, workers*2)
	readErr := make(chan error, 1)
	var queued int64
	prog := newProgress(e.stderr, show)
	go func() {
		defer close(items)
		readErr <- e.readReports(inputs, format, published, func(r event.Report, err error) error {
			var ie *source.InputError
			if errors.As(err, &ie) && r.Doc == "" {
				r.Doc = ie.Input
			}
			queued++
			prog.setTotal(queued)
			select {
			case items <- pipeline.Item{Report: r, Err: err}:
				return nil
			case <-e.ctx.Done():
				return e.ctx.Err()
			}
		})
	}()
	tot, err := p.Run(e.ctx, st, items, workers, func(pr pipeline.Progress) {
		if pr.Err != nil {
			prog.println(fmt.Sprintf("sahelwatch ingest: %v", pr.Err))
		}
		prog.update(pr)
	})
	prog.done(tot)
	if rerr := <-readErr; rerr != nil && err == nil {
		err = rerr
	}
	return tot, err
}

// progress shows ingest progress: a bar on a terminal, a log line every
// few seconds elsewhere, nothing when quiet.
type progress struct {
	w     io.Writer
	show  bool
	bars  *mpb.Progress
	bar   *mpb.Bar
	last  time.Time
	start time.Time
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, show bool) *progress {
	p := &progress{w: w, show: show, start: time.Now(), last: time.Now()}
	if show && isTerminal(w) {
		p.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
		p.bar = p.bars.AddBar(0,
			mpb.PrependDecorators(decor.Name("ingest "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.AverageSpeed(0, "%.1f reports/s")))
	}
	return p
}

func (p *progress) setTotal(n int64) {
	if p.bar != nil {
		p.bar.SetTotal(n, false)
	}
}

func (p *progress) update(pr pipeline.Progress) {
	switch {
	case p.bar != nil:
		p.bar.Increment()
	case p.show && time.Since(p.last) >= 3*time.Second:
		p.last = time.Now()
		fmt.Fprintf(p.w, "ingest: %d reports done (%d failed, %d already stored), %d events, %.1f reports/s\n",
			pr.Done, pr.Failed, pr.Duplicates, pr.Events, float64(pr.Done)/time.Since(p.start).Seconds())
	}
}

func (p *progress) println(s string) {
	if p.bars != nil {
		fmt.Fprintln(p.bars, s) // above the bar
		return
	}
	fmt.Fprintln(p.w, s)
}

func (p *progress) done(pr pipeline.Progress) {
	if p.bar != nil {
		p.bar.SetTotal(int64(pr.Done), true)
		p.bars.Wait()
	}
}
