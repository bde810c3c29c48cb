package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// querier is what the pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Column lists and event rows are shared with the SQLite store.
const (
	eventCols      = sqlstore.EventCols
	eventWriteCols = sqlstore.EventWriteCols
	sourceCols     = sqlstore.SourceCols
	evidenceCols   = sqlstore.EvidenceCols
)

func eventValues(e *event.Event) []any { return sqlstore.EventValues(e, text, toDate(e.Date)) }

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
	evs, err := sqlstore.ScanEvents(rows, fromDate)
	rows.Close()
	if err != nil {
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
	ids, byID := sqlstore.Children(evs)
	rows, err := q.Query(ctx, `SELECT `+sourceCols+`
		FROM event_sources WHERE event_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	err = sqlstore.ScanSources(rows, byID)
	rows.Close()
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT `+evidenceCols+`
		FROM evidence WHERE event_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	err = sqlstore.ScanEvidence(rows, byID)
	rows.Close()
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}
