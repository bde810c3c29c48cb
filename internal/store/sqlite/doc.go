// Package sqlite is the SQLite implementation of store.Store, built on the
// pure-Go modernc.org/sqlite driver so the binary needs no cgo.
//
// The database runs in WAL mode with foreign keys on and synchronous=NORMAL.
// Writes go through a single connection, so write transactions are
// serialised inside the process and never race each other for the lock
// (no SQLITE_BUSY between our own writers); reads use a separate pool and
// run in parallel with each other and with the writer.
//
// Each SaveReport, RecordFailure and migration step is one transaction, so
// a crash leaves a report either fully stored or absent.
//
// The schema evolves through an ordered slice of migration steps; the
// schema version is the number of steps applied, kept in schema_version.
// Open applies any missing steps.
//
// Full-text search (Filter.Query) uses an FTS5 table over each event's
// notes and evidence with the unicode61 tokenizer and remove_diacritics 2,
// so "segou" finds "Ségou". User queries are split into words and each word
// is quoted, so FTS5 operators in user input are never interpreted.
package sqlite
