package postgres

import (
	"strconv"

	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// copyWindow is how far apart in publication date a copy and its original
// may be, as in the SQLite store (see sqlstore.CopyWindow).
const copyWindow = sqlstore.CopyWindow

// lockSyndication is the lock space of publication-week buckets; lockAnyDate
// is taken shared by every dated report and exclusively by undated ones,
// which are compared with every report.
const lockSyndication = 4

var lockAnyDate = lockKey(lockReport, "syndication/undated")

// syndicationKeys adds the locks that keep two copies of one story, saved
// at once, from both being taken for originals: the publication-week
// buckets within copyWindow, exclusively.
func (sv *saver) syndicationKeys(keys []int32) (excl, shared []int32) {
	if sv.signature == nil {
		return keys, nil
	}
	p := sv.r.Published
	if p.IsZero() {
		return append(keys, lockAnyDate), nil
	}
	from := p.Add(-copyWindow).Unix() / (86400 * 7)
	to := p.Add(copyWindow).Unix() / (86400 * 7)
	for b := from; b <= to; b++ {
		keys = append(keys, lockKey(lockSyndication, strconv.FormatInt(b, 10)))
	}
	return keys, []int32{lockAnyDate}
}

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
		q += ` AND (published IS NULL OR published BETWEEN $1 AND $2)`
		args = append(args, p.Add(-copyWindow), p.Add(copyWindow))
	}
	rows, err := sv.tx.Query(sv.ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return original{}, err
	}
	defer rows.Close()
	o, err := sqlstore.MatchOriginal(rows, sv.signature, syn)
	sv.copyOf = o.ID
	return o, err
}

// EventsOfReport lists the events report id is a direct source of.
func (sv *saver) EventsOfReport(id int64) ([]string, error) {
	rows, err := sv.tx.Query(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlstore.ScanColumn[string](rows)
}

// AttachCopies gives every copy of report origID a source row on each
// event origID is a source of, where it has none yet.
func (sv *saver) AttachCopies(origID int64, origDoc string) error {
	return sv.exec(`INSERT INTO event_sources (event_id, report_id, doc, url, outlet, published, excerpt, fatalities, copy_of)
		SELECT s.event_id, c.id, c.doc, c.url, c.outlet, coalesce(to_char(c.published AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''),
			s.excerpt, s.fatalities, $1
		FROM event_sources s JOIN reports c ON c.copy_of = s.report_id
		WHERE s.report_id = $2
		ON CONFLICT (event_id, report_id) DO NOTHING`, text(origDoc), origID)
}
