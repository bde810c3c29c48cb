package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// maxWindow caps Merger.Window so a bad merger cannot scan the whole table
// through date arithmetic overflow.
const maxWindow = 3660

// SaveReport stores r and its events in one transaction; see store.Store.
//
// A report whose hash is already stored changes nothing. A report whose doc
// (or, failing that, non-empty URL) is stored with another hash is a new
// version: the old version's sources and evidence are detached, events left
// with no source are deleted, and the incoming events are then stored as
// for a new report. If r.Hash is empty, the SHA-256 of r.Raw (or of r.Text
// when Raw is empty) is used.
//
// With m non-nil, each incoming event is offered to m with the stored
// events of the same kind dated within m.Window days; a merge keeps the
// stored event's ID and takes the merged event's fields, except Sources and
// Evidence, which the store keeps and extends with the incoming event's.
// Events with a zero date are never merged. An incoming event's ID is kept
// when free; otherwise (or when empty) the store derives one from the
// report hash and the event's index.
func (s *Store) SaveReport(ctx context.Context, r *event.Report, events []event.Event, m store.Merger) (store.IngestResult, error) {
	if r == nil {
		return store.IngestResult{}, errors.New("sqlite: save report: nil report")
	}
	if r.Doc == "" {
		return store.IngestResult{}, errors.New("sqlite: save report: report has no doc name")
	}
	hash := r.Hash
	if hash == "" {
		b := r.Raw
		if len(b) == 0 {
			b = []byte(r.Text)
		}
		sum := sha256.Sum256(b)
		hash = hex.EncodeToString(sum[:])
	}
	var sig []byte
	if syn, ok := m.(store.Syndicator); ok {
		sig = syn.Signature(r)
	}
	var res store.IngestResult
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res = store.IngestResult{}
		sv := saver{ctx: ctx, tx: tx, r: r, hash: hash, now: formatTime(s.now()), signature: sig}
		return sv.save(events, m, &res)
	})
	if err != nil {
		return store.IngestResult{}, fmt.Errorf("sqlite: save report %q: %w", r.Doc, err)
	}
	return res, nil
}

// saver holds the state of one SaveReport transaction.
type saver struct {
	ctx      context.Context
	tx       *sql.Tx
	r        *event.Report
	hash     string
	now      string
	reportID int64
	stmts    map[string]*sql.Stmt

	signature []byte // the Syndicator's signature of r, nil without one
	copyOf    int64  // the stored report r reprints, 0 when independent
}

// exec runs q, preparing it once per transaction: a report with many
// events runs the same few statements many times, and preparing dominated
// the cost. The transaction closes its statements when it ends.
func (sv *saver) exec(q string, args ...any) (sql.Result, error) {
	st, ok := sv.stmts[q]
	if !ok {
		var err error
		if st, err = sv.tx.PrepareContext(sv.ctx, q); err != nil {
			return nil, err
		}
		if sv.stmts == nil {
			sv.stmts = map[string]*sql.Stmt{}
		}
		sv.stmts[q] = st
	}
	return st.ExecContext(sv.ctx, args...)
}

