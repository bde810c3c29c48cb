package server

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// recordKeys is the evaluation contract's field order. JSON Lines output
// follows it so files diff cleanly and read in a sensible order.
var recordKeys = []string{
	"event_id", "doc", "event_date", "time_precision", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
	"country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
	"fatalities", "fatalities_low", "fatalities_best", "fatalities_high",
	"kind", "confidence", "evidence", "notes", "sources", "unresolved",
}

// CSVHeader is ACLED's column layout, which analysts' tools expect verbatim.
var CSVHeader = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
	"country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
	"source", "notes", "fatalities",
}

// evidenceRecord and sourceRecord fix the nested shapes of the contract
// (event.Source carries a per-source figure the contract leaves out).
type evidenceRecord struct {
	Doc   string `json:"doc"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

type sourceRecord struct {
	Doc       string `json:"doc"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"`
	Excerpt   string `json:"excerpt"`
	CopyOf    string `json:"copy_of,omitempty"` // the doc this source reprints: one more URL, not one more source
}

// Record returns e as the evaluation contract's flat record: ACLED's field
// names plus kind, confidence, the fatality range, evidence and sources.
// Lists are never nil so they encode as [] rather than null; "unresolved" is
// present only when the geocoder left a name unresolved.
func Record(e event.Event) map[string]any {
	low, high := fatalityRange(e)
	ev := make([]evidenceRecord, 0, len(e.Evidence))
	for _, x := range e.Evidence {
		ev = append(ev, evidenceRecord(x))
	}
	src := make([]sourceRecord, 0, len(e.Sources))
	for _, s := range e.Sources {
		src = append(src, sourceRecord{Doc: s.Doc, URL: s.URL, Outlet: s.Outlet, Published: s.Published, Excerpt: s.Excerpt, CopyOf: s.CopyOf})
	}
	r := map[string]any{
		"event_id":        e.ID,
		"doc":             e.Doc,
		"event_date":      eventDate(e),
		"time_precision":  e.TimePrecision,
		"event_type":      e.EventType,
		"sub_event_type":  e.SubEventType,
		"actor1":          e.Actor1.Name,
		"assoc_actor_1":   e.Actor1.Assoc,
		"actor2":          e.Actor2.Name,
		"assoc_actor_2":   e.Actor2.Assoc,
		"inter1":          e.Actor1.Inter,
		"inter2":          e.Actor2.Inter,
		"interaction":     e.Interaction(),
		"country":         e.Place.Country,
		"admin1":          e.Place.Admin1,
		"admin2":          e.Place.Admin2,
		"location":        e.Place.Name,
		"latitude":        finite(e.Place.Lat),
		"longitude":       finite(e.Place.Lon),
		"geo_precision":   e.Place.Precision,
		"fatalities":      e.Fatalities,
		"fatalities_low":  low,
		"fatalities_best": e.Fatalities,
		"fatalities_high": high,
		"kind":            string(e.Kind),
		"confidence":      finite(e.Confidence),
		"evidence":        ev,
		"notes":           e.Notes,
		"sources":         src,
	}
	if e.Place.Unresolved != "" {
		r["unresolved"] = e.Place.Unresolved
	}
	return r
}

// fatalityRange fills in the range for events that never had one: a
// single-source event stores 0..0, which would read as "nobody died".
func fatalityRange(e event.Event) (low, high int) {
	low, high = e.FatalitiesLow, e.FatalitiesHigh
	if low == 0 && high == 0 {
		return e.Fatalities, e.Fatalities
	}
	return min(low, e.Fatalities), max(high, e.Fatalities)
}

func eventDate(e event.Event) string {
	if e.Date.IsZero() {
		return ""
	}
	return e.Date.Format("2006-01-02")
}

