package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Scanner is one row: *sql.Row, *sql.Rows, pgx.Row and pgx.Rows all are.
type Scanner interface{ Scan(dest ...any) error }

// Rows is a result set being read: *sql.Rows and pgx.Rows both are. The
// functions here read it to the end but never close it; the caller does.
type Rows interface {
	Scanner
	Next() bool
	Err() error
}

// EventCols are the events columns read by ScanEvent, in order.
const EventCols = `id, doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

// EventWriteCols are the columns EventValues fills, in order.
const EventWriteCols = `doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, actors_folded,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

// EventWriteN is the number of EventWriteCols.
var EventWriteN = len(strings.Split(EventWriteCols, ","))

// ScanEvent reads one row of EventCols. The backend's date column scans
// into a D (a string in SQLite, a time.Time in PostgreSQL) that toTime
// turns into the event date.
func ScanEvent[D any](sc Scanner, toTime func(D) time.Time) (event.Event, error) {
	var e event.Event
	var kind string
	var date D
	err := sc.Scan(&e.ID, &e.Doc, &kind, &date, &e.TimePrecision, &e.EventType, &e.SubEventType,
		&e.Actor1.Name, &e.Actor1.Assoc, &e.Actor1.Inter, &e.Actor2.Name, &e.Actor2.Assoc, &e.Actor2.Inter,
		&e.Place.Country, &e.Place.Admin1, &e.Place.Admin2, &e.Place.Name, &e.Place.Mention, &e.Place.GeonameID,
		&e.Place.Lat, &e.Place.Lon, &e.Place.Precision, &e.Place.Unresolved,
		&e.Fatalities, &e.FatalitiesLow, &e.FatalitiesHigh, &e.Confidence, &e.Notes)
	e.Kind = event.Kind(kind)
	e.Date = toTime(date)
	return e, err
}

// ScanEvents reads every row of EventCols left in rows.
func ScanEvents[D any](rows Rows, toTime func(D) time.Time) ([]event.Event, error) {
	var evs []event.Event
	for rows.Next() {
		e, err := ScanEvent(rows, toTime)
		if err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return evs, nil
}

// EventValues are the values written for e, in the order of EventWriteCols.
// str prepares each text value for the database (PostgreSQL refuses NUL
// bytes and invalid UTF-8; SQLite takes strings as they are) and date is the
// event date as the backend stores it.
func EventValues(e *event.Event, str func(string) string, date any) []any {
	return []any{str(e.Doc), str(string(e.Kind)), date, e.TimePrecision, str(e.EventType), str(e.SubEventType),
		str(e.Actor1.Name), str(e.Actor1.Assoc), e.Actor1.Inter, str(e.Actor2.Name), str(e.Actor2.Assoc), e.Actor2.Inter,
		str(FoldActors(e)),
		str(e.Place.Country), str(e.Place.Admin1), str(e.Place.Admin2), str(e.Place.Name), str(e.Place.Mention), e.Place.GeonameID,
		e.Place.Lat, e.Place.Lon, e.Place.Precision, str(e.Place.Unresolved),
		e.Fatalities, e.FatalitiesLow, e.FatalitiesHigh, e.Confidence, str(e.Notes)}
}

// Children prepares evs to receive their sources and evidence: it empties
// both lists (so they marshal as [] rather than null) and returns the
// events' IDs, in order, and the events by ID.
func Children(evs []event.Event) ([]string, map[string]*event.Event) {
	byID := make(map[string]*event.Event, len(evs))
	ids := make([]string, len(evs))
	for i := range evs {
		ids[i] = evs[i].ID
		byID[evs[i].ID] = &evs[i]
		evs[i].Sources = []event.Source{}
		evs[i].Evidence = []event.Evidence{}
	}
	return ids, byID
}

// SourceCols are the event_sources columns ScanSources reads, in order.
const SourceCols = `event_id, doc, url, outlet, published, excerpt, fatalities, copy_of`

// ScanSources appends each row of SourceCols to its event in byID; rows of
// other events are skipped.
func ScanSources(rows Rows, byID map[string]*event.Event) error {
	for rows.Next() {
		var id string
		var s event.Source
		if err := rows.Scan(&id, &s.Doc, &s.URL, &s.Outlet, &s.Published, &s.Excerpt, &s.Fatalities, &s.CopyOf); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Sources = append(e.Sources, s)
		}
	}
	return rows.Err()
}

