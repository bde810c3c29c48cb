package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// Page sizes for Events, the same in every SQL store.
const (
	DefaultLimit = sqlstore.DefaultLimit
	MaxLimit     = sqlstore.MaxLimit
)

// ErrBadFilter is wrapped by the errors Events and CountEvents return for
// a filter they cannot run: an unknown sort or a malformed cursor.
var ErrBadFilter = errors.New("bad filter")

// where builds the WHERE clause for f (without the cursor), with its
// parameters. All user values travel as parameters.
//
// For a page (ordered, limited), the full-text and box conditions are
// written so that SQLite cannot drive the query from them ("+col" uses no
// index): it then walks an index in the page's order, tests them on index
// entries and stops at the page's end. Left to itself it preferred to
// collect every match (tens of thousands for a common word or a wide box)
// and sort them, which made those pages 10 to 50 times slower at 100,000
// events. Without a page order (a count, the probe of pageSeqs) SQLite
// chooses freely, except that a text query drives (see matchFrom).
func where(f store.Filter, page bool) (string, []any) {
	plus := ""
	if page {
		plus = "+"
	}
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if !f.From.IsZero() {
		add(`event_date >= ?`, formatDate(f.From))
	}
	if !f.To.IsZero() {
		add(`event_date <= ?`, formatDate(f.To))
	}
	if f.EventType != "" {
		add(`event_type = ?`, f.EventType)
	}
	if a := sqlstore.ActorQuery(f.Actor); a != "" {
		add(`instr(actors_folded, ?) > 0`, a)
	}
	if f.Country != "" {
		add(`country = ?`, f.Country)
	}
	if f.Admin1 != "" {
		add(`admin1 = ?`, f.Admin1)
	}
	if f.Kind != "" {
		add(`kind = ?`, string(f.Kind))
	}
	if f.MinFatalities > 0 {
		add(`fatalities >= ?`, f.MinFatalities)
	}
	if q := ftsQuery(f.Query); q != "" {
		if page {
			add(`+seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)`, q)
		} else {
			// Read without a page order (a count, a probe), the text
			// query drives: its matches are joined to events by rowid
			// (see matchFrom) instead of being copied into a temporary
			// table first, which cost a third of a common word's request.
			add(`events_fts MATCH ?`, q)
		}
	}
	if b := f.BBox; b != nil {
		// Events without coordinates sit at 0,0 and are in no box.
		add(plus+`longitude BETWEEN ? AND ? AND `+plus+`latitude BETWEEN ? AND ? AND NOT (latitude = 0 AND longitude = 0)`,
			finite(b[0]), finite(b[2]), finite(b[1]), finite(b[3]))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var finite = sqlstore.Finite

// matchFrom is the FROM clause that goes with where(f, false): a text
// query drives the scan from the full-text index.
func matchFrom(f store.Filter) string {
	if ftsQuery(f.Query) != "" {
		return ` FROM events_fts JOIN events ON events.seq = events_fts.rowid`
	}
	return ` FROM events`
}

// ftsQuery turns free user text into an FTS5 query that cannot be a
// syntax error: every run of letters and digits becomes a quoted string,
// and the strings are ANDed. It returns "" when the text has no words,
// which filters nothing.
func ftsQuery(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for i, w := range words {
		// FieldsFunc leaves no quotes in a word, so plain quoting is safe.
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ")
}

// sortSpec is one supported order and how to resume after a row.
type sortSpec struct {
	name    string
	order   string
	after   string // keyset condition: rows strictly after (key, id)
	byFatal bool   // the key is fatalities, not the date
}

var sorts = map[string]sortSpec{
	"date":       {"date", ` ORDER BY event_date DESC, id DESC`, `(event_date, id) < (?, ?)`, false},
	"-date":      {"-date", ` ORDER BY event_date ASC, id ASC`, `(event_date, id) > (?, ?)`, false},
	"fatalities": {"fatalities", ` ORDER BY fatalities DESC, id DESC`, `(fatalities, id) < (?, ?)`, true},
}

type cursor = sqlstore.Cursor

var encodeCursor = sqlstore.EncodeCursor

func decodeCursor(s, sort string) (cursor, error) {
	return sqlstore.DecodeCursor(s, sort, ErrBadFilter)
}

// Events lists the events matching f, one page at a time, with sources
// and evidence. Limit defaults to DefaultLimit and is capped at MaxLimit.
// Errors wrap ErrBadFilter for an unknown sort or a malformed cursor.
func (s *Store) Events(ctx context.Context, f store.Filter) ([]event.Event, string, error) {
	evs, next, _, err := s.events(ctx, f, false)
	return evs, next, err
}

var _ store.PageCounter = (*Store)(nil)

// EventsCounted is Events and CountEvents in one read transaction; a
// selective filter is counted while its page is chosen.
func (s *Store) EventsCounted(ctx context.Context, f store.Filter) ([]event.Event, string, int, error) {
	return s.events(ctx, f, true)
}

func (s *Store) events(ctx context.Context, f store.Filter, count bool) ([]event.Event, string, int, error) {
	sortName := f.Sort
	if sortName == "" {
		sortName = "date"
	}
	spec, ok := sorts[sortName]
	if !ok {
		return nil, "", 0, fmt.Errorf("sqlite: events: %w: unknown sort %q", ErrBadFilter, f.Sort)
	}
	limit := sqlstore.Limit(f.Limit)

	var after string
	var afterArgs []any
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, spec.name)
		if err != nil {
			return nil, "", 0, fmt.Errorf("sqlite: events: %w", err)
		}
		after = spec.after
		if spec.byFatal {
			afterArgs = []any{c.Fatal, c.ID}
		} else {
			afterArgs = []any{c.Date, c.ID}
		}
	}

	// One read transaction, so the events and their sources come from the
	// same snapshot.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", 0, fmt.Errorf("sqlite: events: %w", err)
	}
	defer tx.Rollback()
	seqs, matches, exact, err := s.pageSeqs(ctx, tx, f, spec, after, afterArgs, limit)
	if err != nil {
		return nil, "", 0, fmt.Errorf("sqlite: events: %w", err)
	}
	// Only the page's rows are read whole, in the page's order.
	seqJSON, _ := json.Marshal(seqs)
	evs, err := queryEvents(ctx, tx, `SELECT `+eventCols+` FROM events WHERE seq IN (SELECT value FROM json_each(?))`+spec.order, string(seqJSON))
	if err != nil {
		return nil, "", 0, fmt.Errorf("sqlite: events: %w", err)
	}
	evs, next := sqlstore.Page(evs, limit, spec.name, func(e event.Event) string { return formatDate(e.Date) })
	if !count {
		return evs, next, 0, nil
	}
	switch {
	case exact && f.CountMax > 0:
		matches = min(matches, f.CountMax)
	case exact:
	case f.CountMax > 0 && matches >= f.CountMax:
		// The probe already saw more matches than the count may report.
		matches = f.CountMax
	default:
		if matches, err = countEvents(ctx, tx, f); err != nil {
			return nil, "", 0, fmt.Errorf("sqlite: events: %w", err)
		}
	}
	return evs, next, matches, nil
}

