package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/source"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "queue",
		summary: "Add reports to a PostgreSQL store's job queue, for 'sahelwatch work' on any machine to ingest.",
		usage:   "--db postgres://... [--input-format auto|text|html|jsonl|feed|csv] FILE|DIR|URL|-...",
		run:     runQueue,
	})
}

// queueBatch is how many reports go into the queue per transaction.
const queueBatch = 200

func runQueue(e *env, args []string) int {
	c := commands["queue"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a postgres:// URL")
	inFmt := fs.String("input-format", "auto", "how to read the inputs")
	published := fs.String("published", "", "publication date for inputs that carry none (YYYY-MM-DD)")
	f, code, ok := e.parseInputs(c, fs, args, inFmt)
	if !ok {
		return code
	}
	st, q, code := e.openQueue(c.name, *db)
	if q == nil {
		return code
	}
	defer st.Close()
	var batch []event.Report
	var read, added, failed int
	flush := func() error {
		n, err := q.Enqueue(e.ctx, batch)
		added += n
		batch = batch[:0]
		return err
	}
	err := e.readReports(fs.Args(), f, *published, func(r event.Report, err error) error {
		if err != nil {
			// A bad input is reported and logged as a failure now: it never
			// reaches a worker.
			var ie *source.InputError
			if errors.As(err, &ie) && r.Doc == "" {
				r.Doc = ie.Input
			}
			failed++
			fmt.Fprintf(e.stderr, "sahelwatch queue: %v\n", err)
			if ferr := st.RecordFailure(e.ctx, r.Doc, r.URL, err.Error()); ferr != nil {
				return ferr
			}
			return nil
		}
		read++
		batch = append(batch, r)
		if len(batch) >= queueBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch queue: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "%d reports read, %d queued, %d already queued, %d failed\n", read, added, read-added, failed)
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

// openQueue opens the store named by db and its job queue; q is nil (and
// code the exit code) when the store has none.
func (e *env) openQueue(cmd, db string) (store.Store, store.Queue, int) {
	st, err := openStore(e.ctx, db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch %s: %v\n", cmd, err)
		return nil, nil, exitRuntime
	}
	q, ok := st.(store.Queue)
	if !ok {
		st.Close()
		fmt.Fprintf(e.stderr, "sahelwatch %s: --db must be a postgres:// URL: a SQLite store has no job queue (use 'sahelwatch ingest')\n", cmd)
		return nil, nil, exitUsage
	}
	return st, q, exitOK
}
