package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// Unmerge undoes the merge of report doc into event id; see store.Store.
//
// It reads the merge record SaveReport wrote: the stored event as it was
// before (its fields come back) and the incoming event as extracted (it
// becomes a new event). doc's source and evidence rows, and those of its
// syndicated copies, move to the new event; the merge record is deleted
// and both events get an "unmerged" revision naming the other.
func (s *Store) Unmerge(ctx context.Context, id, doc string) (string, error) {
	var newID string
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var mergeID, reportID int64
		var before, incoming, hash string
		err := tx.QueryRowContext(ctx, `SELECT m.id, m.report_id, m.before, m.incoming, r.hash
			FROM merges m JOIN reports r ON r.id = m.report_id
			WHERE m.event_id = ? AND m.doc = ? ORDER BY m.id DESC LIMIT 1`, id, doc).
			Scan(&mergeID, &reportID, &before, &incoming, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no merge of %q into %q: %w", doc, id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		var later int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM merges WHERE event_id = ? AND id > ?`, id, mergeID).Scan(&later); err != nil {
			return err
		}
		if later > 0 {
			return fmt.Errorf("%d later merge(s) into %q: %w", later, id, store.ErrNotLatest)
		}
		old, in, err := sqlstore.DecodeMergeRecord(before, incoming)
		if err != nil {
			return err
		}
		sv := saver{ctx: ctx, tx: tx, r: &event.Report{Doc: doc}, hash: hash + "/unmerge/" + id, now: formatTime(s.now())}

		old.ID = id
		if _, err := sv.exec(`UPDATE events SET (`+eventWriteCols+`, updated_at) = (`+placeholders(eventWriteN+1)+`) WHERE id = ?`,
			append(append(eventValues(&old), sv.now), id)...); err != nil {
			return fmt.Errorf("restore: %w", err)
		}

		if newID, err = sv.freeID("", 0); err != nil {
			return err
		}
		in = sqlstore.SplitOff(in, newID, doc)
		if _, err := sv.exec(`INSERT INTO events (id, `+eventWriteCols+`, created_at, updated_at)
			VALUES (`+placeholders(1+eventWriteN+2)+`)`,
			append(append([]any{newID}, eventValues(&in)...), sv.now, sv.now)...); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if _, err := sv.exec(`UPDATE event_sources SET event_id = ? WHERE event_id = ?
			AND (report_id = ? OR report_id IN (SELECT id FROM reports WHERE copy_of = ?))`, newID, id, reportID, reportID); err != nil {
			return fmt.Errorf("sources: %w", err)
		}
		if _, err := sv.exec(`UPDATE evidence SET event_id = ? WHERE event_id = ? AND report_id = ?`, newID, id, reportID); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if _, err := sv.exec(`DELETE FROM merges WHERE id = ?`, mergeID); err != nil {
			return err
		}
		return sqlstore.FinishUnmerge(sv.reindex, sv.Revision, id, newID)
	})
	if err != nil {
		return "", fmt.Errorf("sqlite: unmerge %q from %q: %w", doc, id, err)
	}
	return newID, nil
}
