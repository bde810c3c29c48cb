package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// Page sizes for Events, as in the SQLite store.
const (
	DefaultLimit = sqlstore.DefaultLimit
	MaxLimit     = sqlstore.MaxLimit
)

// ErrBadFilter is wrapped by the errors Events and CountEvents return for
// a filter they cannot run: an unknown sort or a malformed cursor.
var ErrBadFilter = errors.New("bad filter")

// params collects query parameters and names them $1, $2, ...
type params []any

func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// where builds the WHERE clause for f (without the cursor). All user
// values travel as parameters.
func (s *Store) where(f store.Filter, p *params) []string {
	var conds []string
	if !f.From.IsZero() {
		conds = append(conds, `event_date >= `+p.add(toDate(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, `event_date <= `+p.add(toDate(f.To)))
	}
	// SQLite compares these case-insensitively (COLLATE NOCASE); so do we.
	if f.EventType != "" {
		conds = append(conds, `lower(event_type) = lower(`+p.add(text(f.EventType))+`)`)
	}
	if a := sqlstore.ActorQuery(f.Actor); a != "" {
		conds = append(conds, `strpos(actors_folded, `+p.add(text(a))+`) > 0`)
	}
	if f.Country != "" {
		conds = append(conds, `lower(country) = lower(`+p.add(text(f.Country))+`)`)
	}
	if f.Admin1 != "" {
		conds = append(conds, `lower(admin1) = lower(`+p.add(text(f.Admin1))+`)`)
	}
	if f.Kind != "" {
		conds = append(conds, `kind = `+p.add(text(string(f.Kind))))
	}
	if f.MinFatalities > 0 {
		conds = append(conds, `fatalities >= `+p.add(f.MinFatalities))
	}
	for _, w := range queryWords(f.Query) {
		conds = append(conds, `fts @@ sw_tsq(`+p.add(w)+`)`)
	}
	if b := f.BBox; b != nil {
		minLon, minLat, maxLon, maxLat := p.add(finite(b[0])), p.add(finite(b[1])), p.add(finite(b[2])), p.add(finite(b[3]))
		// Events without coordinates sit at 0,0 and are in no box. With
		// PostGIS the index finds the candidates; the plain comparisons keep
		// the result identical to SQLite's at the edges.
		c := `longitude BETWEEN ` + minLon + ` AND ` + maxLon + ` AND latitude BETWEEN ` + minLat + ` AND ` + maxLat +
			` AND NOT (latitude = 0 AND longitude = 0)`
		if s.geo {
			c = `geog::geometry && ST_MakeEnvelope(` + minLon + `, ` + minLat + `, ` + maxLon + `, ` + maxLat + `, 4326) AND ` + c
		}
		conds = append(conds, c)
	}
	return conds
}

var finite = sqlstore.Finite

// queryWords splits free user text into words (runs of letters and
// digits), accent-folded; every word must match.
func queryWords(s string) []string {
	words := strings.FieldsFunc(text(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for i, w := range words {
		words[i] = sqlstore.Fold(w)
	}
	return words
}

func joinWhere(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

type sortSpec struct {
	name    string
	order   string
	after   string // keyset condition on ($a, $b): rows strictly after (key, id)
	byFatal bool
}

var sorts = map[string]sortSpec{
	"date":       {"date", ` ORDER BY event_date DESC, id DESC`, `(event_date, id) < (%s::date, %s)`, false},
	"-date":      {"-date", ` ORDER BY event_date ASC, id ASC`, `(event_date, id) > (%s::date, %s)`, false},
	"fatalities": {"fatalities", ` ORDER BY fatalities DESC, id DESC`, `(fatalities, id) < (%s::integer, %s)`, true},
}

type cursor = sqlstore.Cursor

var encodeCursor = sqlstore.EncodeCursor

// decodeCursor also checks the date of a date cursor: PostgreSQL would
// reject a malformed one as a query error, not a bad filter.
func decodeCursor(s, sort string) (cursor, error) {
	c, err := sqlstore.DecodeCursor(s, sort, ErrBadFilter)
	if err != nil {
		return c, err
	}
	if !sorts[sort].byFatal {
		if _, err := time.Parse("2006-01-02", c.Date); err != nil {
			return c, fmt.Errorf("%w: malformed cursor", ErrBadFilter)
		}
	}
	return c, nil
}

// Events lists the events matching f, one page at a time, with sources
// and evidence. Limit defaults to DefaultLimit and is capped at MaxLimit.
// Errors wrap ErrBadFilter for an unknown sort or a malformed cursor.
func (s *Store) Events(ctx context.Context, f store.Filter) ([]event.Event, string, error) {
	sortName := f.Sort
	if sortName == "" {
		sortName = "date"
	}
	spec, ok := sorts[sortName]
	if !ok {
		return nil, "", fmt.Errorf("postgres: events: %w: unknown sort %q", ErrBadFilter, f.Sort)
	}
	limit := sqlstore.Limit(f.Limit)
	var p params
	conds := s.where(f, &p)
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, spec.name)
		if err != nil {
			return nil, "", fmt.Errorf("postgres: events: %w", err)
		}
		var key any = c.Date
		if spec.byFatal {
			key = c.Fatal
		}
		conds = append(conds, fmt.Sprintf(spec.after, p.add(key), p.add(text(c.ID))))
	}
	q := `SELECT ` + eventCols + ` FROM events` + joinWhere(conds) + spec.order + ` LIMIT ` + p.add(limit+1)

	// One repeatable-read transaction, so the events and their sources come
	// from the same snapshot.
	var evs []event.Event
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		evs, err = queryEvents(ctx, tx, q, p...)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("postgres: events: %w", err)
	}
	evs, next := sqlstore.Page(evs, limit, spec.name, func(e event.Event) string { return dateString(e.Date) })
	return evs, next, nil
}

// CountEvents counts the events matching f, at most f.CountMax of them
// when that is positive; Sort, Limit and Cursor are ignored.
func (s *Store) CountEvents(ctx context.Context, f store.Filter) (int, error) {
	var p params
	conds := s.where(f, &p)
	q := `SELECT count(*) FROM events` + joinWhere(conds)
	if f.CountMax > 0 {
		q = `SELECT count(*) FROM (SELECT 1 FROM events` + joinWhere(conds) + ` LIMIT ` + p.add(f.CountMax) + `) AS capped`
	}
	var n int
	if err := s.pool.QueryRow(ctx, q, p...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count events: %w", err)
	}
	return n, nil
}

// Event returns one event with its sources, evidence and revisions, oldest
// revision first. The error wraps store.ErrNotFound when there is no such event.
func (s *Store) Event(ctx context.Context, id string) (store.EventDetail, error) {
	var d store.EventDetail
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		evs, err := queryEvents(ctx, tx, `SELECT `+eventCols+` FROM events WHERE id = $1`, text(id))
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return store.ErrNotFound
		}
		d = store.EventDetail{Event: evs[0], Revisions: []store.Revision{}}
		rows, err := tx.Query(ctx, `SELECT at, doc, action, changes::text FROM revisions WHERE event_id = $1 ORDER BY id`, text(id))
		if err != nil {
			return fmt.Errorf("revisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var rev store.Revision
			var changes string
			if err := rows.Scan(&rev.At, &rev.Doc, &rev.Action, &changes); err != nil {
				return fmt.Errorf("revisions: %w", err)
			}
			if changes != "" && changes != "{}" {
				if err := json.Unmarshal([]byte(changes), &rev.Changes); err != nil {
					return fmt.Errorf("revision changes: %w", err)
				}
			}
			d.Revisions = append(d.Revisions, rev)
		}
		return rows.Err()
	})
	if err != nil {
		return store.EventDetail{}, fmt.Errorf("postgres: event %q: %w", id, err)
	}
	return d, nil
}

