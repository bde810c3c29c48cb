// Package postgres is the PostgreSQL implementation of store.Store, for
// deployments that outgrow one SQLite file: several ingest workers on
// several machines, several API servers, years of history. It uses
// jackc/pgx/v5 with a connection pool.
//
// The schema evolves through an ordered slice of migration steps; the
// version is the number of steps applied, kept in schema_version. Open
// applies missing steps under an advisory lock, so many processes may start
// at once.
//
// Full-text search (Filter.Query) uses a tsvector column built from each
// event's notes and evidence with the simple, English and French
// configurations over accent-folded text (the unaccent extension when it
// can be created, else a translate() of the common Latin accents), so
// "segou" finds "Ségou" and "attaques" finds "attaque". Each user word is
// passed as a parameter to plainto_tsquery: operators in user input are
// never interpreted.
//
// Bounding boxes (Filter.BBox) use a PostGIS geography column with a GiST
// index when the postgis extension can be created at migration time, and
// plain latitude/longitude comparisons otherwise; both select the same
// events.
//
// Concurrency: SaveReport runs at READ COMMITTED and first takes
// transaction-level advisory locks, in one global order so two savers never
// deadlock, on the report's hash, doc and URL and on every (kind, week)
// bucket its events' merge windows touch. Two reports whose events could
// merge with each other are therefore saved one after the other, and each
// sees the other's events as merge candidates; reports about other weeks
// are saved in parallel. Remaining conflicts (a unique or foreign key race
// on rows outside the locked buckets, a deadlock or serialization failure)
// are retried a few times.
//
// The job queue (store.Queue) is a table claimed with FOR UPDATE SKIP
// LOCKED and leased, so workers on any number of machines share it; see
// queue.go.
//
// PostgreSQL text cannot hold NUL bytes or invalid UTF-8: such bytes are
// replaced by '?' (byte for byte, so evidence offsets still hold).
package postgres
