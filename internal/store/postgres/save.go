package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// Advisory lock spaces within lockSpace's keys: the second key of a lock
// is (space<<28 | value), so spaces never collide.
const (
	lockReport = 2 // hash, doc or URL of a report
	lockBucket = 3 // a (kind, week) bucket of event dates
)

// bucketDays is the width of a lock bucket. Wider buckets mean fewer locks
// per report and less parallelism between reports of nearby dates.
const bucketDays = 7

// SaveReport stores r and its events in one transaction with the same
// semantics as the SQLite store (see store.Store and sqlite.SaveReport):
// a stored hash changes nothing; a stored doc or URL with another hash is
// a new version whose old sources and evidence are detached; each event
// is offered to m with the stored events of its kind within m.Window days.
//
// Concurrent savers serialise on advisory locks over the report and the
// date buckets its events may merge into, so merging is as safe as with
// one writer.
func (s *Store) SaveReport(ctx context.Context, r *event.Report, events []event.Event, m store.Merger) (store.IngestResult, error) {
	if err := sqlstore.CheckReport(r); err != nil {
		return store.IngestResult{}, fmt.Errorf("postgres: save report: %w", err)
	}
	hash, sig := sqlstore.ReportHash(r), sqlstore.Signature(r, m)
	var res store.IngestResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		res = store.IngestResult{}
		sv := saver{ctx: ctx, tx: tx, r: r, hash: text(hash), now: s.now(), signature: sig}
		return sv.save(events, m, &res)
	})
	if err != nil {
		return store.IngestResult{}, fmt.Errorf("postgres: save report %q: %w", r.Doc, err)
	}
	return res, nil
}

type saver struct {
	ctx      context.Context
	tx       pgx.Tx
	r        *event.Report
	hash     string
	now      time.Time
	reportID int64

	signature []byte // the Syndicator's signature of r, nil without one
	copyOf    int64  // the stored report r reprints, 0 when independent
}

func (sv *saver) exec(q string, args ...any) error {
	_, err := sv.tx.Exec(sv.ctx, q, args...)
	return err
}

// lockKey is one advisory lock's second key.
func lockKey(space int, s string) int32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int32(uint32(space)<<28 | h.Sum32()&(1<<28-1))
}

// lockAll takes the transaction advisory locks for keys in ascending
// order: every saver takes its locks in that one order, so two savers can
// wait for each other but never deadlock. Keys in shared are taken in
// shared mode unless keys also holds them.
func lockAll(ctx context.Context, tx pgx.Tx, keys, shared []int32) error {
	type lk struct {
		key    int32
		shared bool
	}
	var all []lk
	for _, k := range keys {
		all = append(all, lk{k, false})
	}
	for _, k := range shared {
		all = append(all, lk{k, true})
	}
	// Exclusive sorts before shared for one key, and Compact keeps it.
	slices.SortFunc(all, func(a, b lk) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		if a.shared == b.shared {
			return 0
		}
		if !a.shared {
			return -1
		}
		return 1
	})
	all = slices.CompactFunc(all, func(a, b lk) bool { return a.key == b.key })
	for _, l := range all {
		q := `SELECT pg_advisory_xact_lock($1, $2)`
		if l.shared {
			q = `SELECT pg_advisory_xact_lock_shared($1, $2)`
		}
		if _, err := tx.Exec(ctx, q, lockSpace, l.key); err != nil {
			return err
		}
	}
	return nil
}