func (sv *saver) save(events []event.Event, m store.Merger, res *store.IngestResult) error {
	err := sv.tx.QueryRowContext(sv.ctx, `SELECT id FROM reports WHERE hash = ?`, sv.hash).Scan(&res.ReportID)
	if err == nil {
		res.Duplicate = true
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}

	var oldID int64
	var oldDoc string
	err = sv.tx.QueryRowContext(sv.ctx, `SELECT id, doc FROM reports
		WHERE doc = ? OR (? <> '' AND url = ?)
		ORDER BY doc = ? DESC, id LIMIT 1`, sv.r.Doc, sv.r.URL, sv.r.URL, sv.r.Doc).Scan(&oldID, &oldDoc)
	switch {
	case err == nil:
		if err := sv.replaceReport(oldID, oldDoc); err != nil {
			return err
		}
		res.Updated = true
	case errors.Is(err, sql.ErrNoRows):
		orig, err := sv.findOriginal(m)
		if err != nil {
			return fmt.Errorf("syndication: %w", err)
		}
		if err := sv.insertReport(); err != nil {
			return err
		}
		if orig.id != 0 {
			res.ReportID, res.CopyOf = sv.reportID, orig.doc
			return sv.saveCopy(orig)
		}
	default:
		return err
	}
	res.ReportID = sv.reportID

	for i := range events {
		merged, err := sv.saveEvent(i, events[i], m)
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
	return sv.attachCopies(sv.reportID, sv.r.Doc)
}

func (sv *saver) reportValues() []any {
	r := sv.r
	return []any{r.Doc, r.URL, r.Outlet, r.Title, r.Author, r.Lang, r.Format,
		formatTime(r.Published), r.DateSource, sv.hash, r.Text, sv.now}
}

func (sv *saver) insertReport() error {
	res, err := sv.exec(`INSERT INTO reports
		(doc, url, outlet, title, author, lang, format, published, date_source, hash, text, ingested_at, status, error, signature, copy_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', '', ?, ?)`, append(sv.reportValues(), sv.signature, sv.copyOf)...)
	if err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	sv.reportID, err = res.LastInsertId()
	return err
}

// replaceReport turns stored report id into the new version: it detaches
// the old version's sources and evidence, deletes events left unsourced
// and records the change on the events that survive through other reports.
func (sv *saver) replaceReport(id int64, oldDoc string) error {
	sv.reportID = id
	rows, err := sv.tx.QueryContext(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = ?
		UNION SELECT event_id FROM evidence WHERE report_id = ?`, id, id)
	if err != nil {
		return err
	}
	var affected []string
	for rows.Next() {
		var eid string
		if err := rows.Scan(&eid); err != nil {
			rows.Close()
			return err
		}
		affected = append(affected, eid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := sv.exec(`DELETE FROM event_sources WHERE report_id = ? OR report_id IN (SELECT id FROM reports WHERE copy_of = ?)`, id, id); err != nil {
		return err
	}
	if _, err := sv.exec(`DELETE FROM evidence WHERE report_id = ?`, id); err != nil {
		return err
	}
	// The old version's merges are over: its source is gone, and the new
	// version's merges (recorded below) are what Unmerge can undo.
	if _, err := sv.exec(`DELETE FROM merges WHERE report_id = ?`, id); err != nil {
		return err
	}
	for _, eid := range affected {
		var n int
		var lo, hi sql.NullInt64
		if err := sv.tx.QueryRowContext(sv.ctx, `SELECT count(*),
			min(CASE WHEN fatalities >= 0 THEN fatalities END), max(CASE WHEN fatalities >= 0 THEN fatalities END)
			FROM event_sources WHERE event_id = ?`, eid).Scan(&n, &lo, &hi); err != nil {
			return err
		}
		if n == 0 {
			if err := sv.deleteEvent(eid); err != nil {
				return err
			}
			continue
		}
		changes := map[string]string{"detached": oldDoc}
		if lo.Valid {
			if _, err := sv.exec(`UPDATE events SET fatalities_low = ?, fatalities_high = ?, updated_at = ? WHERE id = ?`,
				lo.Int64, hi.Int64, sv.now, eid); err != nil {
				return err
			}
			changes["fatalities_low"] = strconv.FormatInt(lo.Int64, 10)
			changes["fatalities_high"] = strconv.FormatInt(hi.Int64, 10)
		}
		if err := sv.reindex(eid); err != nil {
			return err
		}
		if err := sv.revision(eid, "updated", changes); err != nil {
			return err
		}
	}
	_, err = sv.exec(`UPDATE reports SET doc = ?, url = ?, outlet = ?, title = ?, author = ?, lang = ?, format = ?,
		published = ?, date_source = ?, hash = ?, text = ?, ingested_at = ?, status = 'ok', error = '',
		signature = ? WHERE id = ?`, append(sv.reportValues(), sv.signature, id)...)
	if err != nil {
		return fmt.Errorf("update report: %w", err)
	}
	return nil
}

func (sv *saver) deleteEvent(id string) error {
	if _, err := sv.exec(`DELETE FROM events_fts WHERE rowid = (SELECT seq FROM events WHERE id = ?)`, id); err != nil {
		return err
	}
	_, err := sv.exec(`DELETE FROM events WHERE id = ?`, id)
	return err
}

// reindex rewrites the event's full-text row from its notes and evidence.
func (sv *saver) reindex(id string) error {
	if _, err := sv.exec(`DELETE FROM events_fts WHERE rowid = (SELECT seq FROM events WHERE id = ?)`, id); err != nil {
		return fmt.Errorf("fts: %w", err)
	}
	_, err := sv.exec(`INSERT INTO events_fts(rowid, body)
		SELECT seq, notes || char(10) || coalesce((SELECT group_concat(text, char(10)) FROM evidence WHERE event_id = e.id), '')
		FROM events e WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("fts: %w", err)
	}
	return nil
}

func (sv *saver) revision(id, action string, changes map[string]string) error {
	if changes == nil {
		changes = map[string]string{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	_, err = sv.exec(`INSERT INTO revisions(event_id, at, doc, action, changes) VALUES (?, ?, ?, ?, ?)`,
		id, sv.now, sv.r.Doc, action, string(b))
	return err
}

// saveEvent stores incoming event i, merged or new, and reports whether it
// was merged.
func (sv *saver) saveEvent(i int, e event.Event, m store.Merger) (bool, error) {
	e.Doc = sv.r.Doc
	if m != nil && !e.Date.IsZero() {
		w := min(max(m.Window(e), 0), maxWindow)
		q := `SELECT ` + eventCols + ` FROM events WHERE kind = ? AND event_date BETWEEN ? AND ?`
		args := []any{string(e.Kind), formatDate(e.Date.AddDate(0, 0, -w)), formatDate(e.Date.AddDate(0, 0, w))}
		if am, ok := m.(store.AreaMerger); ok && e.Place.Known() {
			// only events near enough to merge, and those with no point
			minLat, maxLat, minLon, maxLon := store.BBox(e.Place.Lat, e.Place.Lon, am.RadiusKm(e))
			q += ` AND (latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? OR latitude = 0 AND longitude = 0)`
			args = append(args, minLat, maxLat, minLon, maxLon)
		}
		cands, err := queryEvents(sv.ctx, sv.tx, q+` ORDER BY event_date, id`, args...)
		if err != nil {
			return false, fmt.Errorf("candidates: %w", err)
		}
		if len(cands) > 0 {
			idx, merged, rules := m.Merge(e, cands)
			if idx >= len(cands) {
				return false, fmt.Errorf("merger chose candidate %d of %d", idx, len(cands))
			}
			if idx >= 0 {
				return true, sv.merge(e, cands[idx], merged, rules)
			}
		}
	}
	return false, sv.insertEvent(i, e)
}

func (sv *saver) insertEvent(i int, e event.Event) error {
	id, err := sv.freeID(e.ID, i)
	if err != nil {
		return err
	}
	e.ID = id
	_, err = sv.exec(`INSERT INTO events (id, `+eventWriteCols+`, created_at, updated_at)
		VALUES (`+placeholders(1+eventWriteN+2)+`)`,
		append(append([]any{id}, eventValues(&e)...), sv.now, sv.now)...)
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if err := sv.attach(id, e); err != nil {
		return err
	}
	return sv.revision(id, "created", nil)
}

// freeID returns want if no stored event has it, else an ID derived from
// the report hash and index i that no stored event has.
func (sv *saver) freeID(want string, i int) (string, error) {
	for n := 0; ; n++ {
		id := want
		if id == "" || n > 0 {
			key := sv.hash + "/" + strconv.Itoa(i)
			if n > 1 {
				key += "/" + strconv.Itoa(n)
			}
			sum := sha256.Sum256([]byte(key))
			id = "SW" + hex.EncodeToString(sum[:6])
		}
		var one int
		err := sv.tx.QueryRowContext(sv.ctx, `SELECT 1 FROM events WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return id, nil
		}
		if err != nil {
			return "", err
		}
		if n > 100 {
			return "", fmt.Errorf("no free event ID for %q", want)
		}
	}
}

// attach adds this report as a source of event id, with e's evidence.
func (sv *saver) attach(id string, e event.Event) error {
	var excerpt string
	if len(e.Evidence) > 0 {
		excerpt = e.Evidence[0].Text
	}
	var published string
	if !sv.r.Published.IsZero() {
		published = sv.r.Published.Format(dateFormat)
	}
	// Two incoming events of one report may land in one stored event;
	// the report is still one source.
	if _, err := sv.exec(`INSERT INTO event_sources(event_id, report_id, doc, url, outlet, published, excerpt, fatalities)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, report_id) DO NOTHING`,
		id, sv.reportID, sv.r.Doc, sv.r.URL, sv.r.Outlet, published, excerpt, e.Fatalities); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	for _, ev := range e.Evidence {
		doc := ev.Doc
		if doc == "" {
			doc = sv.r.Doc
		}
		if _, err := sv.exec(`INSERT INTO evidence(event_id, report_id, doc, start_pos, end_pos, text) VALUES (?, ?, ?, ?, ?, ?)`,
			id, sv.reportID, doc, ev.Start, ev.End, ev.Text); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
	}
	return sv.reindex(id)
}

// merge writes merged over stored, attaches the incoming event's source and
// evidence, and records enough to undo the merge.
func (sv *saver) merge(incoming, stored, merged event.Event, rules map[string]string) error {
	merged.ID = stored.ID
	if merged.Doc == "" {
		merged.Doc = stored.Doc
	}
	vals := eventValues(&merged)
	_, err := sv.exec(`UPDATE events SET (`+eventWriteCols+`, updated_at) =
		(`+placeholders(eventWriteN+1)+`) WHERE id = ?`,
		append(append(vals, sv.now), stored.ID)...)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := sv.attach(stored.ID, incoming); err != nil {
		return err
	}
	if err := sv.revision(stored.ID, "merged", rules); err != nil {
		return err
	}
	rulesJSON, err := json.Marshal(nonNil(rules))
	if err != nil {
		return err
	}
	before, err := json.Marshal(snapshot(stored))
	if err != nil {
		return err
	}
	in, err := json.Marshal(snapshot(incoming))
	if err != nil {
		return err
	}
	_, err = sv.exec(`INSERT INTO merges(event_id, report_id, doc, at, rules, before, incoming) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		stored.ID, sv.reportID, sv.r.Doc, sv.now, string(rulesJSON), string(before), string(in))
	return err
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// eventSnapshot is an event with the fields event.Event's JSON tags hide,
// for the merge record.
type eventSnapshot struct {
	event.Event
	Date   string      `json:"event_date"`
	Actor1 event.Actor `json:"actor1"`
	Actor2 event.Actor `json:"actor2"`
	Place  event.Place `json:"place"`
}

func snapshot(e event.Event) eventSnapshot {
	return eventSnapshot{Event: e, Date: formatDate(e.Date), Actor1: e.Actor1, Actor2: e.Actor2, Place: e.Place}
}

// RecordFailure notes that doc could not be ingested. It adds a row to the
// failure log and touches nothing else: a stored report with the same doc
// keeps its text and events.
func (s *Store) RecordFailure(ctx context.Context, doc, url, reason string) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO failures(doc, url, reason, at) VALUES (?, ?, ?, ?)`,
			doc, url, reason, formatTime(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: record failure %q: %w", doc, err)
	}
	return nil
}

// HasReport reports whether a report with this content hash is stored.
func (s *Store) HasReport(ctx context.Context, hash string) (bool, error) {
	var one int
	err := s.r.QueryRowContext(ctx, `SELECT 1 FROM reports WHERE hash = ?`, hash).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: has report: %w", err)
	}
	return true, nil
}

// placeholders returns n comma-separated SQL parameters.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
