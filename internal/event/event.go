package event

import (
	"context"
	"time"
)

// Kind tells what an extracted event is. Only incidents are concrete,
// dated, placed events; the other kinds are kept so an analyst can read them
// but are never counted as incidents.
type Kind string

const (
	// Incident is one concrete event at one place on one day.
	Incident Kind = "incident"
	// Aggregate summarises several events ("16 attacks this week").
	Aggregate Kind = "aggregate"
	// Situation is an ongoing condition: a blockade, a siege, tax collection.
	Situation Kind = "situation"
	// Background is history, analysis, forecasts, hypotheticals, threats.
	Background Kind = "background"
)

// ACLED's time precision scale.
const (
	DayPrecision   = 1 // the exact day is known
	WeekPrecision  = 2 // within about a week
	MonthPrecision = 3 // the month or vaguer
)

// ACLED's geo precision scale.
const (
	PlacePrecision  = 1 // the place itself
	NearPrecision   = 2 // near the place, or a part of a region
	RegionPrecision = 3 // only the region or the country is known
)

// Report is one document as it moves through the pipeline: raw bytes in,
// cleaned text and metadata out. Evidence offsets point into Text.
type Report struct {
	Doc        string    `json:"doc"`                   // stable document name
	URL        string    `json:"url,omitempty"`         // where it came from, if anywhere
	Outlet     string    `json:"outlet,omitempty"`      // publisher (host name when nothing better)
	Title      string    `json:"title,omitempty"`       //
	Author     string    `json:"author,omitempty"`      //
	Published  time.Time `json:"published,omitzero"`    // zero when unknown
	DateSource string    `json:"date_source,omitempty"` // input, html-meta, feed, dateline, none
	Lang       string    `json:"lang,omitempty"`        // en, fr or other
	Format     string    `json:"format,omitempty"`      // text or html
	Raw        []byte    `json:"-"`                     // as received, before cleaning
	Text       string    `json:"text,omitempty"`        // cleaned article text
	Hash       string    `json:"hash,omitempty"`        // content hash of the raw input, for idempotent ingest
}

// Place is where an event happened, as resolved by the geocoder.
type Place struct {
	Name       string  `json:"location"`             // resolved name (the gazetteer's main spelling)
	Mention    string  `json:"mention,omitempty"`    // as the report wrote it
	Country    string  `json:"country"`              // English country name
	Admin1     string  `json:"admin1"`               // region, ACLED's spelling
	Admin2     string  `json:"admin2"`               // cercle or province
	Lat        float64 `json:"latitude"`             //
	Lon        float64 `json:"longitude"`            //
	Precision  int     `json:"geo_precision"`        // PlacePrecision..RegionPrecision
	GeonameID  int     `json:"geonameid,omitempty"`  // 0 when not from GeoNames
	Unresolved string  `json:"unresolved,omitempty"` // a name the gazetteer did not know, kept for review
}

// Known reports whether the place has coordinates.
func (p Place) Known() bool { return p.Lat != 0 || p.Lon != 0 }

// Actor is one side of an event, named canonically, with ACLED's
// interaction code (1 state forces … 8 external forces).
type Actor struct {
	Name  string `json:"name"`
	Assoc string `json:"assoc,omitempty"` // parent or associated group
	Inter int    `json:"inter"`
}

// Evidence is a passage of a cleaned report that supports an event.
// Start and End are byte offsets into Report.Text.
type Evidence struct {
	Doc   string `json:"doc"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Source is one report that an event was read from.
type Source struct {
	Doc       string `json:"doc"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet,omitempty"`
	Published string `json:"published"` // YYYY-MM-DD or ""
	Excerpt   string `json:"excerpt"`
	// Fatalities is the figure this source gave (-1 when none).
	Fatalities int `json:"fatalities"`
	// CopyOf is the doc of the report this one reprints (a syndicated
	// copy of the same wire story), "" for an independent source. A copy
	// adds a URL to the event, not a source.
	CopyOf string `json:"copy_of,omitempty"`
}

// Event is one coded event. Date and place carry their precision; the
// fatality figure follows ACLED's conservative rules, with the range across
// sources in FatalitiesLow..FatalitiesHigh once events are merged.
type Event struct {
	ID             string     `json:"event_id"`
	Doc            string     `json:"doc"`
	Date           time.Time  `json:"-"`
	TimePrecision  int        `json:"time_precision"`
	EventType      string     `json:"event_type"`
	SubEventType   string     `json:"sub_event_type"`
	Actor1         Actor      `json:"-"`
	Actor2         Actor      `json:"-"`
	Place          Place      `json:"-"`
	Fatalities     int        `json:"fatalities"`
	FatalitiesLow  int        `json:"fatalities_low"`
	FatalitiesHigh int        `json:"fatalities_high"`
	Kind           Kind       `json:"kind"`
	Confidence     float64    `json:"confidence"`
	Evidence       []Evidence `json:"evidence"`
	Notes          string     `json:"notes"`
	Sources        []Source   `json:"sources,omitempty"`
}

// Interaction is ACLED's interaction code: the two inter codes, smaller first.
func (e Event) Interaction() int {
	a, b := e.Actor1.Inter, e.Actor2.Inter
	if b != 0 && (a == 0 || b < a) {
		a, b = b, a
	}
	return a*10 + b
}

// Cleaner turns a report's raw bytes into its article text and metadata.
type Cleaner interface {
	Clean(ctx context.Context, r *Report) error
}

// Extractor reads the events a cleaned report describes.
type Extractor interface {
	Extract(ctx context.Context, r *Report) ([]Event, error)
}

// PlaceRef is a place expression found in a report ("Tamani",
// "near Djibo", "30 km north of Gao", "between Ségou and San", "the Mopti
// region"), resolved. Start and End are byte offsets into the report text.
type PlaceRef struct {
	Start, End int
	Place      Place
}

// Geocoder resolves place expressions in the context of a whole report:
// the countries and regions it mentions, "(Bankass, Mopti)"-style
// parentheses, and the other places near by.
type Geocoder interface {
	// Scope analyses one report's text and returns its resolver.
	Scope(text string) PlaceScope
}

// PlaceScope answers place questions about one report.
type PlaceScope interface {
	// In returns the place expressions that lie within text[start:end], in
	// order and not overlapping, each resolved with the whole report as
	// context. Names the gazetteer does not know but that the text marks as
	// places ("the village of X") come back with Unresolved set and the best
	// containing unit's coordinates at a lower precision.
	In(start, end int) []PlaceRef
	// Fallback is the best place the report as a whole supports (its main
	// region or country, at RegionPrecision), or the zero Place.
	Fallback() Place
}

// SourceCount is the number of independent sources: syndicated copies
// (Source.CopyOf set) add URLs, not witnesses.
func (e Event) SourceCount() int {
	n := 0
	for _, s := range e.Sources {
		if s.CopyOf == "" {
			n++
		}
	}
	return n
}
