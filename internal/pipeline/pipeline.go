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
	if r.Hash == "" {
		r.Hash = Hash(r.Raw)
	}
	have, err := st.HasReport(ctx, r.Hash)
	if err != nil {
		return store.IngestResult{}, fmt.Errorf("%s: %w", r.Doc, err)
	}
	if have {
		return store.IngestResult{Duplicate: true}, nil
	}
	evs, err := p.Process(ctx, r)
	if err != nil {
		return store.IngestResult{}, err
	}
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

// Run ingests items with workers processing in parallel. The store
// serialises writes; cleaning and extraction run concurrently. It returns
// the totals; individual failures are reported through progress and counted
// in Failed, and do not stop the run.
func (p *Pipeline) Run(ctx context.Context, st store.Store, items <-chan Item, workers int, progress func(Progress)) (Progress, error) {
	if workers < 1 {
		workers = 1
	}
	var mu sync.Mutex
	var tot Progress
	report := func(doc string, res store.IngestResult, err error) {
		mu.Lock()
		defer mu.Unlock()
		tot.Done++
		tot.Last, tot.Err = doc, err
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
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if ctx.Err() != nil {
					continue // drain so the producer can finish
				}
				if it.Err != nil {
					report(it.Report.Doc, store.IngestResult{}, it.Err)
					if err := st.RecordFailure(ctx, it.Report.Doc, it.Report.URL, it.Err.Error()); err != nil {
						p.log.Warn("recording failure", "doc", it.Report.Doc, "err", err)
					}
					continue
				}
				r := it.Report
				res, err := p.Ingest(ctx, st, &r)
				if err != nil && !errors.Is(err, context.Canceled) {
					if ferr := st.RecordFailure(ctx, r.Doc, r.URL, err.Error()); ferr != nil {
						p.log.Warn("recording failure", "doc", r.Doc, "err", ferr)
					}
				}
				report(r.Doc, res, err)
			}
		}()
	}
	wg.Wait()
	return tot, ctx.Err()
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
