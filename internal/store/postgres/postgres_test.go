package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/storetest"
)

// EnvDSN names the variable holding the test database's URL; the tests
// that need it skip without it.
const EnvDSN = "SAHELWATCH_TEST_POSTGRES"

var schemaSeq atomic.Int64

// TestDSN returns a URL for a fresh, empty schema in the test database,
// dropped when the test ends, or skips the test without EnvDSN.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		tb.Skip(EnvDSN + " is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	// Extensions live in public, shared by every test schema; creating them
	// may fail for want of privileges, and then the store falls back.
	for _, ext := range []string{"unaccent", "postgis"} {
		conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS `+ext+` SCHEMA public`)
	}
	schema := fmt.Sprintf("swtest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			tb.Errorf("drop schema: %v", err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func openTest(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), testDSN(tb))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestPostgresConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

func TestPostgresMigrateTwiceAndVersion(t *testing.T) {
	s := openTest(t)
	defer s.Close()
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	v, err := s.Version(ctx)
	if err != nil || v != SchemaVersion() {
		t.Errorf("Version = %d, %v; want %d", v, err, SchemaVersion())
	}
	if _, err := s.pool.Exec(ctx, `UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err == nil {
		t.Errorf("Migrate accepted a database from a newer build")
	}
}

func TestPostgresHostileText(t *testing.T) {
	s := openTest(t)
	defer s.Close()
	ctx := context.Background()
	body := "Clash near S\xe9gou\x00 with \xff\xfe bytes."
	r := &event.Report{Doc: "bad\x00doc", Text: body, Title: "\xc3"}
	e := event.Event{Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), Kind: event.Incident, Notes: "n\x00",
		Evidence: []event.Evidence{{Start: 0, End: len(body), Text: body}}}
	if _, err := s.SaveReport(ctx, r, []event.Event{e}, nil); err != nil {
		t.Fatalf("SaveReport: %v", err)
	}
	evs, _, err := s.Events(ctx, store.Filter{Query: "clash"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("Events = %v, %v", evs, err)
	}
	if got := evs[0].Evidence[0]; got.End-got.Start != len(got.Text) {
		t.Errorf("evidence offsets no longer fit its text: %+v", got)
	}
}

func TestPostgresQueue(t *testing.T) {
	s := openTest(t)
	defer s.Close()
	ctx := context.Background()
	reps := []event.Report{{Doc: "a", Raw: []byte("one")}, {Doc: "b", Raw: []byte("two")}, {Doc: "a-again", Raw: []byte("one")}}
	n, err := s.Enqueue(ctx, reps)
	if err != nil || n != 2 {
		t.Fatalf("Enqueue = %d, %v; want 2 (same content once)", n, err)
	}
	if n, _ := s.Enqueue(ctx, reps[:1]); n != 0 {
		t.Errorf("re-Enqueue added %d", n)
	}
	j1, err := s.Claim(ctx, "w1", 1, time.Minute)
	if err != nil || len(j1) != 1 || j1[0].Report.Doc != "a" || string(j1[0].Report.Raw) != "one" || j1[0].Attempts != 1 {
		t.Fatalf("Claim w1 = %+v, %v", j1, err)
	}
	j2, err := s.Claim(ctx, "w2", 5, time.Minute)
	if err != nil || len(j2) != 1 || j2[0].Report.Doc != "b" {
		t.Fatalf("Claim w2 = %+v, %v; want the other job only", j2, err)
	}
	if j, _ := s.Claim(ctx, "w3", 5, time.Minute); len(j) != 0 {
		t.Errorf("Claim with everything leased = %+v", j)
	}
	if err := s.Done(ctx, j1[0].ID, "w2"); err == nil {
		t.Errorf("Done by the wrong worker succeeded")
	}
	if err := s.Done(ctx, j1[0].ID, "w1"); err != nil {
		t.Fatal(err)
	}
	// w2's job fails with retry, then is claimed again.
	if err := s.Fail(ctx, j2[0].ID, "w2", "store down", true); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Claim(ctx, "w3", 5, time.Minute)
	if len(again) != 1 || again[0].ID != j2[0].ID || again[0].Attempts != 2 {
		t.Fatalf("Claim after retry = %+v", again)
	}
	// An expired lease frees the job for another worker.
	if _, err := s.pool.Exec(ctx, `UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = $1`, again[0].ID); err != nil {
		t.Fatal(err)
	}
	taken, _ := s.Claim(ctx, "w4", 5, time.Minute)
	if len(taken) != 1 || taken[0].ID != again[0].ID {
		t.Fatalf("Claim of an expired lease = %+v", taken)
	}
	if err := s.Done(ctx, again[0].ID, "w3"); err == nil {
		t.Errorf("Done by the worker whose lease expired succeeded")
	}
	if err := s.Fail(ctx, taken[0].ID, "w4", "bad input", false); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil || st != (store.QueueStats{Done: 1, Failed: 1}) {
		t.Errorf("Stats = %+v, %v", st, err)
	}
}