// EvidenceCols are the evidence columns ScanEvidence reads, in order.
const EvidenceCols = `event_id, doc, start_pos, end_pos, text`

// ScanEvidence appends each row of EvidenceCols to its event in byID; rows
// of other events are skipped.
func ScanEvidence(rows Rows, byID map[string]*event.Event) error {
	for rows.Next() {
		var id string
		var ev event.Evidence
		if err := rows.Scan(&id, &ev.Doc, &ev.Start, &ev.End, &ev.Text); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Evidence = append(e.Evidence, ev)
		}
	}
	return rows.Err()
}

// Snapshot is an event with the fields event.Event's JSON tags hide, as
// kept in a merge record so that Unmerge can restore it.
type Snapshot struct {
	event.Event
	Date   string      `json:"event_date"`
	Actor1 event.Actor `json:"actor1"`
	Actor2 event.Actor `json:"actor2"`
	Place  event.Place `json:"place"`
}

const dateFormat = "2006-01-02"

// NewSnapshot is e's snapshot; a zero date is "".
func NewSnapshot(e event.Event) Snapshot {
	var d string
	if !e.Date.IsZero() {
		d = e.Date.Format(dateFormat)
	}
	return Snapshot{Event: e, Date: d, Actor1: e.Actor1, Actor2: e.Actor2, Place: e.Place}
}

// Unsnapshot decodes a snapshot written by NewSnapshot back into the event;
// a missing or malformed date becomes the zero date.
func Unsnapshot(b []byte) (event.Event, error) {
	var snap Snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		return event.Event{}, err
	}
	e := snap.Event
	e.Actor1, e.Actor2, e.Place = snap.Actor1, snap.Actor2, snap.Place
	if d, err := time.Parse(dateFormat, snap.Date); err == nil {
		e.Date = d
	}
	return e, nil
}

// MergeRecord is what a merge record keeps besides its keys: the rules the
// merger applied, the stored event as it was before and the incoming event
// as extracted, each as JSON.
func MergeRecord(rules map[string]string, stored, incoming event.Event) (rulesJSON, before, in []byte, err error) {
	if rulesJSON, err = json.Marshal(NonNil(rules)); err != nil {
		return nil, nil, nil, err
	}
	if before, err = json.Marshal(NewSnapshot(stored)); err != nil {
		return nil, nil, nil, err
	}
	if in, err = json.Marshal(NewSnapshot(incoming)); err != nil {
		return nil, nil, nil, err
	}
	return rulesJSON, before, in, nil
}

// DecodeMergeRecord reads the two snapshots of a merge record: the stored
// event as it was before the merge and the incoming event as extracted.
func DecodeMergeRecord(before, incoming string) (old, in event.Event, err error) {
	if old, err = Unsnapshot([]byte(before)); err != nil {
		return old, in, fmt.Errorf("merge record: before: %w", err)
	}
	if in, err = Unsnapshot([]byte(incoming)); err != nil {
		return old, in, fmt.Errorf("merge record: incoming: %w", err)
	}
	return old, in, nil
}

// SplitOff is the incoming event of an undone merge as the new event newID
// from report doc. Its range starts as its own figure: it has one source.
func SplitOff(in event.Event, newID, doc string) event.Event {
	in.ID, in.Doc = newID, doc
	if in.Fatalities > 0 && in.FatalitiesHigh == 0 {
		in.FatalitiesLow, in.FatalitiesHigh = in.Fatalities, in.Fatalities
	}
	return in
}

// FinishUnmerge reindexes the restored event id and the split-off event
// newID, then records an "unmerged" revision on each naming the other.
func FinishUnmerge(reindex func(id string) error, revision func(id, action string, changes map[string]string) error, id, newID string) error {
	for _, e := range []string{id, newID} {
		if err := reindex(e); err != nil {
			return err
		}
	}
	if err := revision(id, "unmerged", map[string]string{"split_off": newID}); err != nil {
		return err
	}
	return revision(newID, "unmerged", map[string]string{"from": id})
}
