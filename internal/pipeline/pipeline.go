// Package pipeline wires the stages together: a report goes through
// cleaning and extraction (which geocodes), then into the store, where the
// deduplicator merges it with what is already known. It owns no logic of
// its own beyond order, cancellation, concurrency and progress.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/actors"
	"github.com/sahelwatch/sahelwatch/internal/clean"
	"github.com/sahelwatch/sahelwatch/internal/dedupe"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/extract"
	"github.com/sahelwatch/sahelwatch/internal/gazetteer"
	"github.com/sahelwatch/sahelwatch/internal/geocode"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// Config names the analyst-editable files that extend the embedded data.
type Config struct {
	GazetteerAdditions string // extra places (gazetteer additions format)
	ActorsExtra        string // extra actors (actor registry format)
	LexiconDir         string // extra trigger/cue files (extract data format)
	Logger             *slog.Logger
}

// Pipeline runs reports through the stages. It is safe for concurrent use.
type Pipeline struct {
	Cleaner   event.Cleaner
	Extractor event.Extractor
	Merger    store.Merger
	log       *slog.Logger
	timing    *Timing
}

// New loads the gazetteer, the actor registry and the lexicon.
func New(cfg Config) (*Pipeline, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var gz *gazetteer.Gazetteer
	var err error
	if cfg.GazetteerAdditions != "" {
		gz, err = gazetteer.LoadWithAdditions(cfg.GazetteerAdditions)
	} else {
		gz, err = gazetteer.Load()
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: gazetteer: %w", err)
	}
	var reg *actors.Registry
	if cfg.ActorsExtra != "" {
		reg, err = actors.LoadWithExtra(cfg.ActorsExtra)
	} else {
		reg, err = actors.Load()
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: actors: %w", err)
	}
	lx, err := extract.LoadLexicon(cfg.LexiconDir)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	cl, err := clean.New(clean.Options{})
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	geo := geocode.New(gz, geocode.Options{})
	return &Pipeline{
		Cleaner:   cl,
		Extractor: extract.New(lx, reg, geo),
		Merger:    dedupe.New(dedupe.Options{}),
		log:       log,
		timing:    &Timing{},
	}, nil
}

// Hash is the content hash that makes ingest idempotent: the same bytes are
// the same report whatever they are called.
func Hash(raw []byte) string {
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

// Process cleans a report and extracts its events.
func (p *Pipeline) Process(ctx context.Context, r *event.Report) ([]event.Event, error) {
	if r.Hash == "" {
		r.Hash = Hash(r.Raw)
	}
	t0 := time.Now()
	if err := p.Cleaner.Clean(ctx, r); err != nil {
		return nil, fmt.Errorf("%s: clean: %w", r.Doc, err)
	}
	t1 := time.Now()
	evs, err := p.Extractor.Extract(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("%s: extract: %w", r.Doc, err)
	}
	p.timing.add(t1.Sub(t0), time.Since(t1), 0)
	return evs, nil
}

// Ingest processes a report into st. A report already stored (same content
// hash) is not processed again.
func (p *Pipeline) Ingest(ctx context.Context, st store.Store, r *event.Report) (store.IngestResult, error) {
	dup, evs, err := p.prepare(ctx, st, r)
	if err != nil || dup {
		return store.IngestResult{Duplicate: dup}, err
	}
	return p.save(ctx, st, r, evs)
}

// save is Ingest's second half: store a processed report, timed.
func (p *Pipeline) save(ctx context.Context, st store.Store, r *event.Report, evs []event.Event) (store.IngestResult, error) {
	t0 := time.Now()
	res, err := st.SaveReport(ctx, r, evs, p.Merger)
	p.timing.add(0, 0, time.Since(t0))
	if err != nil {
		return res, fmt.Errorf("%s: store: %w", r.Doc, err)
	}
	return res, nil
}

// Item is one input for Run: a report or the error reading it.
type Item struct {
	Report event.Report
	Err    error
}

// Progress is what Run reports after each input.
type Progress struct {
	Done, Failed, Duplicates, Events int
	Last                             string // the input just finished
	Err                              error  // its error, if any
}

// Run ingests items with workers cleaning and extracting in parallel and
// one writer saving in input order. Saving in order makes the result the
// same whatever the number of workers: which report an event merges into
// never depends on which worker finished first. It returns the totals;
// individual failures are reported through progress and counted in
// Failed, and do not stop the run.
func (p *Pipeline) Run(ctx context.Context, st store.Store, items <-chan Item, workers int, progress func(Progress)) (Progress, error) {
	if workers < 1 {
		workers = 1
	}
	type job struct {
		seq int
		it  Item
	}
	type done struct {
		seq  int
		r    event.Report
		evs  []event.Event
		dup  bool
		err  error
		read bool // the input could not be read
	}
	jobs := make(chan job)
	results := make(chan done, workers)
	// at most this many processed reports wait for their turn to be saved
	window := make(chan struct{}, workers*4)
	go func() {
		defer close(jobs)
		seq := 0
		for it := range items {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				continue // drain so the producer can finish
			}
			jobs <- job{seq, it}
			seq++
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				d := done{seq: j.seq, r: j.it.Report}
				switch {
				case j.it.Err != nil:
					d.err, d.read = j.it.Err, true
				case ctx.Err() != nil:
					d.err = ctx.Err()
				default:
					d.dup, d.evs, d.err = p.prepare(ctx, st, &d.r)
				}
				results <- d
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var tot Progress
	pending := map[int]done{}
	next := 0
	commit := func(d done) {
		var res store.IngestResult
		err := d.err
		switch {
		case err != nil:
		case d.dup:
			res.Duplicate = true
		default:
			res, err = p.save(ctx, st, &d.r, d.evs)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			if ferr := st.RecordFailure(ctx, d.r.Doc, d.r.URL, err.Error()); ferr != nil {
				p.log.Warn("recording failure", "doc", d.r.Doc, "err", ferr)
			}
		}
		tot.Done++
		tot.Last, tot.Err = d.r.Doc, err
		switch {
		case err != nil:
			tot.Failed++
		case res.Duplicate:
			tot.Duplicates++
		default:
			tot.Events += res.Added + res.Merged
		}
		if progress != nil {
			progress(tot)
		}
	}
	for d := range results {
		pending[d.seq] = d
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			commit(d)
			next++
			<-window
		}
	}
	return tot, ctx.Err()
}

// prepare is Ingest's first half: skip a stored report, else clean and
// extract it.
func (p *Pipeline) prepare(ctx context.Context, st store.Store, r *event.Report) (dup bool, evs []event.Event, err error) {
	if r.Hash == "" {
		r.Hash = Hash(r.Raw)
	}
	have, err := st.HasReport(ctx, r.Hash)
	if err != nil {
		return false, nil, fmt.Errorf("%s: %w", r.Doc, err)
	}
	if have {
		return true, nil, nil
	}
	evs, err = p.Process(ctx, r)
	return false, evs, err
}

// Timing adds up the time spent in each stage, for benchmarks.
type Timing struct {
	mu                    sync.Mutex
	Clean, Extract, Store time.Duration
}

func (t *Timing) add(c, e, s time.Duration) {
	t.mu.Lock()
	t.Clean += c
	t.Extract += e
	t.Store += s
	t.mu.Unlock()
}

// Timings returns the time spent so far in each stage.
func (p *Pipeline) Timings() (clean, extract, store time.Duration) {
	p.timing.mu.Lock()
	defer p.timing.mu.Unlock()
	return p.timing.Clean, p.timing.Extract, p.timing.Store
}
