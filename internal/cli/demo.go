package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/sahelwatch/sahelwatch/examples"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "Ingest the bundled example reports into a fresh store and serve the dashboard over them.",
		usage:   "[--addr 127.0.0.1:8080] [--db PATH] [--no-serve]",
		run:     runDemo,
	})
}

func runDemo(e *env, args []string) int {
	c := commands["demo"]
	fs := e.flags(c)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on (another free port is used if this one is taken)")
	db := fs.String("db", "", "store file (default: a fresh file in the user cache directory)")
	noServe := fs.Bool("no-serve", false, "ingest and print the summary, then exit")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	addrSet := false
	fs.Visit(func(f *flag.Flag) { addrSet = addrSet || f.Name == "addr" })
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "sahelwatch demo: %v\n", err)
		return exitRuntime
	}
	dir, err := demoDir()
	if err != nil {
		return fail(err)
	}
	if *db == "" {
		*db = filepath.Join(dir, "demo.db")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(*db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fail(err)
			}
		}
	}
	inputs, err := unpackExamples(filepath.Join(dir, "examples"))
	if err != nil {
		return fail(err)
	}
	p, err := e.pipeline(dataFlags{})
	if err != nil {
		return fail(err)
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	tot, err := e.ingest(p, st, inputs, "", "", 2, false)
	if err != nil {
		return fail(err)
	}
	if err := summarise(e.ctx, e, st, tot.Done, *db); err != nil {
		return fail(err)
	}
	if *noServe {
		return exitOK
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil && !addrSet && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "\nDashboard: http://%s/   (Ctrl-C to stop)\n", ln.Addr())
	if err := e.serve(ln, st, p, "", ""); err != nil {
		return fail(err)
	}
	return exitOK
}

// demoDir is where the demo keeps its store and unpacked examples.
func demoDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "sahelwatch")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	return dir, nil
}

// unpackExamples writes the embedded examples to dir (fresh) and returns
// their paths, so they go through the same readers as a user's files.
func unpackExamples(dir string) ([]string, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	err := fs.WalkDir(examples.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := examples.FS.ReadFile(path)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
		paths = append(paths, out)
		return nil
	})
	sort.Strings(paths)
	return paths, err
}

// summarise prints one paragraph on what the store holds.
func summarise(ctx context.Context, e *env, st store.Store, reports int, db string) error {
	evs, err := allEvents(ctx, st, store.Filter{Sort: "-date"})
	if err != nil {
		return err
	}
	kinds := map[event.Kind]int{}
	types := map[string]int{}
	regions := map[string]int{}
	deaths, multi := 0, 0
	var worst event.Event
	for _, ev := range evs {
		kinds[ev.Kind]++
		if ev.Kind != event.Incident {
			continue
		}
		types[ev.EventType]++
		if ev.Place.Admin1 != "" {
			regions[ev.Place.Admin1+" ("+ev.Place.Country+")"]++
		}
		deaths += ev.Fatalities
		if ev.SourceCount() > 1 {
			multi++
		}
		if ev.Fatalities > worst.Fatalities {
			worst = ev
		}
	}
	fmt.Fprintf(e.stdout, "sahelwatch demo: %d example reports into %s.\n\n", reports, db)
	fmt.Fprintf(e.stdout, "Found %d incidents (%s) with %d reported deaths in all, %d of them confirmed by more than one report; "+
		"plus %d aggregate counts, %d ongoing situations (blockades, sieges) and %d background mentions kept apart from the incidents. "+
		"Most incidents were in %s.",
		kinds[event.Incident], top(types, 3), deaths, multi, kinds[event.Aggregate], kinds[event.Situation], kinds[event.Background], top(regions, 3))
	if worst.Fatalities > 0 {
		fmt.Fprintf(e.stdout, " The deadliest: %s", worst.Notes)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// top names the n most frequent keys with their counts.
func top(m map[string]int, n int) string {
	type kv struct {
		k string
		v int
	}
	var xs []kv
	for k, v := range m {
		xs = append(xs, kv{k, v})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].v > xs[j].v || xs[i].v == xs[j].v && xs[i].k < xs[j].k })
	var parts []string
	for i, x := range xs {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", x.k, x.v))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
