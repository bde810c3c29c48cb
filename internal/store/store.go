// Package store defines where sahelwatch keeps reports and events: the Store
// interface, the filters and results its methods use, and a conformance
// suite (storetest) that every implementation must pass. Implementations
// live in subpackages named for how they work (sqlite, postgres).
package store

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// ErrNotFound is returned when an event or report does not exist.
var ErrNotFound = errors.New("not found")

// ErrNotLatest is returned by Unmerge when a later merge into the same
// event must be undone first.
var ErrNotLatest = errors.New("a later merge into this event must be undone first")

// Syndicator is implemented by Mergers that recognise syndicated copies:
// the same wire story reprinted by several sites. A store whose Merger is
// also a Syndicator keeps each report's signature, and stores a report
// whose signature matches an earlier, independent report's as a copy of
// it: the copy adds its URL to the original's events as a source marked
// with event.Source.CopyOf, and no events of its own. A newer version of a
// stored report (same doc or URL) is never taken for a copy.
type Syndicator interface {
	// Signature summarises a cleaned report's text; nil when the text is
	// too short to judge.
	Signature(r *event.Report) []byte
	// SameStory tells whether two signatures are of one story.
	SameStory(a, b []byte) bool
}

// Merger decides, inside the store's transaction, whether an incoming event
// is the same incident as one already stored. Candidates are the stored
// events of the same kind whose dates lie within Window of the incoming
// event's date. The store applies the decision and records it.
type Merger interface {
	// Window is how many days either side of an event's date to look for
	// candidates; it may depend on the event's time precision.
	Window(e event.Event) int
	// Merge returns the index in candidates of the event the incoming one
	// merges into and the merged event (which keeps the candidate's ID), or
	// -1 when it is a new event. Rules names, per field, the rule that
	// decided it, for the merge record.
	Merge(incoming event.Event, candidates []event.Event) (idx int, merged event.Event, rules map[string]string)
}

// AreaMerger is a Merger that also says how far apart two events it may
// merge can lie, so a store narrows candidates by place as well as by date
// instead of handing it every event of the window.
type AreaMerger interface {
	Merger
	// RadiusKm is the largest distance at which a stored event may merge
	// with e. Stored events without coordinates are always candidates.
	RadiusKm(e event.Event) float64
}

// ScopedMerger is a Merger that describes its candidates more closely than
// a window and a radius: vague stored events reach further in time than
// dated ones, events of related kinds may merge, and a region-level event
// may lie anywhere in its region.
type ScopedMerger interface {
	Merger
	Scope(e event.Event) Scope
}

// Scope narrows or widens the candidates of one incoming event.
type Scope struct {
	// DatedDays: stored events dated to the day or the week are candidates
	// only within this many days of e's date; vaguer ones within Window.
	// 0 means Window for all.
	DatedDays int
	// Kinds that may merge with e; empty means e's own kind only.
	Kinds []event.Kind
	// Admin1, when set, makes region-level stored events of that admin1
	// candidates at any distance, and, when e itself is region-level, every
	// stored event of the admin1.
	Admin1 string
}

// BBox returns the box (min lat, max lat, min lon, max lon) around a point
// that holds every point within km of it.
func BBox(lat, lon, km float64) (minLat, maxLat, minLon, maxLon float64) {
	dLat := km / 111.0
	c := math.Cos(lat * math.Pi / 180)
	dLon := 180.0
	if c > 0.01 {
		dLon = math.Min(180, km/(111.0*c))
	}
	return lat - dLat, lat + dLat, lon - dLon, lon + dLon
}

// IngestResult says what SaveReport did with one report.
type IngestResult struct {
	ReportID  int64
	Duplicate bool   // a report with the same content hash was already stored: nothing changed
	Updated   bool   // a report with the same doc or URL existed with other content: its events were replaced
	Added     int    // new events
	Merged    int    // events merged into stored ones
	CopyOf    string // the doc of the stored report this one is a syndicated copy of ("" when independent)
}

// Filter selects events. Zero fields do not filter.
type Filter struct {
	From, To      time.Time // inclusive dates
	EventType     string
	Actor         string // substring of actor1/actor2/assoc actors, case-insensitive
	Country       string
	Admin1        string
	Kind          event.Kind
	MinFatalities int
	Query         string      // full text over notes and evidence, accent-folded
	BBox          *[4]float64 // min lon, min lat, max lon, max lat
	Sort          string      // "date" (default, newest first), "-date", "fatalities"
	Limit         int         // 0 means the implementation's default
	Cursor        string      // opaque, from a previous page
	// CountMax, when > 0, lets CountEvents stop at that many matches: a
	// capped count costs at most CountMax rows however wide the filter,
	// which keeps a list page's "how many" cheap. Events ignores it.
	CountMax int
}

// Revision is one change to a stored event.
type Revision struct {
	At      time.Time         `json:"at"`
	Doc     string            `json:"doc"`    // the report that caused it
	Action  string            `json:"action"` // created, merged, updated, unmerged, syndicated
	Changes map[string]string `json:"changes,omitempty"`
}