// marshalRecord encodes a record with its keys in contract order. HTML is
// escaped (the encoder's default) because records end up in web pages.
func marshalRecord(rec map[string]any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range recordKeys {
		v, ok := rec[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("record %s: %w", k, err)
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// WriteJSONL writes one contract record per line.
func WriteJSONL(w io.Writer, events []event.Event) error {
	bw := bufio.NewWriter(w)
	for _, e := range events {
		b, err := marshalRecord(Record(e))
		if err != nil {
			return fmt.Errorf("jsonl: event %s: %w", e.ID, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}

// WriteCSV writes events in ACLED's CSV layout, header first.
func WriteCSV(w io.Writer, events []event.Event) error {
	cw := newCSVStream(w)
	if err := cw.write(events); err != nil {
		return err
	}
	return cw.close()
}

// WriteGeoJSON writes events as a GeoJSON FeatureCollection of points whose
// properties are the contract records (without the coordinates, which are in
// the geometry). Events without coordinates get a null geometry, as GeoJSON
// allows, so no event silently disappears from an export.
func WriteGeoJSON(w io.Writer, events []event.Event) error {
	gw := newGeoJSONStream(w)
	if err := gw.write(events); err != nil {
		return err
	}
	return gw.close()
}

// csvStream writes ACLED CSV a page at a time so exports need not hold every
// event in memory.
type csvStream struct {
	w      *csv.Writer
	header bool
}

func newCSVStream(w io.Writer) *csvStream { return &csvStream{w: csv.NewWriter(w)} }

func (c *csvStream) write(events []event.Event) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVHeader); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	for _, e := range events {
		if err := c.w.Write(csvRow(e)); err != nil {
			return fmt.Errorf("csv: event %s: %w", e.ID, err)
		}
	}
	return nil
}

func (c *csvStream) close() error {
	if !c.header {
		if err := c.write(nil); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// csvRow follows ACLED: "source" names the outlets separated by "; ", year
// repeats the date's year, and empty actors leave empty cells.
func csvRow(e event.Event) []string {
	year := ""
	if !e.Date.IsZero() {
		year = strconv.Itoa(e.Date.Year())
	}
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return []string{
		e.ID, eventDate(e), year, strconv.Itoa(e.TimePrecision), e.EventType, e.SubEventType,
		e.Actor1.Name, e.Actor1.Assoc, itoa(e.Actor1.Inter),
		e.Actor2.Name, e.Actor2.Assoc, itoa(e.Actor2.Inter), strconv.Itoa(e.Interaction()),
		e.Place.Country, e.Place.Admin1, e.Place.Admin2, e.Place.Name,
		coord(e.Place.Lat), coord(e.Place.Lon), strconv.Itoa(e.Place.Precision),
		sourceNames(e), e.Notes, strconv.Itoa(e.Fatalities),
	}
}

// coord keeps ACLED's four decimals (about 10 m), more than geocoding supports.
func coord(f float64) string { return strconv.FormatFloat(finite(f), 'f', 4, 64) }

// finite maps NaN and infinities, which JSON cannot carry, to 0.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func sourceNames(e event.Event) string {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, s := range e.Sources {
		name := s.Outlet
		if name == "" {
			name = s.Doc
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
	}
	return b.String()
}

// geoJSONStream writes a FeatureCollection a page at a time.
type geoJSONStream struct {
	w     *bufio.Writer
	begun bool
	n     int
}

func newGeoJSONStream(w io.Writer) *geoJSONStream { return &geoJSONStream{w: bufio.NewWriter(w)} }

func (g *geoJSONStream) write(events []event.Event) error {
	if !g.begun {
		g.begun = true
		g.w.WriteString(`{"type":"FeatureCollection","features":[`)
	}
	for _, e := range events {
		b, err := geoJSONFeature(e)
		if err != nil {
			return fmt.Errorf("geojson: event %s: %w", e.ID, err)
		}
		if g.n > 0 {
			g.w.WriteByte(',')
		}
		g.w.WriteString("\n")
		g.w.Write(b)
		g.n++
	}
	return nil
}

func (g *geoJSONStream) close() error {
	if !g.begun {
		g.write(nil)
	}
	g.w.WriteString("\n]}\n")
	if err := g.w.Flush(); err != nil {
		return fmt.Errorf("geojson: %w", err)
	}
	return nil
}

func geoJSONFeature(e event.Event) ([]byte, error) {
	rec := Record(e)
	delete(rec, "latitude")
	delete(rec, "longitude")
	props, err := marshalRecord(rec)
	if err != nil {
		return nil, err
	}
	geom := "null"
	if e.Place.Known() && finite(e.Place.Lat) == e.Place.Lat && finite(e.Place.Lon) == e.Place.Lon {
		geom = `{"type":"Point","coordinates":[` + coord(e.Place.Lon) + `,` + coord(e.Place.Lat) + `]}`
	}
	id, _ := json.Marshal(e.ID)
	var b bytes.Buffer
	b.WriteString(`{"type":"Feature","id":`)
	b.Write(id)
	b.WriteString(`,"geometry":`)
	b.WriteString(geom)
	b.WriteString(`,"properties":`)
	b.Write(props)
	b.WriteByte('}')
	return b.Bytes(), nil
}