// bucketKeys are the locks covering the dates where e or its merge
// candidates may lie.
func bucketKeys(keys []int32, e event.Event, window int) []int32 {
	if e.Date.IsZero() {
		return keys
	}
	from := toDate(e.Date).AddDate(0, 0, -window).Unix() / 86400
	to := toDate(e.Date).AddDate(0, 0, window).Unix() / 86400
	for b := floorDiv(from, bucketDays); b <= floorDiv(to, bucketDays); b++ {
		// by date alone: a merger may merge events of different kinds
		keys = append(keys, lockKey(lockBucket, strconv.FormatInt(b, 10)))
	}
	return keys
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (sv *saver) save(events []event.Event, m store.Merger, res *store.IngestResult) error {
	r := sv.r
	keys := []int32{lockKey(lockReport, "h:"+sv.hash), lockKey(lockReport, "d:"+r.Doc)}
	if r.URL != "" {
		keys = append(keys, lockKey(lockReport, "u:"+r.URL))
	}
	for _, e := range events {
		keys = bucketKeys(keys, e, sqlstore.Window(e, m))
	}
	// The old version's events lose a source and may be deleted: lock their
	// buckets too, so no concurrent saver merges into an event going away.
	oldID, _, found, err := sv.Previous()
	if err != nil {
		return err
	}
	if found {
		old, err := queryEvents(sv.ctx, sv.tx, `SELECT `+eventCols+` FROM events WHERE id IN
			(SELECT event_id FROM event_sources WHERE report_id = $1 UNION SELECT event_id FROM evidence WHERE report_id = $1)`, oldID)
		if err != nil {
			return err
		}
		for _, e := range old {
			keys = bucketKeys(keys, e, 0)
		}
	}
	keys, shared := sv.syndicationKeys(keys)
	if err := lockAll(sv.ctx, sv.tx, keys, shared); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	// Under the locks, look again: another saver may have stored this
	// report, or a version of it, while we waited.
	return sqlstore.Save(sv, events, m, res)
}

func (sv *saver) Report() *event.Report { return sv.r }
func (sv *saver) ReportID() int64       { return sv.reportID }

func (sv *saver) StoredHash() (int64, bool, error) {
	var id int64
	err := sv.tx.QueryRow(sv.ctx, `SELECT id FROM reports WHERE hash = $1`, sv.hash).Scan(&id)
	if isNoRows(err) {
		return 0, false, nil
	}
	return id, err == nil, err
}

func (sv *saver) Previous() (int64, string, bool, error) {
	var id int64
	var doc string
	err := sv.tx.QueryRow(sv.ctx, `SELECT id, doc FROM reports
		WHERE doc = $1 OR ($2 <> '' AND url = $2)
		ORDER BY doc = $1 DESC, id LIMIT 1`, text(sv.r.Doc), text(sv.r.URL)).Scan(&id, &doc)
	if isNoRows(err) {
		return 0, "", false, nil
	}
	return id, doc, err == nil, err
}

func published(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (sv *saver) reportValues() []any {
	r := sv.r
	return []any{text(r.Doc), text(r.URL), text(r.Outlet), text(r.Title), text(r.Author), text(r.Lang), text(r.Format),
		published(r.Published), text(r.DateSource), sv.hash, text(r.Text), sv.now}
}

func (sv *saver) InsertReport() error {
	err := sv.tx.QueryRow(sv.ctx, `INSERT INTO reports
		(doc, url, outlet, title, author, lang, format, published, date_source, hash, text, ingested_at, signature, copy_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		append(sv.reportValues(), sv.signature, sv.copyOf)...).Scan(&sv.reportID)
	if err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	return nil
}

// ReplaceReport turns stored report id into the new version: it detaches
// the old version's sources and evidence, deletes events left unsourced
// and records the change on the events that survive through other reports.
func (sv *saver) ReplaceReport(id int64, oldDoc string) error {
	sv.reportID = id
	rows, err := sv.tx.Query(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = $1
		UNION SELECT event_id FROM evidence WHERE report_id = $1 ORDER BY 1`, id)
	if err != nil {
		return err
	}
	affected, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if err := sv.exec(`DELETE FROM event_sources WHERE report_id = $1 OR report_id IN (SELECT id FROM reports WHERE copy_of = $1)`, id); err != nil {
		return err
	}
	if err := sv.exec(`DELETE FROM evidence WHERE report_id = $1`, id); err != nil {
		return err
	}
	for _, eid := range affected {
		var n int
		var lo, hi *int64
		if err := sv.tx.QueryRow(sv.ctx, `SELECT count(*),
			min(fatalities) FILTER (WHERE fatalities >= 0), max(fatalities) FILTER (WHERE fatalities >= 0)
			FROM event_sources WHERE event_id = $1`, eid).Scan(&n, &lo, &hi); err != nil {
			return err
		}
		if n == 0 {
			if err := sv.exec(`DELETE FROM events WHERE id = $1`, eid); err != nil {
				return err
			}
			continue
		}
		changes := map[string]string{"detached": oldDoc}
		if lo != nil {
			if err := sv.exec(`UPDATE events SET fatalities_low = $1, fatalities_high = $2, updated_at = $3 WHERE id = $4`,
				*lo, *hi, sv.now, eid); err != nil {
				return err
			}
			changes["fatalities_low"] = strconv.FormatInt(*lo, 10)
			changes["fatalities_high"] = strconv.FormatInt(*hi, 10)
		}
		if err := sv.reindex(eid); err != nil {
			return err
		}
		if err := sv.Revision(eid, "updated", changes); err != nil {
			return err
		}
	}
	err = sv.exec(`UPDATE reports SET doc = $1, url = $2, outlet = $3, title = $4, author = $5, lang = $6, format = $7,
		published = $8, date_source = $9, hash = $10, text = $11, ingested_at = $12, status = 'ok', error = '',
		signature = $13 WHERE id = $14`, append(sv.reportValues(), sv.signature, id)...)
	if err != nil {
		return fmt.Errorf("update report: %w", err)
	}
	return nil
}

// reindex rewrites the event's full-text vector from its notes and evidence.
func (sv *saver) reindex(id string) error {
	err := sv.exec(`UPDATE events e SET fts = sw_tsv(e.notes || ' ' ||
		coalesce((SELECT string_agg(text, ' ' ORDER BY id) FROM evidence WHERE event_id = e.id), ''))
		WHERE id = $1`, id)
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
	return sv.exec(`INSERT INTO revisions (event_id, at, doc, action, changes) VALUES ($1, $2, $3, $4, $5)`,
		id, sv.now, text(sv.r.Doc), action, string(b))
}

// SaveEvent stores incoming event i, merged or new, and reports whether it
// was merged.
func (sv *saver) SaveEvent(i int, e event.Event, m store.Merger) (bool, error) {
	e.Doc = sv.r.Doc
	if m != nil && !e.Date.IsZero() {
		w := sqlstore.Window(e, m)
		p := sqlstore.Params{Dollar: true}
		q := sqlstore.CandidateQuery(e, m, &p, text(string(e.Kind)), toDate(e.Date).AddDate(0, 0, -w), toDate(e.Date).AddDate(0, 0, w),
			func(t time.Time) any { return toDate(t) })
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
	id, err := sv.freeID(text(e.ID), i)
	if err != nil {
		return err
	}
	e.ID = id
	args := append(append([]any{id}, eventValues(&e)...), sv.now, sv.now)
	if err := sv.exec(`INSERT INTO events (id, `+eventWriteCols+`, created_at, updated_at)
		VALUES (`+placeholders(1, len(args))+`)`, args...); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if err := sv.attach(id, e); err != nil {
		return err
	}
	return sv.Revision(id, "created", nil)
}

// freeID returns want if no stored event has it, else an ID derived from
// the report hash and index i that no stored event has (the same IDs the
// SQLite store derives).
func (sv *saver) freeID(want string, i int) (string, error) {
	return sqlstore.FreeID(want, sv.hash, i, func(id string) (bool, error) {
		var taken bool
		err := sv.tx.QueryRow(sv.ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE id = $1)`, id).Scan(&taken)
		return taken, err
	})
}

// attach adds this report as a source of event id, with e's evidence.
func (sv *saver) attach(id string, e event.Event) error {
	var excerpt, pub string
	if len(e.Evidence) > 0 {
		excerpt = e.Evidence[0].Text
	}
	if !sv.r.Published.IsZero() {
		pub = sv.r.Published.Format("2006-01-02")
	}
	// Two incoming events of one report may land in one stored event; the
	// report is still one source.
	if err := sv.exec(`INSERT INTO event_sources (event_id, report_id, doc, url, outlet, published, excerpt, fatalities)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id, report_id) DO NOTHING`,
		id, sv.reportID, text(sv.r.Doc), text(sv.r.URL), text(sv.r.Outlet), pub, text(excerpt), e.Fatalities); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if len(e.Evidence) > 0 {
		docs := make([]string, len(e.Evidence))
		starts := make([]int32, len(e.Evidence))
		ends := make([]int32, len(e.Evidence))
		texts := make([]string, len(e.Evidence))
		for j, ev := range e.Evidence {
			docs[j], starts[j], ends[j], texts[j] = text(cmp.Or(ev.Doc, sv.r.Doc)), int32(ev.Start), int32(ev.End), text(ev.Text)
		}
		// One statement for all of an event's evidence; WITH ORDINALITY keeps
		// their order in the identity column.
		if err := sv.exec(`INSERT INTO evidence (event_id, report_id, doc, start_pos, end_pos, text)
			SELECT $1, $2, d, s, e, t FROM unnest($3::text[], $4::int4[], $5::int4[], $6::text[]) WITH ORDINALITY AS u(d, s, e, t, n)
			ORDER BY n`, id, sv.reportID, docs, starts, ends, texts); err != nil {
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
	args := append(append(eventValues(&merged), sv.now), stored.ID)
	if err := sv.exec(`UPDATE events SET (`+eventWriteCols+`, updated_at) =
		(`+placeholders(1, len(args)-1)+`) WHERE id = $`+strconv.Itoa(len(args)), args...); err != nil {
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
	// jsonb refuses \u0000 even escaped; text() has removed raw NULs from
	// the stored fields, but the snapshots carry the incoming values as given.
	return sv.exec(`INSERT INTO merges (event_id, report_id, doc, at, rules, before, incoming) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		stored.ID, sv.reportID, text(sv.r.Doc), sv.now, jsonText(rulesJSON), jsonText(before), jsonText(in))
}

// jsonText makes marshalled JSON acceptable to jsonb, which rejects the
// escaped NUL character (a literal backslash before "u0000" in a value
// becomes "\ufffd" too, which is still valid JSON).
func jsonText(b []byte) string {
	return strings.ReplaceAll(string(b), `\u0000`, `\ufffd`)
}

// RecordFailure notes that doc could not be ingested. It adds a row to the
// failure log and touches nothing else.
func (s *Store) RecordFailure(ctx context.Context, doc, url, reason string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO failures (doc, url, reason, at) VALUES ($1, $2, $3, $4)`,
		text(doc), text(url), text(reason), s.now())
	if err != nil {
		return fmt.Errorf("postgres: record failure %q: %w", doc, err)
	}
	return nil
}

// HasReport reports whether a report with this content hash is stored.
func (s *Store) HasReport(ctx context.Context, hash string) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reports WHERE hash = $1)`, text(hash)).Scan(&ok); err != nil {
		return false, fmt.Errorf("postgres: has report: %w", err)
	}
	return ok, nil
}

// placeholders returns $from, ..., $to.
func placeholders(from, to int) string {
	b := make([]byte, 0, 4*(to-from+1))
	for i := from; i <= to; i++ {
		if i > from {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(i), 10)
	}
	return string(b)
}
