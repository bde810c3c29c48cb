package sqlite

import (
	"database/sql"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

// copyWindow is how far apart in publication date a copy and its original
// may be: wire stories are reprinted within days, and bounding the scan
// keeps it to a few weeks' reports however large the store grows.
const copyWindow = 14 * 24 * time.Hour

type original struct {
	id  int64
	doc string
}

// findOriginal returns the stored independent report that r reprints, by
// m's signatures, or the zero original. Reports with no publication date
// are compared with everything.
func (sv *saver) findOriginal(m store.Merger) (original, error) {
	syn, ok := m.(store.Syndicator)
	if !ok || sv.signature == nil {
		return original{}, nil
	}
	q := `SELECT id, doc, signature FROM reports WHERE copy_of = 0 AND signature IS NOT NULL`
	var args []any
	if p := sv.r.Published; !p.IsZero() {
		q += ` AND (published = '' OR published BETWEEN ? AND ?)`
		args = append(args, formatTime(p.Add(-copyWindow)), formatTime(p.Add(copyWindow)))
	}
	rows, err := sv.tx.QueryContext(sv.ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return original{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var o original
		var sig []byte
		if err := rows.Scan(&o.id, &o.doc, &sig); err != nil {
			return original{}, err
		}
		if syn.SameStory(sv.signature, sig) {
			sv.copyOf = o.id
			return o, nil
		}
	}
	return original{}, rows.Err()
}

// saveCopy records the report just inserted as a syndicated copy of o:
// each of o's events gains a source row for the copy, marked copy_of, with
// o's excerpt and figure, so the event lists the copy's URL without
// counting it as another witness. The copy's own extraction is not stored.
func (sv *saver) saveCopy(o original) error {
	ids, err := sv.eventsOfReport(o.id)
	if err != nil {
		return err
	}
	if err := sv.attachCopies(o.id, o.doc); err != nil {
		return err
	}
	for _, id := range ids {
		if err := sv.revision(id, "syndicated", map[string]string{"copy": sv.r.Doc, "url": sv.r.URL, "copy_of": o.doc}); err != nil {
			return err
		}
	}
	return nil
}

// attachCopies gives every copy of report origID a source row on each
// event origID is a source of, where it has none yet.
func (sv *saver) attachCopies(origID int64, origDoc string) error {
	_, err := sv.exec(`INSERT INTO event_sources(event_id, report_id, doc, url, outlet, published, excerpt, fatalities, copy_of)
		SELECT s.event_id, c.id, c.doc, c.url, c.outlet, substr(c.published, 1, 10), s.excerpt, s.fatalities, ?
		FROM event_sources s JOIN reports c ON c.copy_of = s.report_id AND c.copy_of <> 0 -- lets SQLite use the partial index reports_copy_of instead of scanning every report
		WHERE s.report_id = ?
		ON CONFLICT(event_id, report_id) DO NOTHING`, origDoc, origID)
	return err
}

// eventsOfReport lists the events report id is a direct source of.
func (sv *saver) eventsOfReport(id int64) ([]string, error) {
	return eventIDs(sv.tx, sv, `SELECT event_id FROM event_sources WHERE report_id = ? ORDER BY id`, id)
}

func eventIDs(tx *sql.Tx, sv *saver, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(sv.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
