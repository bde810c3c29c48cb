package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// migration is one schema step. Steps run in order, each in its own
// transaction; never edit or reorder a step that has shipped, append a new one.
type migration func(ctx context.Context, tx pgx.Tx) error

func execAll(stmts ...string) migration {
	return func(ctx context.Context, tx pgx.Tx) error {
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
}

// lockMigrate is the advisory lock key (with lockSpace) held while migrating.
const (
	lockSpace   = 0x5357 // "SW": the first key of every advisory lock we take
	lockMigrate = 1
)

var migrations = []migration{
	// 1: reports, events and what hangs off them. Event IDs sort bytewise
	// (COLLATE "C") so pages and merge candidates come in the same order as
	// in SQLite.
	execAll(
		`CREATE TABLE reports (
			id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			doc         text NOT NULL,
			url         text NOT NULL DEFAULT '',
			outlet      text NOT NULL DEFAULT '',
			title       text NOT NULL DEFAULT '',
			author      text NOT NULL DEFAULT '',
			lang        text NOT NULL DEFAULT '',
			format      text NOT NULL DEFAULT '',
			published   timestamptz, -- NULL when unknown
			date_source text NOT NULL DEFAULT '',
			hash        text NOT NULL UNIQUE,
			text        text NOT NULL DEFAULT '',
			ingested_at timestamptz NOT NULL,
			status      text NOT NULL DEFAULT 'ok',
			error       text NOT NULL DEFAULT '',
			signature   bytea,                     -- the Syndicator's summary of the text, NULL when none
			copy_of     bigint NOT NULL DEFAULT 0  -- the report this one reprints, 0 when independent
		)`,
		`CREATE INDEX reports_copy_of ON reports (copy_of) WHERE copy_of <> 0`,
		`CREATE INDEX reports_published ON reports (published) WHERE copy_of = 0 AND signature IS NOT NULL`,
		`CREATE INDEX reports_doc ON reports (doc)`,
		`CREATE INDEX reports_url ON reports (url) WHERE url <> ''`,
		`CREATE INDEX reports_ingested ON reports (ingested_at)`,
		`CREATE TABLE events (
			id              text COLLATE "C" PRIMARY KEY,
			doc             text NOT NULL DEFAULT '',
			kind            text NOT NULL DEFAULT '',
			event_date      date NOT NULL, -- 0001-01-01 when unknown
			time_precision  integer NOT NULL DEFAULT 0,
			event_type      text NOT NULL DEFAULT '',
			sub_event_type  text NOT NULL DEFAULT '',
			actor1          text NOT NULL DEFAULT '',
			assoc_actor_1   text NOT NULL DEFAULT '',
			inter1          integer NOT NULL DEFAULT 0,
			actor2          text NOT NULL DEFAULT '',
			assoc_actor_2   text NOT NULL DEFAULT '',
			inter2          integer NOT NULL DEFAULT 0,
			actors_folded   text NOT NULL DEFAULT '', -- lower-cased, accent-free actor names for Filter.Actor
			country         text NOT NULL DEFAULT '',
			admin1          text NOT NULL DEFAULT '',
			admin2          text NOT NULL DEFAULT '',
			location        text NOT NULL DEFAULT '',
			mention         text NOT NULL DEFAULT '',
			geonameid       bigint NOT NULL DEFAULT 0,
			latitude        double precision NOT NULL DEFAULT 0,
			longitude       double precision NOT NULL DEFAULT 0,
			geo_precision   integer NOT NULL DEFAULT 0,
			unresolved      text NOT NULL DEFAULT '',
			fatalities      integer NOT NULL DEFAULT 0,
			fatalities_low  integer NOT NULL DEFAULT 0,
			fatalities_high integer NOT NULL DEFAULT 0,
			confidence      double precision NOT NULL DEFAULT 0,
			notes           text NOT NULL DEFAULT '',
			fts             tsvector NOT NULL DEFAULT ''::tsvector,
			created_at      timestamptz NOT NULL,
			updated_at      timestamptz NOT NULL
		)`,
		`CREATE INDEX events_date ON events (event_date, id)`,
		`CREATE INDEX events_kind_date ON events (kind, event_date)`,
		`CREATE INDEX events_admin1 ON events (lower(admin1))`,
		`CREATE INDEX events_country ON events (lower(country))`,
		`CREATE INDEX events_type ON events (lower(event_type))`,
		`CREATE INDEX events_latlon ON events (latitude, longitude)`,
		`CREATE INDEX events_fatalities ON events (fatalities, id)`,
		`CREATE INDEX events_fts ON events USING gin (fts)`,
		`CREATE TABLE event_sources (
			id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id   text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id  bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
			doc        text NOT NULL DEFAULT '',
			url        text NOT NULL DEFAULT '',
			outlet     text NOT NULL DEFAULT '',
			published  text NOT NULL DEFAULT '', -- YYYY-MM-DD or ''
			excerpt    text NOT NULL DEFAULT '',
			fatalities integer NOT NULL DEFAULT -1,
			copy_of    text NOT NULL DEFAULT '', -- the original's doc when this source is a syndicated copy
			UNIQUE (event_id, report_id)
		)`,
		`CREATE INDEX event_sources_report ON event_sources (report_id)`,
		`CREATE TABLE evidence (
			id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id  text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
			doc       text NOT NULL DEFAULT '',
			start_pos integer NOT NULL DEFAULT 0,
			end_pos   integer NOT NULL DEFAULT 0,
			text      text NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX evidence_event ON evidence (event_id)`,
		`CREATE INDEX evidence_report ON evidence (report_id)`,
		`CREATE TABLE revisions (
			id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE ON UPDATE CASCADE,
			at       timestamptz NOT NULL,
			doc      text NOT NULL DEFAULT '',
			action   text NOT NULL,
			changes  jsonb NOT NULL DEFAULT '{}'
		)`,
		`CREATE INDEX revisions_event ON revisions (event_id)`,
		// A merge keeps the stored event as it was and the incoming event as
		// extracted, so it can be undone later.
		`CREATE TABLE merges (
			id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id  text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE ON UPDATE CASCADE,
			report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
			doc       text NOT NULL DEFAULT '',
			at        timestamptz NOT NULL,
			rules     jsonb NOT NULL DEFAULT '{}',
			before    jsonb NOT NULL DEFAULT '{}',
			incoming  jsonb NOT NULL DEFAULT '{}'
		)`,
		`CREATE INDEX merges_event ON merges (event_id)`,
		`CREATE TABLE failures (
			id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			doc    text NOT NULL DEFAULT '',
			url    text NOT NULL DEFAULT '',
			reason text NOT NULL DEFAULT '',
			at     timestamptz NOT NULL
		)`,
		`CREATE INDEX failures_at ON failures (at)`,
	),

	// 2: full-text search functions, accent-folded with unaccent when the
	// extension can be created (it is "trusted" since PostgreSQL 13, so a
	// database owner may), else with translate() over the common accents.
	func(ctx context.Context, tx pgx.Tx) error {
		fold := `translate(lower(t), '` + accented + `', '` + plain + `')`
		if tryExec(ctx, tx, `CREATE EXTENSION IF NOT EXISTS unaccent`) {
			var schema string
			if err := tx.QueryRow(ctx, `SELECT n.nspname FROM pg_extension e
				JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`).Scan(&schema); err != nil {
				return err
			}
			sch := pgx.Identifier{schema}.Sanitize()
			// The schema-qualified two-argument form does not depend on
			// search_path, which is what makes declaring it IMMUTABLE honest.
			fold = fmt.Sprintf(`%s.unaccent('%s.unaccent'::regdictionary, lower(t))`, sch, sch)
		}
		return execAll(
			`CREATE FUNCTION sw_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT `+fold+` $$`,
			`CREATE FUNCTION sw_tsv(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
				SELECT to_tsvector('simple', sw_fold(t)) || to_tsvector('english', sw_fold(t)) || to_tsvector('french', sw_fold(t)) $$`,
			// One word matches as written, or by its English or French stem.
			`CREATE FUNCTION sw_tsq(w text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
				SELECT plainto_tsquery('simple', sw_fold(w)) || plainto_tsquery('english', sw_fold(w)) || plainto_tsquery('french', sw_fold(w)) $$`,
		)(ctx, tx)
	},

	// 3: a PostGIS geography point per event when the extension can be
	// created (it needs a superuser, or an administrator who created it
	// beforehand). Events without coordinates (0,0) or with impossible
	// ones get none.
	func(ctx context.Context, tx pgx.Tx) error {
		if !tryExec(ctx, tx, `CREATE EXTENSION IF NOT EXISTS postgis`) {
			return nil
		}
		return execAll(
			`ALTER TABLE events ADD COLUMN geog geography(Point, 4326) GENERATED ALWAYS AS (
				CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
					AND NOT (latitude = 0 AND longitude = 0)
				THEN ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography END) STORED`,
			`CREATE INDEX events_geog ON events USING gist ((geog::geometry))`,
		)(ctx, tx)
	},

	// 4: the job queue shared by ingest workers (queue.go).
	execAll(
		`CREATE TABLE jobs (
			id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			hash        text NOT NULL UNIQUE,
			doc         text NOT NULL DEFAULT '',
			url         text NOT NULL DEFAULT '',
			outlet      text NOT NULL DEFAULT '',
			title       text NOT NULL DEFAULT '',
			author      text NOT NULL DEFAULT '',
			lang        text NOT NULL DEFAULT '',
			format      text NOT NULL DEFAULT '',
			published   timestamptz,
			date_source text NOT NULL DEFAULT '',
			raw         bytea, -- NULL once done: the report is stored by then
			state       text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'running', 'done', 'failed')),
			attempts    integer NOT NULL DEFAULT 0,
			worker      text NOT NULL DEFAULT '',
			lease_until timestamptz,
			error       text NOT NULL DEFAULT '',
			queued_at   timestamptz NOT NULL DEFAULT now(),
			finished_at timestamptz
		)`,
		`CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('waiting', 'running')`,
	),
}

// accented and plain pair the accented letters of French and the Sahel's
// place names with their base letters, for the fallback fold.
const (
	accented = "àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōùúûüūýÿžźż"
	plain    = "aaaaaaaccceeeeeeeiiiiinnooooooouuuuuyyzzz"
)

// tryExec runs q in a savepoint and reports whether it succeeded; a
// failure (typically a missing privilege or extension) leaves the
// transaction usable.
func tryExec(ctx context.Context, tx pgx.Tx, q string) bool {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false
	}
	if _, err := sp.Exec(ctx, q); err != nil {
		sp.Rollback(ctx)
		return false
	}
	return sp.Commit(ctx) == nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema up to SchemaVersion, one transaction per step,
// holding a session advisory lock so that processes starting together
// migrate one at a time. It fails if the database was written by a newer
// build.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSpace, lockMigrate); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockSpace, lockMigrate)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for i := range migrations {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			return sqlstore.MigrateStep(i, len(migrations),
				func() (int, error) { return version(ctx, tx) },
				func() error { return migrations[i](ctx, tx) },
				func(v int) error {
					if _, err := tx.Exec(ctx, `DELETE FROM schema_version`); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v)
					return err
				})
		})
		if err != nil {
			return fmt.Errorf("postgres: migrate to version %d: %w", i+1, err)
		}
	}
	return nil
}

type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func version(ctx context.Context, q rowQuerier) (int, error) {
	var v *int
	if err := q.QueryRow(ctx, `SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, err
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// Version returns the schema version stored in the database.
func (s *Store) Version(ctx context.Context) (int, error) {
	v, err := version(ctx, s.pool)
	if err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

var errNoRows = pgx.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
