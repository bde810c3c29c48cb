package sqlite

import (
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// copyWindow is how far apart in publication date a copy and its original
// may be (see sqlstore.CopyWindow).
const copyWindow = sqlstore.CopyWindow

type original = sqlstore.Original

// FindOriginal returns the stored independent report that r reprints, by
// m's signatures, or the zero original. Reports with no publication date
// are compared with everything.
func (sv *saver) FindOriginal(m store.Merger) (original, error) {
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
	o, err := sqlstore.MatchOriginal(rows, sv.signature, syn)
	sv.copyOf = o.ID
	return o, err
}

// AttachCopies gives every copy of report origID a source row on each
// event origID is a source of, where it has none yet.
func (sv *saver) AttachCopies(origID int64, origDoc string) error {
	_, err := sv.exec(`INSERT INTO event_sources(event_id, report_id, doc, url, outlet, published, excerpt, fatalities, copy_of)
		SELECT s.event_id, c.id, c.doc, c.url, c.outlet, substr(c.published, 1, 10), s.excerpt, s.fatalities, ?
		FROM event_sources s JOIN reports c ON c.copy_of = s.report_id AND c.copy_of <> 0 -- lets SQLite use the partial index reports_copy_of instead of scanning every report
		WHERE s.report_id = ?
		ON CONFLICT(event_id, report_id) DO NOTHING`, origDoc, origID)
	return err
}

// EventsOfReport lists the events report id is a direct source of.
func (sv *saver) EventsOfReport(id int64) ([]string, error) {
	rows, err := sv.tx.QueryContext(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlstore.ScanColumn[string](rows)
}
