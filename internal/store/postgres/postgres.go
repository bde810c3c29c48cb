package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

var (
	_ store.Store    = (*Store)(nil)
	_ store.Queue    = (*Store)(nil)
	_ store.Migrator = (*Store)(nil)
)

// maxAttempts bounds the retries of a transaction that lost a race.
const maxAttempts = 6

// Store is a store.Store and store.Queue in a PostgreSQL database. It is
// safe for concurrent use, from any number of processes.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	geo  bool // the events table has the PostGIS geography column

	closeOnce sync.Once
}

// IsURL reports whether db names a PostgreSQL database rather than a file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open connects to the database named by the URL dsn (postgres://...),
// applies any missing migrations and returns the store. Parameters the
// driver does not know, such as search_path, are sent to the server as
// session settings, so one database can hold several sahelwatch schemas.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	s := &Store{pool: pool, now: time.Now}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute
		WHERE attrelid = 'events'::regclass AND attname = 'geog' AND NOT attisdropped)`).Scan(&s.geo); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return s, nil
}

// Spatial reports whether bounding boxes use PostGIS.
func (s *Store) Spatial() bool { return s.geo }

// Close releases the connections. Later calls do nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

// inTx runs fn in a READ COMMITTED transaction, committing if it returns
// nil, and runs it again when it lost a race another transaction won.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		if err == nil || attempt >= maxAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

// retryable reports whether err is a conflict with a concurrent
// transaction that a fresh attempt, seeing its committed rows, resolves.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", // serialization_failure
		"40P01", // deadlock_detected
		"23505", // unique_violation: an event ID taken by a concurrent saver
		"23503": // foreign_key_violation: an event deleted by a concurrent new version
		return true
	}
	return false
}

// text makes s storable in a PostgreSQL text value, which cannot hold NUL
// or invalid UTF-8: each such byte becomes '?', so byte offsets into the
// text stay valid.
func text(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && n == 1) {
			b.WriteByte('?')
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
