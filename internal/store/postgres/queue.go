package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// MaxAttempts is how many times a job is claimed before a retried failure
// becomes final.
const MaxAttempts = 3

// ErrNotClaimed is returned by Done and Fail when the job is no longer
// claimed by the worker: its lease ran out and another worker took it.
// The work done is not lost (SaveReport is idempotent); the other
// worker's outcome stands.
var ErrNotClaimed = errors.New("job not claimed by this worker")

// Enqueue adds reports to the job table in one transaction, skipping any
// whose content hash is already queued (whatever its state), and returns
// how many it added. Jobs are claimed in the order they were added.
func (s *Store) Enqueue(ctx context.Context, reports []event.Report) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		added = 0
		b := &pgx.Batch{}
		for i := range reports {
			r := &reports[i]
			b.Queue(`INSERT INTO jobs (hash, doc, url, outlet, title, author, lang, format, published, date_source, raw)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (hash) DO NOTHING`,
				jobHash(r), text(r.Doc), text(r.URL), text(r.Outlet), text(r.Title), text(r.Author), text(r.Lang),
				text(r.Format), published(r.Published), text(r.DateSource), r.Raw)
		}
		res := tx.SendBatch(ctx, b)
		for range reports {
			tag, err := res.Exec()
			if err != nil {
				res.Close()
				return err
			}
			added += int(tag.RowsAffected())
		}
		return res.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: enqueue: %w", err)
	}
	return added, nil
}

// jobHash is the content hash SaveReport will use, so a job and the report
// it becomes share it.
func jobHash(r *event.Report) string {
	if r.Hash != "" {
		return text(r.Hash)
	}
	sum := sha256.Sum256(r.Raw)
	return hex.EncodeToString(sum[:])
}

// Claim takes up to n jobs for worker, oldest first: waiting ones and
// running ones whose lease has run out. FOR UPDATE SKIP LOCKED lets any
// number of workers claim at once without waiting for each other or
// taking the same job; the lease (not a held transaction) marks the claim,
// so a worker that dies loses its jobs to the others after lease.
func (s *Store) Claim(ctx context.Context, worker string, n int, lease time.Duration) ([]store.Job, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `UPDATE jobs j SET state = 'running', attempts = j.attempts + 1,
			worker = $1, lease_until = now() + make_interval(secs => $2)
		FROM (SELECT id FROM jobs
			WHERE state = 'waiting' OR (state = 'running' AND lease_until < now())
			ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) c
		WHERE j.id = c.id
		RETURNING j.id, j.hash, j.doc, j.url, j.outlet, j.title, j.author, j.lang, j.format, j.published, j.date_source,
			coalesce(j.raw, ''::bytea), j.attempts`, text(worker), lease.Seconds(), n)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim: %w", err)
	}
	defer rows.Close()
	var jobs []store.Job
	for rows.Next() {
		var j store.Job
		var pub *time.Time
		r := &j.Report
		if err := rows.Scan(&j.ID, &r.Hash, &r.Doc, &r.URL, &r.Outlet, &r.Title, &r.Author, &r.Lang, &r.Format,
			&pub, &r.DateSource, &r.Raw, &j.Attempts); err != nil {
			return nil, fmt.Errorf("postgres: claim: %w", err)
		}
		if pub != nil {
			r.Published = *pub
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: claim: %w", err)
	}
	slices.SortFunc(jobs, func(a, b store.Job) int { return int(a.ID - b.ID) })
	return jobs, nil
}

// Done marks job id finished and drops its raw bytes, which the stored
// report has made redundant.
func (s *Store) Done(ctx context.Context, id int64, worker string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE jobs SET state = 'done', raw = NULL, lease_until = NULL, finished_at = now(), error = ''
		WHERE id = $1 AND worker = $2 AND state = 'running'`, id, text(worker))
	if err != nil {
		return fmt.Errorf("postgres: job %d done: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: job %d done: %w", id, ErrNotClaimed)
	}
	return nil
}

// Fail records why job id failed. With retry and fewer than MaxAttempts
// claims, it waits again; otherwise it is failed for good.
func (s *Store) Fail(ctx context.Context, id int64, worker, reason string, retry bool) error {
	tag, err := s.pool.Exec(ctx, `UPDATE jobs SET
			state = CASE WHEN $3 AND attempts < $4 THEN 'waiting' ELSE 'failed' END,
			finished_at = CASE WHEN $3 AND attempts < $4 THEN NULL ELSE now() END,
			lease_until = NULL, error = $5
		WHERE id = $1 AND worker = $2 AND state = 'running'`, id, text(worker), retry, MaxAttempts, text(reason))
	if err != nil {
		return fmt.Errorf("postgres: job %d failed: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: job %d failed: %w", id, ErrNotClaimed)
	}
	return nil
}

// Stats counts the jobs by state.
func (s *Store) Stats(ctx context.Context) (store.QueueStats, error) {
	var st store.QueueStats
	err := s.pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'running'),
			count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed')
		FROM jobs`).Scan(&st.Waiting, &st.Running, &st.Done, &st.Failed)
	if err != nil {
		return st, fmt.Errorf("postgres: queue stats: %w", err)
	}
	return st, nil
}

// Settled reports whether every job queued before id is done or failed.
func (s *Store) Settled(ctx context.Context, id int64) (bool, error) {
	var open bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM jobs WHERE id < $1 AND state IN ('waiting', 'running'))`,
		id).Scan(&open); err != nil {
		return false, fmt.Errorf("postgres: job %d settled: %w", id, err)
	}
	return !open, nil
}