// probeMax is how many matches a filter may have and still be called
// selective (see pageSeqs).
const probeMax = 2000

// pageSeqs chooses the rows of one page (limit+1 of them, to tell whether
// another page follows) and returns their seq numbers in page order.
//
// There are two ways to find a page, and each is fast exactly where the
// other is slow. A selective filter (a small box, a rare word, a type in
// a short date range) is best run from its own index, collecting every
// match and sorting them. A wide filter (a common word, a large box) is
// best run by walking the page's order index and testing each entry, which
// stops after the page is full: with one match in 20 rows, a page of 100
// reads about 2,000 rows. Walking for a rare filter reads the whole table;
// collecting for a wide one sorts tens of thousands of rows. So the filter
// is first probed from its own index for at most probeMax+1 matches: when
// it has no more, they are sorted here; otherwise the index is walked.
//
// It also returns how many matches the probe saw (all of them when exact),
// for the count; without a filter there is no probe and no count.
func (s *Store) pageSeqs(ctx context.Context, tx *sql.Tx, f store.Filter, spec sortSpec, after string, afterArgs []any, limit int) (seqs []int64, matches int, exact bool, err error) {
	cond, args := where(f, false)
	if cond != "" {
		all, err := querySeqs(ctx, tx, `SELECT events.seq`+matchFrom(f)+cond+` LIMIT ?`, append(args, s.probe+1)...)
		if err != nil {
			return nil, 0, false, err
		}
		matches = len(all)
		if len(all) <= s.probe {
			if len(all) == 0 {
				return nil, 0, true, nil
			}
			allJSON, _ := json.Marshal(all)
			q := `SELECT seq FROM events WHERE seq IN (SELECT value FROM json_each(?))`
			a := []any{string(allJSON)}
			if after != "" {
				q += ` AND ` + after
				a = append(a, afterArgs...)
			}
			seqs, err := querySeqs(ctx, tx, q+spec.order+` LIMIT ?`, append(a, limit+1)...)
			return seqs, matches, true, err
		}
	}
	cond, args = where(f, true)
	if after != "" {
		if cond == "" {
			cond = " WHERE "
		} else {
			cond += " AND "
		}
		cond += after
		args = append(args, afterArgs...)
	}
	seqs, err = querySeqs(ctx, tx, `SELECT seq FROM events`+cond+spec.order+` LIMIT ?`, append(args, limit+1)...)
	return seqs, matches, false, err
}

func querySeqs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlstore.ScanColumn[int64](rows)
}

// CountEvents counts the events matching f, at most f.CountMax of them
// when that is positive; Sort, Limit and Cursor are ignored.
func (s *Store) CountEvents(ctx context.Context, f store.Filter) (int, error) {
	n, err := countEvents(ctx, s.r, f)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count events: %w", err)
	}
	return n, nil
}