// Reports lists stored reports and recorded failures, newest first, at
// most limit of them (DefaultLimit when limit <= 0, capped at MaxLimit).
// Failures have Status "failed", the reason in Error and no events; their
// IDs number the failure log, not the reports.
func (s *Store) Reports(ctx context.Context, limit int) ([]store.ReportInfo, error) {
	limit = sqlstore.Limit(limit)
	out := []store.ReportInfo{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT id, doc, url, title, lang, published, ingested_at, status, error, false AS failed FROM reports
			UNION ALL
			SELECT id, doc, url, '', '', NULL, at, 'failed', reason, true FROM failures
			ORDER BY 7 DESC, 10 ASC, 1 DESC
			LIMIT $1`, limit)
		if err != nil {
			return err
		}
		var ids []int64
		byID := map[int64]int{}
		for rows.Next() {
			var ri store.ReportInfo
			var pub *time.Time
			var failed bool
			if err := rows.Scan(&ri.ID, &ri.Doc, &ri.URL, &ri.Title, &ri.Lang, &pub, &ri.Ingested, &ri.Status, &ri.Error, &failed); err != nil {
				rows.Close()
				return err
			}
			if pub != nil {
				ri.Published = pub.UTC().Format("2006-01-02")
			}
			ri.EventIDs = []string{}
			if !failed {
				byID[ri.ID] = len(out)
				ids = append(ids, ri.ID)
			}
			out = append(out, ri)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err = tx.Query(ctx, `SELECT report_id, event_id FROM event_sources WHERE report_id = ANY($1) ORDER BY id`, ids)
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			var eid string
			if err := rows.Scan(&rid, &eid); err != nil {
				return fmt.Errorf("events: %w", err)
			}
			if i, ok := byID[rid]; ok {
				out[i].EventIDs = append(out[i].EventIDs, eid)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reports: %w", err)
	}
	return out, nil
}

// Report returns the stored report named doc with its cleaned text (Raw is
// not kept). The error wraps store.ErrNotFound when there is none.
func (s *Store) Report(ctx context.Context, doc string) (event.Report, error) {
	var r event.Report
	var pub *time.Time
	err := s.pool.QueryRow(ctx, `SELECT doc, url, outlet, title, author, lang, format, published, date_source, hash, text
		FROM reports WHERE doc = $1 ORDER BY id DESC LIMIT 1`, text(doc)).
		Scan(&r.Doc, &r.URL, &r.Outlet, &r.Title, &r.Author, &r.Lang, &r.Format, &pub, &r.DateSource, &r.Hash, &r.Text)
	if isNoRows(err) {
		return event.Report{}, fmt.Errorf("postgres: report %q: %w", doc, store.ErrNotFound)
	}
	if err != nil {
		return event.Report{}, fmt.Errorf("postgres: report %q: %w", doc, err)
	}
	if pub != nil {
		r.Published = *pub
	}
	return r, nil
}
