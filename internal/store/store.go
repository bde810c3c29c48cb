// Package store defines where sahelwatch keeps reports and events: the Store
// interface, the filters and results its methods use, and a conformance
// suite (storetest) that every implementation must pass. Implementations
// live in subpackages named for how they work (sqlite, postgres).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// ErrNotFound is returned when an event or report does not exist.
var ErrNotFound = errors.New("not found")

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

// IngestResult says what SaveReport did with one report.
type IngestResult struct {
	ReportID  int64
	Duplicate bool // a report with the same content hash was already stored: nothing changed
	Updated   bool // a report with the same doc or URL existed with other content: its events were replaced
	Added     int  // new events
	Merged    int  // events merged into stored ones
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
}

// Revision is one change to a stored event.
type Revision struct {
	At      time.Time         `json:"at"`
	Doc     string            `json:"doc"`    // the report that caused it
	Action  string            `json:"action"` // created, merged, updated, unmerged
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
	// Close releases the store.
	Close() error
}
