package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// migration is one schema step. Steps run in order, each in its own
// transaction; never edit or reorder a step that has shipped, append a new one.
type migration func(ctx context.Context, tx *sql.Tx) error

// execAll returns a step that runs each statement in turn.
func execAll(stmts ...string) migration {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
}

// reanalyze recomputes statistics over every row of a store that holds
// events: earlier builds closed the store with SQLite's sampled
// statistics, which misled the planner (see Store.Optimize). An empty
// store is left without statistics: figures for empty tables would make
// the planner treat them as tiny while they fill.
func reanalyze(ctx context.Context, tx *sql.Tx) error {
	var any int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)`).Scan(&any); err != nil {
		return err
	}
	if any == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `ANALYZE`)
	return err
}

var migrations = []migration{
	// 1: the initial schema.
	execAll(
		`CREATE TABLE reports (
			id          INTEGER PRIMARY KEY,
			doc         TEXT NOT NULL,
			url         TEXT NOT NULL DEFAULT '',
			outlet      TEXT NOT NULL DEFAULT '',
			title       TEXT NOT NULL DEFAULT '',
			author      TEXT NOT NULL DEFAULT '',
			lang        TEXT NOT NULL DEFAULT '',
			format      TEXT NOT NULL DEFAULT '',
			published   TEXT NOT NULL DEFAULT '', -- RFC 3339, '' when unknown
			date_source TEXT NOT NULL DEFAULT '',
			hash        TEXT NOT NULL UNIQUE,
			text        TEXT NOT NULL DEFAULT '',
			ingested_at TEXT NOT NULL,
			status      TEXT NOT NULL DEFAULT 'ok',
			error       TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX reports_doc ON reports(doc)`,
		`CREATE INDEX reports_url ON reports(url) WHERE url <> ''`,
		`CREATE INDEX reports_ingested ON reports(ingested_at)`,

		// seq gives each event a stable integer rowid for the FTS table;
		// id is the public identifier.
		`CREATE TABLE events (
			seq            INTEGER PRIMARY KEY,
			id             TEXT NOT NULL UNIQUE,
			doc            TEXT NOT NULL DEFAULT '',
			kind           TEXT NOT NULL DEFAULT '',
			event_date     TEXT NOT NULL, -- YYYY-MM-DD
			time_precision INTEGER NOT NULL DEFAULT 0,
			event_type     TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
			sub_event_type TEXT NOT NULL DEFAULT '',
			actor1         TEXT NOT NULL DEFAULT '',
			assoc_actor_1  TEXT NOT NULL DEFAULT '',
			inter1         INTEGER NOT NULL DEFAULT 0,
			actor2         TEXT NOT NULL DEFAULT '',
			assoc_actor_2  TEXT NOT NULL DEFAULT '',
			inter2         INTEGER NOT NULL DEFAULT 0,
			actors_folded  TEXT NOT NULL DEFAULT '', -- lower-cased, accent-free actor names for Filter.Actor
			country        TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
			admin1         TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
			admin2         TEXT NOT NULL DEFAULT '',
			location       TEXT NOT NULL DEFAULT '',
			mention        TEXT NOT NULL DEFAULT '',
			geonameid      INTEGER NOT NULL DEFAULT 0,
			latitude       REAL NOT NULL DEFAULT 0,
			longitude      REAL NOT NULL DEFAULT 0,
			geo_precision  INTEGER NOT NULL DEFAULT 0,
			unresolved     TEXT NOT NULL DEFAULT '',
			fatalities     INTEGER NOT NULL DEFAULT 0,
			fatalities_low INTEGER NOT NULL DEFAULT 0,
			fatalities_high INTEGER NOT NULL DEFAULT 0,
			confidence     REAL NOT NULL DEFAULT 0,
			notes          TEXT NOT NULL DEFAULT '',
			created_at     TEXT NOT NULL,
			updated_at     TEXT NOT NULL
		)`,
		`CREATE INDEX events_date ON events(event_date, id)`,
		`CREATE INDEX events_kind_date ON events(kind, event_date)`,
		`CREATE INDEX events_admin1 ON events(admin1)`,
		`CREATE INDEX events_type ON events(event_type)`,
		`CREATE INDEX events_latlon ON events(latitude, longitude)`,
		`CREATE INDEX events_fatalities ON events(fatalities, id)`,

		`CREATE TABLE event_sources (
			id         INTEGER PRIMARY KEY,
			event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
			doc        TEXT NOT NULL DEFAULT '',
			url        TEXT NOT NULL DEFAULT '',
			outlet     TEXT NOT NULL DEFAULT '',
			published  TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD or ''
			excerpt    TEXT NOT NULL DEFAULT '',
			fatalities INTEGER NOT NULL DEFAULT -1,
			UNIQUE (event_id, report_id)
		)`,
		`CREATE INDEX event_sources_report ON event_sources(report_id)`,

		`CREATE TABLE evidence (
			id        INTEGER PRIMARY KEY,
			event_id  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
			doc       TEXT NOT NULL DEFAULT '',
			start_pos INTEGER NOT NULL DEFAULT 0,
			end_pos   INTEGER NOT NULL DEFAULT 0,
			text      TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX evidence_event ON evidence(event_id)`,
		`CREATE INDEX evidence_report ON evidence(report_id)`,

		`CREATE TABLE revisions (
			id       INTEGER PRIMARY KEY,
			event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE ON UPDATE CASCADE,
			at       TEXT NOT NULL,
			doc      TEXT NOT NULL DEFAULT '',
			action   TEXT NOT NULL,
			changes  TEXT NOT NULL DEFAULT '{}' -- JSON object
		)`,
		`CREATE INDEX revisions_event ON revisions(event_id)`,

		// A merge keeps the stored event as it was before and the incoming
		// event as extracted, so the merge can be undone later.
		`CREATE TABLE merges (
			id        INTEGER PRIMARY KEY,
			event_id  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
			doc       TEXT NOT NULL DEFAULT '',
			at        TEXT NOT NULL,
			rules     TEXT NOT NULL DEFAULT '{}', -- JSON: field -> rule
			before    TEXT NOT NULL DEFAULT '{}', -- JSON: the stored event before the merge
			incoming  TEXT NOT NULL DEFAULT '{}'  -- JSON: the incoming event
		)`,
		`CREATE INDEX merges_event ON merges(event_id)`,

		`CREATE TABLE failures (
			id     INTEGER PRIMARY KEY,
			doc    TEXT NOT NULL DEFAULT '',
			url    TEXT NOT NULL DEFAULT '',
			reason TEXT NOT NULL DEFAULT '',
			at     TEXT NOT NULL
		)`,
		`CREATE INDEX failures_at ON failures(at)`,

		// rowid = events.seq. The body is rewritten whenever an event's
		// notes or evidence change.
		`CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = "unicode61 remove_diacritics 2")`,
	),
	// 2: syndicated copies. signature is the Merger's summary of a
	// report's text (NULL when none); copy_of names the stored report a
	// copy reprints (0 for an independent report). A copy's source rows
	// carry the original's doc in copy_of.
	execAll(
		`ALTER TABLE reports ADD COLUMN signature BLOB`,
		`ALTER TABLE reports ADD COLUMN copy_of INTEGER NOT NULL DEFAULT 0`,
		`CREATE INDEX reports_copy_of ON reports(copy_of) WHERE copy_of <> 0`,
		`ALTER TABLE event_sources ADD COLUMN copy_of TEXT NOT NULL DEFAULT ''`,
	),
	// 3: indexes for the API's list and count. Each leads with a column a
	// filter pins (or the date), continues with the list's order, and
	// carries the other small filter columns, so a filtered page is found
	// on index entries alone, in order or sorted as entries, and only its
	// own rows are read whole (p99 at 100,000 events: docs/BENCHMARKS.md).
	// They replace the single-column indexes of step 1.
	execAll(
		`CREATE INDEX events_date_f ON events(event_date, id, kind, fatalities, latitude, longitude, event_type, country, admin1)`,
		`CREATE INDEX events_type_date ON events(event_type, event_date, id, kind, fatalities, latitude, longitude)`,
		`CREATE INDEX events_country_date ON events(country, event_date, id, kind, fatalities, latitude, longitude)`,
		`CREATE INDEX events_admin1_date ON events(admin1, event_date, id, kind, fatalities, latitude, longitude)`,
		`CREATE INDEX events_geo_date ON events(latitude, longitude, event_date, id, kind, fatalities)`,
		`CREATE INDEX events_fatalities_date ON events(fatalities, id, event_date, kind)`,
		`DROP INDEX events_date`,
		`DROP INDEX events_type`,
		`DROP INDEX events_admin1`,
		`DROP INDEX events_latlon`,
		`DROP INDEX events_fatalities`,
	),
	// 4: finding the report a new one reprints reads only independent,
	// signed reports of the copy window, not every report's text.
	execAll(
		`CREATE INDEX reports_signed ON reports(published, id) WHERE copy_of = 0 AND signature IS NOT NULL`,
	),
	// 5: statistics over every row (see reanalyze).
	reanalyze,
}

// SchemaVersion is the schema version this build writes: the number of
// migration steps it knows.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema up to SchemaVersion, one transaction per step.
// It is safe to call on an up-to-date database and from several processes:
// each step re-reads the version under the write lock before running. It
// fails if the database was written by a newer build.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for i := range migrations {
		if err := s.migrateStep(ctx, i); err != nil {
			return fmt.Errorf("sqlite: migrate to version %d: %w", i+1, err)
		}
	}
	return nil
}

func (s *Store) migrateStep(ctx context.Context, i int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = sqlstore.MigrateStep(i, len(migrations),
		func() (int, error) { return version(ctx, tx) },
		func() error { return migrations[i](ctx, tx) },
		func(v int) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (?)`, v)
			return err
		})
	if err != nil {
		return err
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func version(ctx context.Context, q querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// Version returns the schema version stored in the database.
func (s *Store) Version(ctx context.Context) (int, error) {
	v, err := version(ctx, s.r)
	if err != nil {
		return 0, fmt.Errorf("sqlite: schema version: %w", err)
	}
	return v, nil
}
