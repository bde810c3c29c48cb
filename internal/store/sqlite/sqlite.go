package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

var _ store.Store = (*Store)(nil)

// busyTimeout is how long a connection waits for another process's lock.
// Writers inside this process never wait on each other through SQLite:
// they queue for the single write connection instead.
const busyTimeout = 10 * time.Second

// Store is a store.Store kept in one SQLite file. It is safe for
// concurrent use.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: all writes, serialised
	r    *sql.DB // a pool for reads, which WAL lets run beside the writer
	now  func() time.Time
	// probe is how many matches a filter may have and still be sorted
	// rather than walked for a page (probeMax; tests vary it).
	probe int

	closeOnce sync.Once
	closeErr  error
}

// Open opens or creates the database at path, applies any missing
// migrations and returns the store. The path must name a file: an in-memory
// database cannot be shared between the read and write connections.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlite: open %q: need a plain file path", path)
	}
	if strings.ContainsRune(path, '?') {
		// The driver reads everything after '?' as connection parameters.
		return nil, fmt.Errorf("sqlite: open %q: path must not contain '?'", path)
	}
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)",
		busyTimeout.Milliseconds())
	w, err := sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w, now: time.Now, probe: probeMax}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	var mode string
	if err := w.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: cannot enable WAL (journal_mode %q): %v", path, mode, err)
	}
	if err := s.Migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// The read pool opens once the schema exists.
	// Readers map the file (shared page cache of the OS, no read syscall
	// per page) and keep a larger private cache: at 100,000 events, page
	// reads were a third of an API request's time.
	r, err := sql.Open("sqlite", path+"?"+common+"&_query_only=1&_pragma=mmap_size(1073741824)&_pragma=cache_size(-16000)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	return s, nil
}

// Optimize recomputes the query planner's statistics over every row (about
// half a second per 100,000 events). A process that loads many events and
// then serves queries should call it in between, or the planner guesses.
//
// SQLite's default PRAGMA optimize samples at most 2,000 rows per index:
// enough to notice stale statistics, but with 100,000 events it rates an
// event type (a sixth of the rows), a country (a third) and the kind (nine
// tenths) as equally selective, and a filter on all three was then run
// from the kind's index, reading nearly the whole table.
func (s *Store) Optimize(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `PRAGMA analysis_limit=0`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	return nil
}

// Path returns the database file's path as given to Open.
func (s *Store) Path() string { return s.path }

// Close checkpoints the write-ahead log into the database file, so the file
// can be copied alone, and releases the store. Later calls return the first
// call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		errs := []error{s.r.Close()}
		// optimize refreshes the planner's statistics where they are stale,
		// as SQLite recommends doing before closing. 0x10002 leaves out
		// 0x10, the sampling limit (see Optimize), and checks every table:
		// after a bulk load the events table is analysed in full once; a
		// store that barely changed is not analysed at all.
		if _, err := s.w.Exec(`PRAGMA optimize=0x10002`); err != nil {
			errs = append(errs, fmt.Errorf("optimize: %w", err))
		}
		if _, err := s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			errs = append(errs, fmt.Errorf("checkpoint: %w", err))
		}
		errs = append(errs, s.w.Close())
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("sqlite: close %q: %w", s.path, err)
		}
	})
	return s.closeErr
}

// writeTx runs fn in one write transaction, committing if it returns nil.
// Transactions begin IMMEDIATE, so the write lock is taken up front rather
// than upgraded mid-transaction (which could fail with SQLITE_BUSY).
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Times are stored as RFC 3339 text in UTC, which sorts as it reads.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Event dates are days.
const dateFormat = "2006-01-02"

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateFormat)
}

func parseDate(s string) time.Time {
	t, err := time.Parse(dateFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
