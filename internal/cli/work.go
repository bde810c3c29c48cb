package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "work",
		summary: "Ingest reports from a PostgreSQL store's job queue with N workers; run it on as many machines as you like.",
		usage:   "--db postgres://... [--workers N] [--follow] [--lease 10m]",
		run:     runWork,
	})
}

func runWork(e *env, args []string) int {
	c := commands["work"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a postgres:// URL")
	workers := fs.Int("workers", 2, "reports processed in parallel by this process")
	follow := fs.Bool("follow", false, "keep waiting for new jobs instead of exiting when the queue is empty")
	poll := fs.Duration("poll", 5*time.Second, "with --follow, how often to look for new jobs")
	lease := fs.Duration("lease", 10*time.Minute, "how long a claimed job stays this worker's; after that another worker may take it")
	unordered := fs.Bool("unordered", false, "save reports as soon as they are extracted, not in queue order (faster; merges may then differ from a one-worker run)")
	verbose := fs.Bool("v", false, "log each report")
	var data dataFlags
	data.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *workers < 1 || *lease <= 0 || *poll <= 0 {
		fmt.Fprintf(e.stderr, "sahelwatch work: --workers, --lease and --poll must be positive\n")
		return exitUsage
	}
	e.verbose(*verbose)
	st, q, code := e.openQueue(c.name, *db)
	if q == nil {
		return code
	}
	defer st.Close()
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch work: %v\n", err)
		return exitRuntime
	}
	host, _ := os.Hostname()
	tot, err := work(e.ctx, p, st, q, workConfig{
		Name: host + "/" + strconv.Itoa(os.Getpid()), Workers: *workers, Lease: *lease, Follow: *follow, Poll: *poll,
		Ordered: !*unordered,
		OnError: func(doc string, err error) { fmt.Fprintf(e.stderr, "sahelwatch work: %s: %v\n", doc, err) },
	})
	fmt.Fprintf(e.stdout, "%d jobs done, %d new events or merges, %d already stored, %d failed\n",
		tot.Done, tot.Events, tot.Duplicates, tot.Failed)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(e.stderr, "sahelwatch work: %v\n", err)
		return exitRuntime
	}
	if tot.Failed > 0 {
		return exitFailed
	}
	return exitOK
}

// workConfig tunes work.
type workConfig struct {
	Name    string        // this process's worker name; goroutine i is Name/i
	Workers int           // goroutines claiming jobs
	Lease   time.Duration // how long a claim lasts
	Follow  bool          // wait for new jobs rather than return when none wait
	Poll    time.Duration // how often to look when following
	Ordered bool          // save in queue order (see store.Queue.Settled)
	OnError func(doc string, err error)
}

// work claims jobs from q one at a time per goroutine, cleans and extracts
// them with p and saves them to st. A report that cannot be cleaned or
// extracted fails for good (and is logged with RecordFailure); a store
// error sends the job back to the queue for another attempt. It returns
// when the queue has nothing waiting (unless following), or when ctx ends;
// jobs in progress then are left to their leases.
func work(ctx context.Context, p *pipeline.Pipeline, st store.Store, q store.Queue, cfg workConfig) (pipeline.Progress, error) {
	var mu sync.Mutex
	var tot pipeline.Progress
	var firstErr error
	count := func(res store.IngestResult, failed bool) {
		mu.Lock()
		defer mu.Unlock()
		tot.Done++
		switch {
		case failed:
			tot.Failed++
		case res.Duplicate:
			tot.Duplicates++
		default:
			tot.Events += res.Added + res.Merged
		}
	}
	var wg sync.WaitGroup
	for i := range cfg.Workers {
		name := cfg.Name + "/" + strconv.Itoa(i)
		wg.Go(func() {
			if err := workLoop(ctx, p, st, q, name, cfg, count); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return tot, firstErr
}

func workLoop(ctx context.Context, p *pipeline.Pipeline, st store.Store, q store.Queue, name string, cfg workConfig,
	count func(store.IngestResult, bool)) error {
	var tick *time.Ticker
	for ctx.Err() == nil {
		jobs, err := q.Claim(ctx, name, 1, cfg.Lease)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			if !cfg.Follow {
				return nil
			}
			if tick == nil {
				tick = time.NewTicker(cfg.Poll)
				defer tick.Stop()
			}
			select {
			case <-ctx.Done():
			case <-tick.C:
			}
			continue
		}
		j := jobs[0]
		r := j.Report
		var turn func(context.Context) error
		if cfg.Ordered {
			turn = func(ctx context.Context) error { return waitTurn(ctx, q, j.ID, cfg.Lease) }
		}
		res, err := ingestJob(ctx, p, st, &r, turn)
		var fail *jobError
		switch {
		case err == nil:
			err = q.Done(ctx, j.ID, name)
			count(res, false)
		case ctx.Err() != nil:
			return ctx.Err() // the lease hands the job to another worker
		case errors.As(err, &fail) && !fail.retry:
			cfg.OnError(r.Doc, err)
			if ferr := st.RecordFailure(ctx, r.Doc, r.URL, err.Error()); ferr != nil {
				cfg.OnError(r.Doc, ferr)
			}
			err = q.Fail(ctx, j.ID, name, err.Error(), false)
			count(res, true)
		default:
			cfg.OnError(r.Doc, err)
			err = q.Fail(ctx, j.ID, name, err.Error(), true)
		}
		if err != nil {
			cfg.OnError(r.Doc, err)
		}
	}
	return ctx.Err()
}

// jobError is a failed job; retry says whether another attempt may succeed.
type jobError struct {
	err   error
	retry bool
}

func (e *jobError) Error() string { return e.err.Error() }
func (e *jobError) Unwrap() error { return e.err }

// ingestJob is pipeline.Ingest with the failure's kind kept apart: bad
// input is final, a store error is worth retrying.
// With turn non-nil, it waits for turn before saving.
func ingestJob(ctx context.Context, p *pipeline.Pipeline, st store.Store, r *event.Report, turn func(context.Context) error) (store.IngestResult, error) {
	if have, err := st.HasReport(ctx, r.Hash); err != nil {
		return store.IngestResult{}, &jobError{err, true}
	} else if have {
		return store.IngestResult{Duplicate: true}, nil
	}
	evs, err := p.Process(ctx, r)
	if err != nil {
		return store.IngestResult{}, &jobError{err, false}
	}
	if turn != nil {
		if err := turn(ctx); err != nil {
			return store.IngestResult{}, &jobError{err, true}
		}
	}
	res, err := st.SaveReport(ctx, r, evs, p.Merger)
	if err != nil {
		return res, &jobError{fmt.Errorf("%s: store: %w", r.Doc, err), true}
	}
	return res, nil
}

// waitTurn waits until every job queued before id has finished, checking
// every few milliseconds, and for at most lease: a worker that died with
// an earlier job would otherwise hold everyone up until its lease runs
// out, so past that the order is given up for this job.
func waitTurn(ctx context.Context, q store.Queue, id int64, lease time.Duration) error {
	deadline := time.Now().Add(lease)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := q.Settled(ctx, id)
		if err != nil || ok || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
