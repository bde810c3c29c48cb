package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// CopyWindow is how far apart in publication date a syndicated copy and
// its original may be: wire stories are reprinted within days, and
// bounding the scan keeps it to a few weeks' reports however large the
// store grows.
const CopyWindow = 14 * 24 * time.Hour

// CheckReport rejects what SaveReport cannot store; the error is
// unwrapped, for the backend to prefix.
func CheckReport(r *event.Report) error {
	if r == nil {
		return errors.New("nil report")
	}
	if r.Doc == "" {
		return errors.New("report has no doc name")
	}
	return nil
}

// ReportHash is r.Hash, or when empty the hex SHA-256 of r.Raw (of r.Text
// when Raw is empty).
func ReportHash(r *event.Report) string {
	if r.Hash != "" {
		return r.Hash
	}
	b := r.Raw
	if len(b) == 0 {
		b = []byte(r.Text)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Signature is m's signature of r when m is a store.Syndicator, else nil.
func Signature(r *event.Report, m store.Merger) []byte {
	if syn, ok := m.(store.Syndicator); ok {
		return syn.Signature(r)
	}
	return nil
}

// DerivedID is the event ID the stores derive for incoming event i of the
// report with this hash, at attempt n (0 and 1 give the first ID; later
// attempts add n, for the rare collision).
func DerivedID(hash string, i, n int) string {
	key := hash + "/" + strconv.Itoa(i)
	if n > 1 {
		key += "/" + strconv.Itoa(n)
	}
	sum := sha256.Sum256([]byte(key))
	return "SW" + hex.EncodeToString(sum[:6])
}

// Original is the stored independent report a new report reprints.
type Original struct {
	ID  int64
	Doc string
}

// MatchOriginal reads rows of (id, doc, signature), in the order to try
// them, and returns the first whose signature tells the same story as sig
// by syn, or the zero Original.
func MatchOriginal(rows Rows, sig []byte, syn store.Syndicator) (Original, error) {
	for rows.Next() {
		var o Original
		var other []byte
		if err := rows.Scan(&o.ID, &o.Doc, &other); err != nil {
			return Original{}, err
		}
		if syn.SameStory(sig, other) {
			return o, nil
		}
	}
	return Original{}, rows.Err()
}

// ScanColumn reads a one-column result, such as event IDs or row numbers.
func ScanColumn[T any](rows Rows) ([]T, error) {
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Saver is one backend's SaveReport transaction, step by step, in its own
// SQL. Save and SaveCopy run the steps in the order both backends share.
type Saver interface {
	// Report is the report being saved.
	Report() *event.Report
	// StoredHash returns the stored report with the new report's hash.
	StoredHash() (id int64, found bool, err error)
	// Previous returns the stored version of the report: the one with its
	// doc, failing that with its non-empty URL.
	Previous() (id int64, doc string, found bool, err error)
	// ReplaceReport turns stored report id into the new version.
	ReplaceReport(id int64, oldDoc string) error
	// FindOriginal returns the stored report the new one reprints, if any.
	FindOriginal(m store.Merger) (Original, error)
	// InsertReport stores the new report; ReportID is its ID after.
	InsertReport() error
	// ReportID is the ID of the report row being written.
	ReportID() int64
	// SaveEvent stores incoming event i, merged or new, and reports
	// whether it was merged.
	SaveEvent(i int, e event.Event, m store.Merger) (merged bool, err error)
	// EventsOfReport lists the events report id is a direct source of.
	EventsOfReport(id int64) ([]string, error)
	// AttachCopies gives every copy of report origID a source row on each
	// event origID is a source of, where it has none yet.
	AttachCopies(origID int64, origDoc string) error
	// Revision records an action on event id.
	Revision(id, action string, changes map[string]string) error
}

// Save stores the report and its events with the semantics of
// store.Store.SaveReport: a stored hash changes nothing; a stored version
// is replaced; a new report that reprints a stored one becomes its copy;
// otherwise each event is offered to m. The caller runs it in one
// transaction (and, in PostgreSQL, under its locks).
func Save(sv Saver, events []event.Event, m store.Merger, res *store.IngestResult) error {
	id, found, err := sv.StoredHash()
	if err != nil {
		return err
	}
	if found {
		res.ReportID, res.Duplicate = id, true
		return nil
	}
	oldID, oldDoc, found, err := sv.Previous()
	if err != nil {
		return err
	}
	if found {
		if err := sv.ReplaceReport(oldID, oldDoc); err != nil {
			return err
		}
		res.Updated = true
	} else {
		orig, err := sv.FindOriginal(m)
		if err != nil {
			return fmt.Errorf("syndication: %w", err)
		}
		if err := sv.InsertReport(); err != nil {
			return err
		}
		if orig.ID != 0 {
			res.ReportID, res.CopyOf = sv.ReportID(), orig.Doc
			return SaveCopy(sv, orig)
		}
	}
	res.ReportID = sv.ReportID()
	for _, i := range mergeOrder(events) {
		merged, err := sv.SaveEvent(i, events[i], m)
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		if merged {
			res.Merged++
		} else {
			res.Added++
		}
	}
	// Copies of an earlier version follow the report to its new events.
	return sv.AttachCopies(sv.ReportID(), sv.Report().Doc)
}

// SaveCopy records the report just inserted as a syndicated copy of o:
// each of o's events gains a source row for the copy, marked copy_of, with
// o's excerpt and figure, so the event lists the copy's URL without
// counting it as another witness. The copy's own extraction is not stored.
func SaveCopy(sv Saver, o Original) error {
	ids, err := sv.EventsOfReport(o.ID)
	if err != nil {
		return err
	}
	if err := sv.AttachCopies(o.ID, o.Doc); err != nil {
		return err
	}
	r := sv.Report()
	for _, id := range ids {
		if err := sv.Revision(id, "syndicated", map[string]string{"copy": r.Doc, "url": r.URL, "copy_of": o.Doc}); err != nil {
			return err
		}
	}
	return nil
}

// PickCandidate offers e to m with the stored candidates and returns the
// index of the one to merge into (-1 for none) with the merged event and
// the rules m applied. An index out of range is the merger's bug, an error.
func PickCandidate(m store.Merger, e event.Event, cands []event.Event) (int, event.Event, map[string]string, error) {
	if len(cands) == 0 {
		return -1, event.Event{}, nil, nil
	}
	idx, merged, rules := m.Merge(e, cands)
	if idx >= len(cands) {
		return -1, event.Event{}, nil, fmt.Errorf("merger chose candidate %d of %d", idx, len(cands))
	}
	return idx, merged, rules, nil
}

// FreeID returns want if no stored event has it (taken says whether one
// has), else the first DerivedID of the report hash and index i that no
// stored event has. It gives up after about a hundred tries.
func FreeID(want, hash string, i int, taken func(id string) (bool, error)) (string, error) {
	for n := 0; ; n++ {
		id := want
		if id == "" || n > 0 {
			id = DerivedID(hash, i, n)
		}
		t, err := taken(id)
		if err != nil {
			return "", err
		}
		if !t {
			return id, nil
		}
		if n > 100 {
			return "", fmt.Errorf("no free event ID for %q", want)
		}
	}
}

// mergeOrder is the order in which a report's events are saved: its
// incidents before its background mentions. A report is one source of an
// event at most, so a recalled incident merged first would keep the
// report's own account of it from merging.
func mergeOrder(events []event.Event) []int {
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return events[order[a]].Kind != event.Background && events[order[b]].Kind == event.Background
	})
	return order
}
