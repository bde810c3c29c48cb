package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// Unmerge undoes the merge of report doc into event id; see store.Store
// and the SQLite store, whose semantics it follows: the event takes back
// its fields from the merge record, the incoming event becomes an event of
// its own with doc's sources (and its copies') and evidence.
func (s *Store) Unmerge(ctx context.Context, id, doc string) (string, error) {
	var newID string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var mergeID, reportID int64
		var before, incoming, hash string
		err := tx.QueryRow(ctx, `SELECT m.id, m.report_id, m.before::text, m.incoming::text, r.hash
			FROM merges m JOIN reports r ON r.id = m.report_id
			WHERE m.event_id = $1 AND m.doc = $2 ORDER BY m.id DESC LIMIT 1`, text(id), text(doc)).
			Scan(&mergeID, &reportID, &before, &incoming, &hash)
		if isNoRows(err) {
			return fmt.Errorf("no merge of %q into %q: %w", doc, id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		old, in, err := sqlstore.DecodeMergeRecord(before, incoming)
		if err != nil {
			return err
		}
		// The event's buckets: no saver merges into it while it changes.
		keys := bucketKeys(bucketKeys(nil, old, 0), in, 0)
		if err := lockAll(ctx, tx, keys, nil); err != nil {
			return err
		}
		var later int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM merges WHERE event_id = $1 AND id > $2`, text(id), mergeID).Scan(&later); err != nil {
			return err
		}
		if later > 0 {
			return fmt.Errorf("%d later merge(s) into %q: %w", later, id, store.ErrNotLatest)
		}
		sv := saver{ctx: ctx, tx: tx, r: &event.Report{Doc: doc}, hash: hash + "/unmerge/" + id, now: s.now()}
		old.ID = id
		args := append(append(eventValues(&old), sv.now), text(id))
		if err := sv.exec(`UPDATE events SET (`+eventWriteCols+`, updated_at) = (`+placeholders(1, len(args)-1)+`)
			WHERE id = $`+fmt.Sprint(len(args)), args...); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if newID, err = sv.freeID("", 0); err != nil {
			return err
		}
		in = sqlstore.SplitOff(in, newID, doc)
		ins := append(append([]any{newID}, eventValues(&in)...), sv.now, sv.now)
		if err := sv.exec(`INSERT INTO events (id, `+eventWriteCols+`, created_at, updated_at)
			VALUES (`+placeholders(1, len(ins))+`)`, ins...); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if err := sv.exec(`UPDATE event_sources SET event_id = $1 WHERE event_id = $2
			AND (report_id = $3 OR report_id IN (SELECT id FROM reports WHERE copy_of = $3))`, newID, text(id), reportID); err != nil {
			return fmt.Errorf("sources: %w", err)
		}
		if err := sv.exec(`UPDATE evidence SET event_id = $1 WHERE event_id = $2 AND report_id = $3`, newID, text(id), reportID); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if err := sv.exec(`DELETE FROM merges WHERE id = $1`, mergeID); err != nil {
			return err
		}
		return sqlstore.FinishUnmerge(sv.reindex, sv.Revision, id, newID)
	})
	if err != nil {
		return "", fmt.Errorf("postgres: unmerge %q from %q: %w", doc, id, err)
	}
	return newID, nil
}
