package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

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
	if err := sqlstore.CheckReport(r); err != nil {
		return store.IngestResult{}, fmt.Errorf("sqlite: save report: %w", err)
	}
	hash, sig := sqlstore.ReportHash(r), sqlstore.Signature(r, m)
	var res store.IngestResult
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res = store.IngestResult{}
		sv := saver{ctx: ctx, tx: tx, r: r, hash: hash, now: formatTime(s.now()), signature: sig}
		return sqlstore.Save(&sv, events, m, &res)
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

func (sv *saver) Report() *event.Report { return sv.r }
func (sv *saver) ReportID() int64       { return sv.reportID }

func (sv *saver) StoredHash() (int64, bool, error) {
	var id int64
	err := sv.tx.QueryRowContext(sv.ctx, `SELECT id FROM reports WHERE hash = ?`, sv.hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

func (sv *saver) Previous() (int64, string, bool, error) {
	var id int64
	var doc string
	err := sv.tx.QueryRowContext(sv.ctx, `SELECT id, doc FROM reports
		WHERE doc = ? OR (? <> '' AND url = ?)
		ORDER BY doc = ? DESC, id LIMIT 1`, sv.r.Doc, sv.r.URL, sv.r.URL, sv.r.Doc).Scan(&id, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	return id, doc, err == nil, err
}

func (sv *saver) reportValues() []any {
	r := sv.r
	return []any{r.Doc, r.URL, r.Outlet, r.Title, r.Author, r.Lang, r.Format,
		formatTime(r.Published), r.DateSource, sv.hash, r.Text, sv.now}
}

func (sv *saver) InsertReport() error {
	res, err := sv.exec(`INSERT INTO reports
		(doc, url, outlet, title, author, lang, format, published, date_source, hash, text, ingested_at, status, error, signature, copy_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', '', ?, ?)`, append(sv.reportValues(), sv.signature, sv.copyOf)...)
	if err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	sv.reportID, err = res.LastInsertId()
	return err
}

// ReplaceReport turns stored report id into the new version: it detaches
// the old version's sources and evidence, deletes events left unsourced
// and records the change on the events that survive through other reports.
func (sv *saver) ReplaceReport(id int64, oldDoc string) error {
	sv.reportID = id
	rows, err := sv.tx.QueryContext(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = ?
		UNION SELECT event_id FROM evidence WHERE report_id = ?`, id, id)
	if err != nil {
		return err
	}
	affected, err := sqlstore.ScanColumn[string](rows)
	rows.Close()
	if err != nil {
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
		if err := sv.Revision(eid, "updated", changes); err != nil {
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

func (sv *saver) Revision(id, action string, changes map[string]string) error {
	b, err := json.Marshal(sqlstore.NonNil(changes))
	if err != nil {
		return err
	}
	_, err = sv.exec(`INSERT INTO revisions(event_id, at, doc, action, changes) VALUES (?, ?, ?, ?, ?)`,
		id, sv.now, sv.r.Doc, action, string(b))
	return err
}

// SaveEvent stores incoming event i, merged or new, and reports whether it
// was merged.
func (sv *saver) SaveEvent(i int, e event.Event, m store.Merger) (bool, error) {
	e.Doc = sv.r.Doc
	if m != nil && !e.Date.IsZero() {
		w := sqlstore.Window(e, m)
		p := sqlstore.Params{Dollar: false}
		q := sqlstore.CandidateQuery(e, m, &p, string(e.Kind), formatDate(e.Date.AddDate(0, 0, -w)), formatDate(e.Date.AddDate(0, 0, w)),
			func(t time.Time) any { return formatDate(t) })
		cands, err := queryEvents(sv.ctx, sv.tx, q, p.Args...)
		if err != nil {
			return false, fmt.Errorf("candidates: %w", err)
		}
		idx, merged, rules, err := sqlstore.PickCandidate(m, e, cands)
		if err != nil {
			return false, err
		}
		if idx >= 0 {
			return true, sv.merge(e, cands[idx], merged, rules)
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
	return sv.Revision(id, "created", nil)
}

// freeID returns want if no stored event has it, else an ID derived from
// the report hash and index i that no stored event has.
func (sv *saver) freeID(want string, i int) (string, error) {
	return sqlstore.FreeID(want, sv.hash, i, func(id string) (bool, error) {
		var one int
		err := sv.tx.QueryRowContext(sv.ctx, `SELECT 1 FROM events WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	})
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
	if err := sv.Revision(stored.ID, "merged", rules); err != nil {
		return err
	}
	rulesJSON, before, in, err := sqlstore.MergeRecord(rules, stored, incoming)
	if err != nil {
		return err
	}
	_, err = sv.exec(`INSERT INTO merges(event_id, report_id, doc, at, rules, before, incoming) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		stored.ID, sv.reportID, sv.r.Doc, sv.now, string(rulesJSON), string(before), string(in))
	return err
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