func countEvents(ctx context.Context, q queryer, f store.Filter) (int, error) {
	cond, args := where(f, false)
	query := `SELECT count(*)` + matchFrom(f) + cond
	if f.CountMax > 0 {
		query = `SELECT count(*) FROM (SELECT 1` + matchFrom(f) + cond + ` LIMIT ?)`
		args = append(args, f.CountMax)
	}
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// Event returns one event with its sources, evidence and revisions, oldest
// revision first. The error wraps store.ErrNotFound when there is no such event.
func (s *Store) Event(ctx context.Context, id string) (store.EventDetail, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.EventDetail{}, fmt.Errorf("sqlite: event %q: %w", id, err)
	}
	defer tx.Rollback()
	evs, err := queryEvents(ctx, tx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id)
	if err != nil {
		return store.EventDetail{}, fmt.Errorf("sqlite: event %q: %w", id, err)
	}
	if len(evs) == 0 {
		return store.EventDetail{}, fmt.Errorf("sqlite: event %q: %w", id, store.ErrNotFound)
	}
	d := store.EventDetail{Event: evs[0], Revisions: []store.Revision{}}
	rows, err := tx.QueryContext(ctx, `SELECT at, doc, action, changes FROM revisions WHERE event_id = ? ORDER BY id`, id)
	if err != nil {
		return store.EventDetail{}, fmt.Errorf("sqlite: event %q: revisions: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var rev store.Revision
		var at, changes string
		if err := rows.Scan(&at, &rev.Doc, &rev.Action, &changes); err != nil {
			return store.EventDetail{}, fmt.Errorf("sqlite: event %q: revisions: %w", id, err)
		}
		rev.At = parseTime(at)
		if changes != "" && changes != "{}" {
			if err := json.Unmarshal([]byte(changes), &rev.Changes); err != nil {
				return store.EventDetail{}, fmt.Errorf("sqlite: event %q: revision changes: %w", id, err)
			}
		}
		d.Revisions = append(d.Revisions, rev)
	}
	if err := rows.Err(); err != nil {
		return store.EventDetail{}, fmt.Errorf("sqlite: event %q: revisions: %w", id, err)
	}
	return d, nil
}

// Reports lists stored reports and recorded failures, newest first, at
// most limit of them (DefaultLimit when limit <= 0, capped at MaxLimit).
// Failures have Status "failed", the reason in Error and no events; their
// IDs number the failure log, not the reports.
func (s *Store) Reports(ctx context.Context, limit int) ([]store.ReportInfo, error) {
	limit = sqlstore.Limit(limit)
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT id, doc, url, title, lang, published, ingested_at, status, error, 0 AS failed FROM reports
		UNION ALL
		SELECT id, doc, url, '', '', '', at, 'failed', reason, 1 FROM failures
		ORDER BY 7 DESC, 10 ASC, 1 DESC
		LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports: %w", err)
	}
	defer rows.Close()
	out := []store.ReportInfo{}
	var ids []int64
	byID := map[int64]int{}
	for rows.Next() {
		var ri store.ReportInfo
		var published, ingested string
		var failed bool
		if err := rows.Scan(&ri.ID, &ri.Doc, &ri.URL, &ri.Title, &ri.Lang, &published, &ingested, &ri.Status, &ri.Error, &failed); err != nil {
			return nil, fmt.Errorf("sqlite: reports: %w", err)
		}
		if t := parseTime(published); !t.IsZero() {
			ri.Published = t.Format(dateFormat)
		}
		ri.Ingested = parseTime(ingested)
		ri.EventIDs = []string{}
		if !failed {
			byID[ri.ID] = len(out)
			ids = append(ids, ri.ID)
		}
		out = append(out, ri)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reports: %w", err)
	}
	rows.Close()
	if len(ids) == 0 {
		return out, nil
	}
	idsJSON, _ := json.Marshal(ids)
	rows, err = tx.QueryContext(ctx, `SELECT report_id, event_id FROM event_sources
		WHERE report_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(idsJSON))
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports: events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var eid string
		if err := rows.Scan(&rid, &eid); err != nil {
			return nil, fmt.Errorf("sqlite: reports: events: %w", err)
		}
		if i, ok := byID[rid]; ok {
			out[i].EventIDs = append(out[i].EventIDs, eid)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reports: events: %w", err)
	}
	return out, nil
}

// Report returns the stored report named doc with its cleaned text (Raw is
// not kept). The error wraps store.ErrNotFound when there is none.
func (s *Store) Report(ctx context.Context, doc string) (event.Report, error) {
	var r event.Report
	var published string
	err := s.r.QueryRowContext(ctx, `SELECT doc, url, outlet, title, author, lang, format, published, date_source, hash, text
		FROM reports WHERE doc = ? ORDER BY id DESC LIMIT 1`, doc).
		Scan(&r.Doc, &r.URL, &r.Outlet, &r.Title, &r.Author, &r.Lang, &r.Format, &published, &r.DateSource, &r.Hash, &r.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return event.Report{}, fmt.Errorf("sqlite: report %q: %w", doc, store.ErrNotFound)
	}
	if err != nil {
		return event.Report{}, fmt.Errorf("sqlite: report %q: %w", doc, err)
	}
	r.Published = parseTime(published)
	return r, nil
}
