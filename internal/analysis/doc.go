// Package analysis turns stored events into what an analyst reads on
// Monday: trends against the previous weeks, alerts raised by rules an
// analyst edits (data/rules.ini), situations (blockades, sieges, routes
// under attack, towns changing hands) with a status over time, and the
// weekly brief in Markdown or HTML with a map and a chart drawn as SVG.
//
// Everything here is computed from a slice of events, so the same figures
// come out of the CLI, the HTTP handlers and the tests. Alerts carry a
// deterministic key (rule and cause), so evaluating the same events twice
// raises nothing new; a Ledger remembers which keys were already delivered.
package analysis
