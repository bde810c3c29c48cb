package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store/internal/sqlstore"
)

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Column lists and event rows are shared with the PostgreSQL store.
const (
	eventCols      = sqlstore.EventCols
	eventWriteCols = sqlstore.EventWriteCols
	sourceCols     = sqlstore.SourceCols
	evidenceCols   = sqlstore.EvidenceCols
)

var eventWriteN = sqlstore.EventWriteN

func eventValues(e *event.Event) []any {
	return sqlstore.EventValues(e, func(s string) string { return s }, formatDate(e.Date))
}

// queryEvents runs a query selecting eventCols and loads each event's
// sources and evidence in two more queries, whatever the number of rows.
func queryEvents(ctx context.Context, q queryer, query string, args ...any) ([]event.Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	evs, err := sqlstore.ScanEvents(rows, parseDate)
	if err != nil {
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
	ids, byID := sqlstore.Children(evs)
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+sourceCols+`
		FROM event_sources WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(idsJSON))
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	if err := sqlstore.ScanSources(rows, byID); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT `+evidenceCols+`
		FROM evidence WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(idsJSON))
	if err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	if err := sqlstore.ScanEvidence(rows, byID); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}
