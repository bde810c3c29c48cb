package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// querier is what the pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// eventCols are the events columns read by scanEvent, in order.
const eventCols = `id, doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

func scanEvent(row pgx.Row) (event.Event, error) {
	var e event.Event
	var kind string
	var date time.Time
	err := row.Scan(&e.ID, &e.Doc, &kind, &date, &e.TimePrecision, &e.EventType, &e.SubEventType,
		&e.Actor1.Name, &e.Actor1.Assoc, &e.Actor1.Inter, &e.Actor2.Name, &e.Actor2.Assoc, &e.Actor2.Inter,
		&e.Place.Country, &e.Place.Admin1, &e.Place.Admin2, &e.Place.Name, &e.Place.Mention, &e.Place.GeonameID,
		&e.Place.Lat, &e.Place.Lon, &e.Place.Precision, &e.Place.Unresolved,
		&e.Fatalities, &e.FatalitiesLow, &e.FatalitiesHigh, &e.Confidence, &e.Notes)
	e.Kind = event.Kind(kind)
	e.Date = fromDate(date)
	return e, err
}

// eventWriteCols are the columns eventValues fills, in order.
const eventWriteCols = `doc, kind, event_date, time_precision, event_type, sub_event_type,
	actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, actors_folded,
	country, admin1, admin2, location, mention, geonameid, latitude, longitude, geo_precision, unresolved,
	fatalities, fatalities_low, fatalities_high, confidence, notes`

var eventWriteN = len(strings.Split(eventWriteCols, ","))

func eventValues(e *event.Event) []any {
	return []any{text(e.Doc), text(string(e.Kind)), toDate(e.Date), e.TimePrecision, text(e.EventType), text(e.SubEventType),
		text(e.Actor1.Name), text(e.Actor1.Assoc), e.Actor1.Inter, text(e.Actor2.Name), text(e.Actor2.Assoc), e.Actor2.Inter,
		text(foldActors(e)),
		text(e.Place.Country), text(e.Place.Admin1), text(e.Place.Admin2), text(e.Place.Name), text(e.Place.Mention), e.Place.GeonameID,
		e.Place.Lat, e.Place.Lon, e.Place.Precision, text(e.Place.Unresolved),
		e.Fatalities, e.FatalitiesLow, e.FatalitiesHigh, e.Confidence, text(e.Notes)}
}

// toDate is an event date as stored: the day in UTC; the zero time is
// 0001-01-01, which sorts first as SQLite's ” does.
func toDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func fromDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateString formats an event date for cursors.
func dateString(t time.Time) string { return toDate(t).Format("2006-01-02") }

// queryEvents runs a query selecting eventCols and loads the events'
// sources and evidence in two more queries, whatever the number of rows.
func queryEvents(ctx context.Context, q querier, sql string, args ...any) ([]event.Event, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	var evs []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadChildren(ctx, q, evs); err != nil {
		return nil, err
	}
	return evs, nil
}

func loadChildren(ctx context.Context, q querier, evs []event.Event) error {
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
	rows, err := q.Query(ctx, `SELECT event_id, doc, url, outlet, published, excerpt, fatalities, copy_of
		FROM event_sources WHERE event_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	for rows.Next() {
		var id string
		var s event.Source
		if err := rows.Scan(&id, &s.Doc, &s.URL, &s.Outlet, &s.Published, &s.Excerpt, &s.Fatalities, &s.CopyOf); err != nil {
			rows.Close()
			return fmt.Errorf("sources: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Sources = append(e.Sources, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT event_id, doc, start_pos, end_pos, text
		FROM evidence WHERE event_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	for rows.Next() {
		var id string
		var ev event.Evidence
		if err := rows.Scan(&id, &ev.Doc, &ev.Start, &ev.End, &ev.Text); err != nil {
			rows.Close()
			return fmt.Errorf("evidence: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Evidence = append(e.Evidence, ev)
		}
	}
	rows.Close()
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

func parseDay(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }
