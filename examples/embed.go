// Package examples holds the bundled example reports that ship with
// sahelwatch: plain-text scrapes, HTML pages, an RSS 2.0 feed and a JSON
// Lines file about real 2024–2025 events in Mali, Burkina Faso and Niger.
//
// The reports are written in our own words (none is copied from any
// evaluation corpus) so they can be used freely in demos, documentation
// and tests. They are deliberately noisy, like real scraper output: ads,
// subscribe appeals, related-link blocks, share lines, photo credits and
// cookie banners sit between the paragraphs. Together they exercise the
// pipeline's hard cases: English and French text; single incidents with
// clear date, place, actors and fatalities; weekly and monthly aggregates;
// ongoing situations such as blockades; background and a pure analysis
// piece with no incident; vague dates ("on Sunday", "dans la nuit de"),
// vague or conflicting tolls; relative places ("40 km north of Téra") and
// spelling variants; and several reports of the same incident from
// different outlets, including a syndicated near-copy, for deduplication.
// MANIFEST.md describes each file.
package examples

import "embed"

// FS holds every bundled example report, at the root of the file system.
//
//go:embed *.txt *.html *.rss *.jsonl
var FS embed.FS
