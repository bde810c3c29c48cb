package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/source"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "watch",
		summary: "Poll RSS/Atom feeds on a schedule and ingest their new items into a store.",
		usage:   "--db PATH --feeds FILE [--interval 15m] [--once] [--state PATH]",
		run:     runWatch,
	})
}

// fetchHook, when set, adjusts the options of every fetcher the command
// line builds. Tests use it to let the fetcher reach the servers they start
// on loopback and to skip the per-host wait; nothing else sets it.
var fetchHook func(*source.Options)

func fetchOptions(o source.Options) source.Options {
	if fetchHook != nil {
		fetchHook(&o)
	}
	return o
}

// feedSpec is one line of the feeds file.
type feedSpec struct {
	URL      string
	Name     string
	Interval time.Duration // 0: the --interval default
}

// maxFeeds bounds the feeds file: a watch list, not a crawl frontier.
const maxFeeds = 10000

// parseFeeds reads the feeds file format: one feed per line, the URL
// first, then optionally a polling interval (a Go duration such as 30m or
// 2h, at least a minute) and a display name (the remaining words).
// Blank lines and lines starting with '#' are ignored. Only http and https
// URLs are accepted.
func parseFeeds(r io.Reader) ([]feedSpec, error) {
	var feeds []feedSpec
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		u, err := url.Parse(f[0])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("line %d: %q is not an http(s) URL", n, f[0])
		}
		spec := feedSpec{URL: u.String()}
		var name []string
		for _, w := range f[1:] {
			if d, err := time.ParseDuration(w); err == nil && spec.Interval == 0 {
				if d < time.Minute {
					return nil, fmt.Errorf("line %d: interval %s is under a minute", n, w)
				}
				spec.Interval = d
				continue
			}
			name = append(name, w)
		}
		spec.Name = strings.Join(name, " ")
		if seen[spec.URL] {
			return nil, fmt.Errorf("line %d: %s listed twice", n, spec.URL)
		}
		seen[spec.URL] = true
		if len(feeds) == maxFeeds {
			return nil, fmt.Errorf("more than %d feeds", maxFeeds)
		}
		feeds = append(feeds, spec)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return feeds, nil
}

