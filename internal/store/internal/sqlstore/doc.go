// Package sqlstore holds the Go logic the SQL stores (internal/store/sqlite
// and internal/store/postgres) share: the parts of reading and writing
// events, cursors, merge records and migrations that do not depend on the
// SQL dialect.
//
// Each backend keeps its own SQL, connection handling and type mapping
// (SQLite stores dates as text, PostgreSQL as date; placeholders are ? or
// $n). What lives here takes the dialect-specific bits as arguments, so a
// behaviour change to, say, cursor validation or the merge snapshot is made
// once and the conformance suite (internal/store/storetest) checks it on
// both backends.
package sqlstore