// EventDetail is an event with everything known about it.
type EventDetail struct {
	Event     event.Event `json:"event"`
	Revisions []Revision  `json:"revisions"`
}

// ReportInfo is a stored report as listed by the API.
type ReportInfo struct {
	ID        int64     `json:"id"`
	Doc       string    `json:"doc"`
	URL       string    `json:"url,omitempty"`
	Title     string    `json:"title,omitempty"`
	Lang      string    `json:"lang,omitempty"`
	Published string    `json:"published,omitempty"`
	Ingested  time.Time `json:"ingested"`
	Status    string    `json:"status"` // ok, failed
	Error     string    `json:"error,omitempty"`
	EventIDs  []string  `json:"event_ids"`
}

// Store keeps reports and events. Implementations are safe for concurrent
// use. Every method that writes does so in one transaction: after an error
// or a crash, the store holds either all of a report's changes or none.
type Store interface {
	// SaveReport stores a cleaned report and the events extracted from it,
	// merging each event into a stored one where m says so.
	SaveReport(ctx context.Context, r *event.Report, events []event.Event, m Merger) (IngestResult, error)
	// HasReport reports whether a report with this content hash is stored.
	HasReport(ctx context.Context, hash string) (bool, error)
	// RecordFailure notes an input that could not be ingested.
	RecordFailure(ctx context.Context, doc, url, reason string) error
	// Events lists events matching f and the cursor of the next page ("" at the end).
	Events(ctx context.Context, f Filter) ([]event.Event, string, error)
	// CountEvents counts events matching f (Limit and Cursor ignored).
	CountEvents(ctx context.Context, f Filter) (int, error)
	// Event returns one event with its sources, evidence and revisions.
	Event(ctx context.Context, id string) (EventDetail, error)
	// Reports lists stored reports, newest first.
	Reports(ctx context.Context, limit int) ([]ReportInfo, error)
	// Report returns one stored report with its cleaned text.
	Report(ctx context.Context, doc string) (event.Report, error)
	// Unmerge undoes the merge of report doc into event id: the event
	// takes back the fields it had before that merge and loses doc's
	// source and evidence (and those of doc's syndicated copies), and
	// doc's incoming event is stored again as an event of its own, whose
	// ID is returned. Both events record an "unmerged" revision. It
	// returns ErrNotFound when doc was not merged into id, and
	// ErrNotLatest when a later merge into id must be undone first.
	Unmerge(ctx context.Context, id, doc string) (string, error)
	// Close releases the store.
	Close() error
}

// PageCounter is a store that can list a page and count the filter's
// matches in one go, sharing the work: the SQLite store knows the count of
// a selective filter already once it has chosen the page. The API uses it
// when the store has it.
type PageCounter interface {
	// EventsCounted returns what Events returns and what CountEvents
	// would return for the same filter (capped at f.CountMax when that is
	// positive).
	EventsCounted(ctx context.Context, f Filter) ([]event.Event, string, int, error)
}

// Migrator is a store whose schema evolves by ordered steps. Open applies
// missing steps already; `sahelwatch migrate` calls Migrate explicitly so a
// deployment can upgrade the schema before starting its workers.
type Migrator interface {
	// Migrate applies the missing schema steps; it is safe to run twice
	// and from several processes at once.
	Migrate(ctx context.Context) error
	// Version is the schema version stored in the database.
	Version(ctx context.Context) (int, error)
}

// Job is one report waiting in a Queue.
type Job struct {
	ID       int64
	Report   event.Report // as received: Raw set, not yet cleaned
	Attempts int          // times it has been claimed, this claim included
}

// QueueStats counts a queue's jobs by state.
type QueueStats struct {
	Waiting, Running, Done, Failed int
}

// Queue is a shared list of reports waiting to be ingested, which workers
// on any number of machines take from. A claimed job belongs to its worker
// until it is finished or its lease runs out (the worker died); then
// another worker may claim it again, which is safe because SaveReport is
// idempotent by content hash. Jobs are claimed in the order they were
// queued.
type Queue interface {
	// Enqueue adds reports to the queue, skipping any whose content hash
	// (Report.Hash, or the SHA-256 of Raw when empty) is already queued,
	// and returns how many it added.
	Enqueue(ctx context.Context, reports []event.Report) (int, error)
	// Claim takes up to n waiting jobs (or jobs whose lease has run out)
	// for worker, leased for lease. It returns no jobs when none wait.
	Claim(ctx context.Context, worker string, n int, lease time.Duration) ([]Job, error)
	// Done marks a job claimed by worker finished.
	Done(ctx context.Context, id int64, worker string) error
	// Fail records why a job claimed by worker failed. With retry, the job
	// waits again unless it has been claimed too often; otherwise it stays
	// failed.
	Fail(ctx context.Context, id int64, worker, reason string, retry bool) error
	// Settled reports whether every job queued before id has finished
	// (done or failed). Workers that save reports only once it holds store
	// them in queue order, which makes merges (whose outcome can depend on
	// order) the same as one worker's, while cleaning and extraction still
	// run in parallel.
	Settled(ctx context.Context, id int64) (bool, error)
	// Stats counts the jobs by state.
	Stats(ctx context.Context) (QueueStats, error)
}
