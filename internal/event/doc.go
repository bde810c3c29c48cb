// Package event holds the domain types every sahelwatch stage shares —
// Report, Event, Place, Actor, Evidence, Source — and the small interfaces
// between stages. It does no I/O and imports nothing outside the standard
// library, so every other package can depend on it without cycles.
package event