// feedRecord is what the state file keeps per feed: the conditional-GET
// validators and seen items Fetcher.Poll needs, and when and how it was
// last polled, for an operator reading the file.
type feedRecord struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Seen         []string  `json:"seen,omitempty"`
	LastPoll     time.Time `json:"last_poll,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	Items        int       `json:"items_total"` // items ingested over the feed's life
}

// watchState is the state file: a JSON object beside the database
// (PATH.feeds.json), rewritten atomically after each poll, so a restarted
// watch resumes with conditional GETs instead of fetching every feed anew.
type watchState struct {
	Version int                    `json:"version"`
	Feeds   map[string]*feedRecord `json:"feeds"`
}

func loadState(path string) (*watchState, error) {
	st := &watchState{Version: 1, Feeds: map[string]*feedRecord{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("state file %s: %w (delete it to start afresh)", path, err)
	}
	if st.Feeds == nil {
		st.Feeds = map[string]*feedRecord{}
	}
	return st, nil
}

func (s *watchState) save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (r *feedRecord) feedState() *source.FeedState {
	fs := &source.FeedState{ETag: r.ETag, LastModified: r.LastModified, Seen: map[string]bool{}}
	for _, k := range r.Seen {
		fs.Seen[k] = true
	}
	return fs
}

func (r *feedRecord) update(fs *source.FeedState) {
	r.ETag, r.LastModified = fs.ETag, fs.LastModified
	r.Seen = r.Seen[:0]
	for k := range fs.Seen {
		r.Seen = append(r.Seen, k)
	}
	sort.Strings(r.Seen)
}

// watcher polls the feeds and ingests what they bring.
type watcher struct {
	e         *env
	p         *pipeline.Pipeline
	st        store.Store
	fetch     *source.Fetcher
	state     *watchState
	statePath string
}

// pollTotals counts one round.
type pollTotals struct {
	feeds, failedFeeds, items, events, duplicates, failedItems int
}

func (t *pollTotals) add(o pollTotals) {
	t.feeds += o.feeds
	t.failedFeeds += o.failedFeeds
	t.items += o.items
	t.events += o.events
	t.duplicates += o.duplicates
	t.failedItems += o.failedItems
}

// poll polls one feed and ingests its new items. Feed errors are logged,
// kept in the state file and counted; only a canceled context or an
// unwritable state file stops the watch.
func (w *watcher) poll(f feedSpec) (pollTotals, error) {
	ctx := w.e.ctx
	tot := pollTotals{feeds: 1}
	rec := w.state.Feeds[f.URL]
	if rec == nil {
		rec = &feedRecord{}
		w.state.Feeds[f.URL] = rec
	}
	fs := rec.feedState()
	reports, err := w.fetch.Poll(ctx, f.URL, fs)
	if ctx.Err() != nil {
		return tot, ctx.Err()
	}
	rec.LastPoll, rec.LastError = time.Now().UTC(), ""
	if err != nil {
		// A truncated feed still brings its first items.
		rec.LastError = err.Error()
		w.e.log.Warn("feed", "url", f.URL, "name", f.Name, "err", err)
		if !errors.Is(err, source.ErrTruncated) {
			tot.failedFeeds++
			return tot, w.state.save(w.statePath)
		}
	}
	rec.update(fs)
	for i := range reports {
		r := reports[i]
		if f.Name != "" && (r.Outlet == "" || r.Outlet == hostOfURL(f.URL)) {
			r.Outlet = f.Name
		}
		tot.items++
		res, err := w.p.Ingest(ctx, w.st, &r)
		switch {
		case ctx.Err() != nil:
			return tot, ctx.Err()
		case err != nil:
			tot.failedItems++
			w.e.log.Warn("feed item", "url", f.URL, "doc", r.Doc, "err", err)
			if ferr := w.st.RecordFailure(ctx, r.Doc, r.URL, err.Error()); ferr != nil {
				w.e.log.Warn("recording failure", "doc", r.Doc, "err", ferr)
			}
		case res.Duplicate:
			tot.duplicates++
		default:
			tot.events += res.Added + res.Merged
			rec.Items++
		}
	}
	w.e.log.Info("polled", "url", f.URL, "items", tot.items, "events", tot.events)
	return tot, w.state.save(w.statePath)
}

func hostOfURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

func runWatch(e *env, args []string) int {
	c := commands["watch"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	feedsPath := fs.String("feeds", "", "file of feeds: one URL per line, then optionally an interval (30m) and a name")
	interval := fs.Duration("interval", 15*time.Minute, "default time between two polls of a feed (at least 1m)")
	once := fs.Bool("once", false, "poll every feed once and exit")
	statePath := fs.String("state", "", "state file (ETag, Last-Modified, seen items); default: the --db path + .feeds.json")
	verbose := fs.Bool("v", false, "log each poll")
	var data dataFlags
	data.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	e.verbose(*verbose)
	if *feedsPath == "" || fs.NArg() != 0 || *interval < time.Minute {
		fs.Usage()
		return exitUsage
	}
	if *statePath == "" {
		if strings.Contains(*db, "://") {
			fmt.Fprintln(e.stderr, "sahelwatch watch: --state is required with a database URL")
			return exitUsage
		}
		*statePath = *db + ".feeds.json"
	}
	ff, err := os.Open(*feedsPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %v\n", err)
		return exitUsage
	}
	feeds, err := parseFeeds(ff)
	ff.Close()
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %s: %v\n", *feedsPath, err)
		return exitUsage
	}
	if len(feeds) == 0 {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %s lists no feeds\n", *feedsPath)
		return exitUsage
	}
	state, err := loadState(*statePath)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %v\n", err)
		return exitRuntime
	}
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %v\n", err)
		return exitRuntime
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch watch: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	fetcher := source.NewFetcher(fetchOptions(source.Options{}))
	defer fetcher.Close()
	w := &watcher{e: e, p: p, st: st, fetch: fetcher, state: state, statePath: *statePath}

	next := make([]time.Time, len(feeds)) // zero: due now
	for round := 1; ; round++ {
		var tot pollTotals
		now := time.Now()
		for i, f := range feeds {
			if next[i].After(now) {
				continue
			}
			t, err := w.poll(f)
			tot.add(t)
			if err != nil {
				if e.ctx.Err() != nil {
					return exitOK // interrupted: state is saved after every feed
				}
				fmt.Fprintf(e.stderr, "sahelwatch watch: %v\n", err)
				return exitRuntime
			}
			every := f.Interval
			if every == 0 {
				every = *interval
			}
			next[i] = time.Now().Add(every)
		}
		if tot.feeds > 0 {
			fmt.Fprintf(e.stdout, "%s polled %d feeds (%d failed): %d new items, %d new events or merges, %d already stored, %d failed\n",
				time.Now().UTC().Format(time.RFC3339), tot.feeds, tot.failedFeeds, tot.items, tot.events, tot.duplicates, tot.failedItems)
		}
		if *once {
			if tot.failedFeeds > 0 || tot.failedItems > 0 {
				return exitFailed
			}
			return exitOK
		}
		wake := next[0]
		for _, t := range next[1:] {
			if t.Before(wake) {
				wake = t
			}
		}
		if err := sleepUntil(e.ctx, wake); err != nil {
			return exitOK
		}
	}
}

// sleepUntil waits for t or for ctx to end.
func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
