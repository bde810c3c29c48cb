// Package server is sahelwatch's HTTP face: a JSON API over a store.Store,
// exports in ACLED's CSV layout, GeoJSON and JSON Lines, Prometheus metrics,
// an OpenAPI description, and the embedded dashboard (a Leaflet map, a uPlot
// timeline and an event table; sources and build script under web/).
//
// New builds a Server from a store and Options; Handler returns its
// http.Handler with security headers, metrics and panic recovery applied;
// ListenAndServe runs it with timeouts and shuts down gracefully when its
// context ends. Routes are declared in one table in routes.go.
//
// The event-to-record conversion the API uses (Record, WriteJSONL, WriteCSV,
// WriteGeoJSON) is exported so the command-line export writes byte-for-byte
// the same files as the API.
//
// Writes (POST /api/v1/reports) need a bearer token and a Submit callback;
// without a token every write is refused, without Submit it answers 501.
// All report and event text is untrusted: the API escapes HTML in JSON and
// the dashboard inserts text only through textContent.
package server
