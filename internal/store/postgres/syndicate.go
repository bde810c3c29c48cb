package postgres

import (
	"strconv"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

// copyWindow is how far apart in publication date a copy and its original
// may be, as in the SQLite store.
const copyWindow = 14 * 24 * time.Hour

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
		q += ` AND (published IS NULL OR published BETWEEN $1 AND $2)`
		args = append(args, p.Add(-copyWindow), p.Add(copyWindow))
	}
	rows, err := sv.tx.Query(sv.ctx, q+` ORDER BY id`, args...)
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
// o's excerpt and figure. The copy's own extraction is not stored.
func (sv *saver) saveCopy(o original) error {
	rows, err := sv.tx.Query(sv.ctx, `SELECT event_id FROM event_sources WHERE report_id = $1 ORDER BY id`, o.id)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
	return sv.exec(`INSERT INTO event_sources (event_id, report_id, doc, url, outlet, published, excerpt, fatalities, copy_of)
		SELECT s.event_id, c.id, c.doc, c.url, c.outlet, coalesce(to_char(c.published AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''),
			s.excerpt, s.fatalities, $1
		FROM event_sources s JOIN reports c ON c.copy_of = s.report_id
		WHERE s.report_id = $2
		ON CONFLICT (event_id, report_id) DO NOTHING`, text(origDoc), origID)
}
