package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// memStore is an in-memory store.Store for handler tests. It filters the
// way the contract describes, closely enough for the API's purposes, and
// remembers the last filter it was asked for.
type memStore struct {
	mu        sync.Mutex
	events    []event.Event
	revisions map[string][]store.Revision
	reports   []event.Report
	failures  []string
	last      store.Filter
	err       error // returned by every read when set
}

var _ store.Store = (*memStore)(nil)

func (m *memStore) SaveReport(ctx context.Context, r *event.Report, evs []event.Event, _ store.Merger) (store.IngestResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reports = append(m.reports, *r)
	m.events = append(m.events, evs...)
	return store.IngestResult{ReportID: int64(len(m.reports)), Added: len(evs)}, nil
}

func (m *memStore) HasReport(ctx context.Context, hash string) (bool, error) { return false, nil }

func (m *memStore) RecordFailure(ctx context.Context, doc, url, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = append(m.failures, doc)
	return nil
}

func (m *memStore) match(f store.Filter, e event.Event) bool {
	fold := strings.ToLower
	switch {
	case !f.From.IsZero() && e.Date.Before(f.From),
		!f.To.IsZero() && e.Date.After(f.To),
		f.EventType != "" && e.EventType != f.EventType,
		f.Country != "" && e.Place.Country != f.Country,
		f.Admin1 != "" && e.Place.Admin1 != f.Admin1,
		f.Kind != "" && e.Kind != f.Kind,
		e.Fatalities < f.MinFatalities:
		return false
	}
	if f.Actor != "" && !strings.Contains(fold(e.Actor1.Name+"|"+e.Actor2.Name+"|"+e.Actor1.Assoc+"|"+e.Actor2.Assoc), fold(f.Actor)) {
		return false
	}
	if f.Query != "" && !strings.Contains(fold(e.Notes), fold(f.Query)) {
		return false
	}
	if b := f.BBox; b != nil && (e.Place.Lon < b[0] || e.Place.Lat < b[1] || e.Place.Lon > b[2] || e.Place.Lat > b[3]) {
		return false
	}
	return true
}

func (m *memStore) selected(f store.Filter) []event.Event {
	var out []event.Event
	for _, e := range m.events {
		if m.match(f, e) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b event.Event) int {
		switch f.Sort {
		case "-date":
			return a.Date.Compare(b.Date)
		case "fatalities":
			return b.Fatalities - a.Fatalities
		}
		return b.Date.Compare(a.Date)
	})
	return out
}

func (m *memStore) Events(ctx context.Context, f store.Filter) ([]event.Event, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last = f
	if m.err != nil {
		return nil, "", m.err
	}
	all := m.selected(f)
	off, _ := strconv.Atoi(f.Cursor)
	lim := f.Limit
	if lim == 0 {
		lim = 50
	}
	if off > len(all) {
		off = len(all)
	}
	end := min(off+lim, len(all))
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return slices.Clone(all[off:end]), next, nil
}

func (m *memStore) CountEvents(ctx context.Context, f store.Filter) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return 0, m.err
	}
	n := len(m.selected(f))
	if f.CountMax > 0 {
		n = min(n, f.CountMax)
	}
	return n, nil
}

func (m *memStore) Event(ctx context.Context, id string) (store.EventDetail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.events {
		if e.ID == id {
			return store.EventDetail{Event: e, Revisions: m.revisions[id]}, nil
		}
	}
	return store.EventDetail{}, store.ErrNotFound
}

func (m *memStore) Reports(ctx context.Context, limit int) ([]store.ReportInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.ReportInfo
	for i := len(m.reports) - 1; i >= 0 && len(out) < limit; i-- {
		r := m.reports[i]
		var ids []string
		for _, e := range m.events {
			if e.Doc == r.Doc {
				ids = append(ids, e.ID)
			}
		}
		out = append(out, store.ReportInfo{ID: int64(i + 1), Doc: r.Doc, URL: r.URL, Title: r.Title, Lang: r.Lang,
			Ingested: time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC), Status: "ok", EventIDs: ids})
	}
	return out, nil
}

func (m *memStore) Report(ctx context.Context, doc string) (event.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.reports {
		if r.Doc == doc {
			return r, nil
		}
	}
	return event.Report{}, store.ErrNotFound
}

// Unmerge keeps no merge records: every event is as it was saved.
func (m *memStore) Unmerge(ctx context.Context, id, doc string) (string, error) {
	return "", store.ErrNotFound
}

func (m *memStore) Close() error { return nil }
