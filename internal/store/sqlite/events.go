package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// eventCols are the events columns read by scanEvent, in order.
const eventCols = `id, doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

type scanner interface{ Scan(dest ...any) error }

func scanEvent(sc scanner) (event.Event, error) {
	var e event.Event
	var kind, date string
	err := sc.Scan(&e.ID, &e.Doc, &kind, &date, &e.TimePrecision, &e.EventType, &e.SubEventType,
		&e.Actor1.Name, &e.Actor1.Assoc, &e.Actor1.Inter, &e.Actor2.Name, &e.Actor2.Assoc, &e.Actor2.Inter,
		&e.Place.Country, &e.Place.Admin1, &e.Place.Admin2, &e.Place.Name, &e.Place.Mention, &e.Place.GeonameID,
		&e.Place.Lat, &e.Place.Lon, &e.Place.Precision, &e.Place.Unresolved,
		&e.Fatalities, &e.FatalitiesLow, &e.FatalitiesHigh, &e.Confidence, &e.Notes)
	e.Kind = event.Kind(kind)
	e.Date = parseDate(date)
	return e, err
}

// eventValues are the values written for an event, in the order of
// eventWriteCols.
const eventWriteCols = `doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, actors_folded,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

// eventWriteN is the number of eventWriteCols.
var eventWriteN = len(strings.Split(eventWriteCols, ","))

func eventValues(e *event.Event) []any {
	return []any{e.Doc, string(e.Kind), formatDate(e.Date), e.TimePrecision, e.EventType, e.SubEventType,
		e.Actor1.Name, e.Actor1.Assoc, e.Actor1.Inter, e.Actor2.Name, e.Actor2.Assoc, e.Actor2.Inter,
		foldActors(e),
		e.Place.Country, e.Place.Admin1, e.Place.Admin2, e.Place.Name, e.Place.Mention, e.Place.GeonameID,
		e.Place.Lat, e.Place.Lon, e.Place.Precision, e.Place.Unresolved,
		e.Fatalities, e.FatalitiesLow, e.FatalitiesHigh, e.Confidence, e.Notes}
}

// queryEvents runs a query selecting eventCols and loads each event's
// sources and evidence in two more queries, whatever the number of rows.
func queryEvents(ctx context.Context, q queryer, query string, args ...any) ([]event.Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := loadChildren(ctx, q, evs); err != nil {
		return nil, err
	}
	return evs, nil
}

// loadChildren fills Sources and Evidence for evs, passing the IDs as one
// JSON array parameter rather than one query per event.
func loadChildren(ctx context.Context, q queryer, evs []event.Event) error {
	if len(evs) == 0 {
		return nil
	}
	byID := make(map[string]*event.Event, len(evs))
	ids := make([]string, len(evs))
	for i := range evs {
		ids[i] = evs[i].ID
		byID[evs[i].ID] = &evs[i]
		evs[i].Sources = []event.Source{}
		evs[i].Evidence = []event.Evidence{}
	}
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT event_id, doc, url, outlet, published, excerpt, fatalities, copy_of
		FROM event_sources WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(idsJSON))
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s event.Source
		if err := rows.Scan(&id, &s.Doc, &s.URL, &s.Outlet, &s.Published, &s.Excerpt, &s.Fatalities, &s.CopyOf); err != nil {
			return fmt.Errorf("sources: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Sources = append(e.Sources, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT event_id, doc, start_pos, end_pos, text
		FROM evidence WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(idsJSON))
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ev event.Evidence
		if err := rows.Scan(&id, &ev.Doc, &ev.Start, &ev.End, &ev.Text); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Evidence = append(e.Evidence, ev)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}

// fold lower-cases s and strips its accents, so "Libération" and
// "liberation" compare equal in Filter.Actor.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// foldActors joins the folded actor names with a separator no query can
// contain, so a substring match never spans two names.
func foldActors(e *event.Event) string {
	return strings.Join([]string{fold(e.Actor1.Name), fold(e.Actor1.Assoc), fold(e.Actor2.Name), fold(e.Actor2.Assoc)}, "\x1f")
}
