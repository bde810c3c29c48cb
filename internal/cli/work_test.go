package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/source"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/postgres"
)

// pgSchema returns a URL for a fresh schema in the database named by
// SAHELWATCH_TEST_POSTGRES, dropped when the test ends; it skips without
// the variable.
func pgSchema(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("SAHELWATCH_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("SAHELWATCH_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	for _, ext := range []string{"unaccent", "postgis"} {
		conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS `+ext+` SCHEMA public`)
	}
	schema := fmt.Sprintf("swcli_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), dsn); err == nil {
			c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func devCorpus(tb testing.TB) string {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "dev", "reports.jsonl")
	if _, err := os.Stat(path); err != nil {
		tb.Skip("no ../shared/corpus/dev")
	}
	return path
}

func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), args, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("sahelwatch %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// comparable turns an export into a sorted list of events with what
// depends on timing removed: event IDs (derived from which report created
// the event) and the order of sources and evidence. Everything else —
// dates, types, actors, places, fatalities and their ranges, kinds,
// notes, every source and every evidence span — must be equal.
func comparable(t *testing.T, export string) []string {
	t.Helper()
	var out []string
	dec := json.NewDecoder(strings.NewReader(export))
	for dec.More() {
		var e map[string]any
		if err := dec.Decode(&e); err != nil {
			t.Fatal(err)
		}
		delete(e, "event_id")
		for _, k := range []string{"sources", "evidence"} {
			list, _ := e[k].([]any)
			var parts []string
			for _, x := range list {
				b, _ := json.Marshal(x)
				parts = append(parts, string(b))
			}
			slices.Sort(parts)
			e[k] = parts
		}
		b, _ := json.Marshal(e) // maps marshal with sorted keys
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

// Two workers taking jobs from a PostgreSQL queue store the same events
// as one worker ingesting into SQLite.
func TestPostgresTwoWorkersMatchSQLite(t *testing.T) {
	dsn := pgSchema(t)
	corpus := devCorpus(t)
	db := filepath.Join(t.TempDir(), "dev.db")
	runCLI(t, "ingest", "-q", "--workers", "1", "--db", db, "--input-format", "jsonl", corpus)
	want := comparable(t, runCLI(t, "export", "--db", db))

	runCLI(t, "migrate", "--db", dsn)
	runCLI(t, "queue", "--db", dsn, "--input-format", "jsonl", corpus)
	if out := runCLI(t, "work", "--db", dsn, "--workers", "2"); !strings.Contains(out, " 0 failed") {
		t.Errorf("work: %s", out)
	}
	got := comparable(t, runCLI(t, "export", "--db", dsn))
	if len(want) == 0 {
		t.Fatal("the SQLite run stored no events")
	}
	if !slices.Equal(got, want) {
		t.Errorf("PostgreSQL (2 workers) stored %d events, SQLite (1 worker) %d; first difference:", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf(" pg:     %.400s\n sqlite: %.400s", got[i], want[i])
				break
			}
		}
	}
	// A second queue run adds nothing: jobs are idempotent by content hash.
	if out := runCLI(t, "queue", "--db", dsn, "--input-format", "jsonl", corpus); !strings.Contains(out, " 0 queued") {
		t.Errorf("second queue: %s", out)
	}
}

func TestQueueRefusesSQLite(t *testing.T) {
	var out, errb bytes.Buffer
	db := filepath.Join(t.TempDir(), "x.db")
	code := Main(context.Background(), []string{"work", "--db", db}, strings.NewReader(""), &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "postgres://") {
		t.Errorf("work on SQLite: exit %d, %q", code, errb.String())
	}
	if code := Main(context.Background(), []string{"migrate", "--db", db}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Errorf("migrate on SQLite: exit %d, %s", code, errb.String())
	}
}

// BenchmarkPostgresIngestWorkers reports ingest throughput of the dev
// corpus from the job queue with 1, 2 and 4 workers (reports/s), cleaning
// and extraction included. Each iteration starts from an empty schema.
func BenchmarkPostgresIngestWorkers(b *testing.B) {
	corpus := devCorpus(b)
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	p, err := e.pipeline(dataFlags{})
	if err != nil {
		b.Fatal(err)
	}
	var reports []event.Report
	if err := source.Read(context.Background(), []string{corpus}, source.Options{Format: "jsonl"}, func(r event.Report, err error) error {
		if err == nil {
			reports = append(reports, r)
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		n       int
		ordered bool
	}{{1, true}, {2, true}, {4, true}, {2, false}, {4, false}} {
		n, ordered := tc.n, tc.ordered
		b.Run(fmt.Sprintf("workers=%d/ordered=%v", n, ordered), func(b *testing.B) {
			var done int
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				st, err := postgres.Open(context.Background(), pgSchema(b))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.Enqueue(context.Background(), slices.Clone(reports)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0 := time.Now()
				tot, err := work(context.Background(), p, st, st, workConfig{Name: "bench", Workers: n, Lease: time.Minute, Ordered: ordered,
					OnError: func(string, error) {}})
				elapsed += time.Since(t0)
				b.StopTimer()
				st.Close()
				if err != nil || tot.Failed > 0 {
					b.Fatalf("work: %+v, %v", tot, err)
				}
				done += tot.Done
				b.StartTimer()
			}
			b.ReportMetric(float64(done)/elapsed.Seconds(), "reports/s")
		})
	}
}

var _ store.Queue = (*postgres.Store)(nil)
