package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "benchapi",
		summary: "Build a store of synthetic events and measure GET /api/v1/events under load on loopback.",
		usage:   "[--events 100000] [--duration 5s] [--concurrency NCPU] [--limit 100] [--db PATH]",
		run:     runBenchAPI,
	})
}

func runBenchAPI(e *env, args []string) int {
	c := commands["benchapi"]
	fs := e.flags(c)
	n := fs.Int("events", 100000, "synthetic events to store (when the store is empty)")
	dur := fs.Duration("duration", 5*time.Second, "how long each filter mix runs")
	// One client per CPU by default: the generator is closed-loop, so
	// more clients than cores measure the queue in front of the server,
	// not the server (latency grows with the clients, requests/s does
	// not). Larger values show that saturation.
	conc := fs.Int("concurrency", runtime.GOMAXPROCS(0), "requests in flight at once (default: one per CPU)")
	limit := fs.Int("limit", 0, "page size asked for (0: the API's default of 100)")
	db := fs.String("db", "", "store file; kept and reused when given (default: a temporary file, removed at the end)")
	seed := fs.Uint64("seed", 1, "seed for the synthetic events and the queries")
	mixes := fs.String("mix", "", "comma-separated mixes to run (default: all)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load phase to this file")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *n < 1 || *conc < 1 || *dur <= 0 || *limit < 0 || *limit > 1000 {
		fmt.Fprintln(e.stderr, "sahelwatch benchapi: --events, --concurrency and --duration must be positive, --limit 0..1000")
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "sahelwatch benchapi: %v\n", err)
		return exitRuntime
	}
	if *db == "" {
		dir, err := os.MkdirTemp("", "sahelwatch-bench-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(dir)
		*db = filepath.Join(dir, "bench.db")
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		return fail(err)
	}
	defer st.Close()

	have, err := st.CountEvents(e.ctx, store.Filter{})
	if err != nil {
		return fail(err)
	}
	if have == 0 {
		t0 := time.Now()
		if err := buildSynthetic(e.ctx, st, *n, *seed); err != nil {
			return fail(err)
		}
		// As after any bulk load: give the planner statistics before serving.
		if o, ok := st.(interface{ Optimize(context.Context) error }); ok {
			if err := o.Optimize(e.ctx); err != nil {
				return fail(err)
			}
		}
		d := time.Since(t0)
		fmt.Fprintf(e.stdout, "stored %d synthetic events in %s (%.0f events/s) into %s\n",
			*n, d.Round(time.Millisecond), float64(*n)/d.Seconds(), *db)
	} else {
		fmt.Fprintf(e.stdout, "using the %d events already in %s\n", have, *db)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	ctx, stop := context.WithCancel(e.ctx)
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, ln, server.New(st, server.Options{}).Handler()) }()
	defer func() {
		stop()
		<-served
	}()

	base := "http://" + ln.Addr().String() + "/api/v1/events"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, DisableCompression: true}, Timeout: 30 * time.Second}
	fmt.Fprintf(e.stdout, "GET /api/v1/events: %d clients, %s per mix, page size %s, %d CPUs%s\n\n",
		*conc, *dur, pageSize(*limit), runtime.NumCPU(), loadAverage())
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mix\trequests\treq/s\tp50 ms\tp99 ms\tmax ms\terrors\t")
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	worst := time.Duration(0)
	for _, m := range benchMixes() {
		if *mixes != "" && !slices.Contains(strings.Split(*mixes, ","), m.name) {
			continue
		}
		r, err := loadMix(ctx, client, base, m, *limit, *conc, *dur, *seed)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t\n", m.name, r.n, float64(r.n)/r.elapsed.Seconds(),
			ms(r.p50), ms(r.p99), ms(r.max), r.errors)
		worst = max(worst, r.p99)
		if r.errors > 0 {
			fmt.Fprintf(e.stderr, "sahelwatch benchapi: %s: %d errors, first: %v\n", m.name, r.errors, r.firstErr)
		}
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\nworst p99: %.1f ms\n", ms(worst))
	return exitOK
}

// loadAverage is the machine's load while the benchmark starts, when the
// system tells it: figures taken on a busy machine are not comparable.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return ", load average " + strings.Join(f[:3], " ")
	}
	return ""
}

func pageSize(limit int) string {
	if limit == 0 {
		return "default"
	}
	return strconv.Itoa(limit)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchMix names a family of queries; each call of query draws one.
type benchMix struct {
	name  string
	query func(r *rand.Rand) url.Values
}

var benchStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

const benchDays = 730

func benchMixes() []benchMix {
	dateRange := func(r *rand.Rand, v url.Values) {
		from := benchStart.AddDate(0, 0, r.IntN(benchDays-90))
		v.Set("from", from.Format("2006-01-02"))
		v.Set("to", from.AddDate(0, 0, 7+r.IntN(84)).Format("2006-01-02"))
	}
	typ := func(r *rand.Rand, v url.Values) { v.Set("type", synthTypes[r.IntN(len(synthTypes))].name) }
	bbox := func(r *rand.Rand, v url.Values) {
		p := synthPlaces[r.IntN(len(synthPlaces))]
		h := 0.5 + r.Float64()*1.5 // half a degree to two degrees around a place
		v.Set("bbox", fmt.Sprintf("%.3f,%.3f,%.3f,%.3f", p.lon-h, p.lat-h, p.lon+h, p.lat+h))
	}
	q := func(r *rand.Rand, v url.Values) { v.Set("q", synthQueries[r.IntN(len(synthQueries))]) }
	fatal := func(r *rand.Rand, v url.Values) {
		v.Set("min_fatalities", strconv.Itoa([]int{1, 5, 10, 20, 50}[r.IntN(5)]))
	}
	country := func(r *rand.Rand, v url.Values) {
		v.Set("country", []string{"Mali", "Burkina Faso", "Niger"}[r.IntN(3)])
	}
	kind := func(r *rand.Rand, v url.Values) { v.Set("kind", "incident") }
	one := func(f func(*rand.Rand, url.Values)) func(*rand.Rand) url.Values {
		return func(r *rand.Rand) url.Values { v := url.Values{}; f(r, v); return v }
	}
	parts := []func(*rand.Rand, url.Values){dateRange, typ, bbox, q, fatal, country, kind}
	return []benchMix{
		{"none", func(*rand.Rand) url.Values { return url.Values{} }},
		{"date range", one(dateRange)},
		{"type", one(typ)},
		{"bbox", one(bbox)},
		{"q", one(q)},
		{"min_fatalities", one(fatal)},
		{"sort=fatalities", func(r *rand.Rand) url.Values {
			v := url.Values{}
			fatal(r, v)
			v.Set("sort", "fatalities")
			return v
		}},
		{"mixed", func(r *rand.Rand) url.Values {
			// Two to four filters at once, as an analyst narrows down.
			v := url.Values{}
			for _, i := range r.Perm(len(parts))[:2+r.IntN(3)] {
				parts[i](r, v)
			}
			if r.IntN(4) == 0 {
				v.Set("sort", "-date")
			}
			return v
		}},
	}
}

type mixResult struct {
	n, errors     int
	elapsed       time.Duration
	p50, p99, max time.Duration
	firstErr      error
}

// loadMix runs conc clients, each sending queries of mix m one after the
// other, for d, and returns the latency distribution.
func loadMix(ctx context.Context, client *http.Client, base string, m benchMix, limit, conc int, d time.Duration, seed uint64) (mixResult, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var res mixResult
	var lat []time.Duration
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)+1))
			var mine []time.Duration
			errs := 0
			var first error
			for ctx.Err() == nil {
				v := m.query(r)
				if limit > 0 {
					v.Set("limit", strconv.Itoa(limit))
				}
				u := base
				if len(v) > 0 {
					u += "?" + v.Encode()
				}
				start := time.Now()
				err := get(ctx, client, u)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not a sample
				}
				mine = append(mine, time.Since(start))
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			res.errors += errs
			if res.firstErr == nil {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(t0)
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return res, err
	}
	res.n = len(lat)
	if res.n == 0 {
		return res, fmt.Errorf("%s: no request completed in %s", m.name, d)
	}
	slices.Sort(lat)
	res.p50 = lat[res.n/2]
	res.p99 = lat[min(res.n-1, int(math.Ceil(float64(res.n)*0.99))-1)]
	res.max = lat[res.n-1]
	return res, nil
}

func get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Read the whole body: encoding it is part of the cost measured.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", u, resp.StatusCode)
	}
	return nil
}

// The synthetic store. Places are real towns of the three countries with
// their regions as ACLED spells them; events scatter up to ~25 km around
// them, over two years, with ACLED's type mix and a long-tailed fatality
// count. The values are benchmark fixtures, not gazetteer data.
var synthPlaces = []struct {
	name, country, admin1 string
	lat, lon              float64
}{
	{"Ségou", "Mali", "Segou", 13.43, -6.26}, {"Niono", "Mali", "Segou", 14.25, -5.99},
	{"Mopti", "Mali", "Mopti", 14.49, -4.20}, {"Bandiagara", "Mali", "Mopti", 14.35, -3.61},
	{"Djenné", "Mali", "Mopti", 13.91, -4.55}, {"Douentza", "Mali", "Mopti", 15.00, -2.95},
	{"Tombouctou", "Mali", "Tombouctou", 16.77, -3.01}, {"Léré", "Mali", "Tombouctou", 15.72, -4.91},
	{"Gao", "Mali", "Gao", 16.27, -0.04}, {"Ansongo", "Mali", "Gao", 15.66, 0.50},
	{"Ménaka", "Mali", "Menaka", 15.92, 2.40}, {"Kidal", "Mali", "Kidal", 18.44, 1.41},
	{"Kayes", "Mali", "Kayes", 14.45, -11.44}, {"Nioro du Sahel", "Mali", "Kayes", 15.23, -9.59},
	{"Koulikoro", "Mali", "Koulikoro", 12.86, -7.56}, {"Sikasso", "Mali", "Sikasso", 11.32, -5.67},
	{"Djibo", "Burkina Faso", "Sahel", 14.10, -1.63}, {"Dori", "Burkina Faso", "Sahel", 14.03, -0.03},
	{"Arbinda", "Burkina Faso", "Sahel", 14.23, -0.87}, {"Gorom-Gorom", "Burkina Faso", "Sahel", 14.44, -0.24},
	{"Kaya", "Burkina Faso", "Centre-Nord", 13.09, -1.08}, {"Fada N'Gourma", "Burkina Faso", "Est", 12.06, 0.36},
	{"Diapaga", "Burkina Faso", "Est", 12.07, 1.79}, {"Ouahigouya", "Burkina Faso", "Nord", 13.58, -2.42},
	{"Dédougou", "Burkina Faso", "Boucle du Mouhoun", 12.46, -3.46}, {"Tougan", "Burkina Faso", "Boucle du Mouhoun", 13.07, -3.07},
	{"Ouagadougou", "Burkina Faso", "Centre", 12.37, -1.53}, {"Barsalogho", "Burkina Faso", "Centre-Nord", 13.42, -1.06},
	{"Tillabéri", "Niger", "Tillaberi", 14.21, 1.45}, {"Ayorou", "Niger", "Tillaberi", 14.73, 0.92},
	{"Téra", "Niger", "Tillaberi", 14.01, 0.75}, {"Ouallam", "Niger", "Tillaberi", 14.32, 2.09},
	{"Tahoua", "Niger", "Tahoua", 14.89, 5.27}, {"Diffa", "Niger", "Diffa", 13.32, 12.61},
	{"Niamey", "Niger", "Niamey", 13.51, 2.11}, {"Maradi", "Niger", "Maradi", 13.50, 7.10},
}

var synthTypes = []struct {
	name, sub string
	weight    int
}{
	{"Battles", "Armed clash", 35}, {"Violence against civilians", "Attack", 30},
	{"Explosions/Remote violence", "Remote explosive/landmine/IED", 15}, {"Strategic developments", "Looting/property destruction", 10},
	{"Protests", "Peaceful protest", 7}, {"Riots", "Violent demonstration", 3},
}

var synthActors = []struct {
	name  string
	inter int
}{
	{"JNIM: Group for Support of Islam and Muslims", 2}, {"Islamic State (Sahel)", 2},
	{"Military Forces of Mali (2021-)", 1}, {"Military Forces of Burkina Faso (2022-)", 1},
	{"Military Forces of Niger (2023-)", 1}, {"Wagner Group", 8}, {"VDP: Volunteers for the Defense of the Homeland", 3},
	{"Dozo Communal Militia (Mali)", 4}, {"Fulani Ethnic Militia (Mali)", 4}, {"CSP-DPA: Strategic Framework for the Defense of the People of Azawad", 2},
}

// synthQueries are what q asks for: place names as typed without accents,
// actor words, and French and English event words.
var synthQueries = []string{"segou", "menaka", "djibo", "dedougou", "tillaberi", "jnim", "wagner", "embuscade", "ambush", "drone", "attaque", "mine", "civils", "convoy"}

var synthSentences = []string{
	"Armed men attacked %s near %s on %s, and %d people were killed.",
	"Des hommes armés ont attaqué %s près de %s le %s ; le bilan fait état de %d morts.",
	"An ambush by %s on the road to %s on %s left %d dead.",
	"Une embuscade de %s sur l'axe menant à %s le %s a fait %d victimes.",
	"A drone strike blamed on %s hit a market near %s on %s; %d civilians died.",
	"Un convoi de %s a sauté sur une mine près de %s le %s : %d tués.",
}

// buildSynthetic stores n synthetic events, one report per 500 events so
// each SaveReport transaction amortises its commit.
func buildSynthetic(ctx context.Context, st store.Store, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0))
	totalWeight := 0
	for _, t := range synthTypes {
		totalWeight += t.weight
	}
	const perReport = 500
	for first := 0; first < n; first += perReport {
		k := min(perReport, n-first)
		var text strings.Builder
		evs := make([]event.Event, k)
		for i := range evs {
			p := synthPlaces[r.IntN(len(synthPlaces))]
			w := r.IntN(totalWeight)
			ti := 0
			for ; w >= synthTypes[ti].weight; ti++ {
				w -= synthTypes[ti].weight
			}
			typ := synthTypes[ti]
			a1 := synthActors[r.IntN(len(synthActors))]
			a2 := synthActors[r.IntN(len(synthActors))]
			date := benchStart.AddDate(0, 0, r.IntN(benchDays))
			fatal := 0
			if typ.name != "Protests" && r.IntN(3) > 0 {
				fatal = int(r.ExpFloat64() * 8) // most small, a few in the hundreds
			}
			kind := event.Incident
			switch r.IntN(20) {
			case 0:
				kind = event.Aggregate
			case 1:
				kind = event.Situation
			case 2:
				kind = event.Background
			}
			s := fmt.Sprintf(synthSentences[r.IntN(len(synthSentences))], a1.name, p.name, date.Format("2 January 2006"), fatal) + " "
			start := text.Len()
			text.WriteString(s)
			evs[i] = event.Event{
				ID:   fmt.Sprintf("BENCH%07d", first+i),
				Date: date, TimePrecision: 1 + r.IntN(2), Kind: kind,
				EventType: typ.name, SubEventType: typ.sub,
				Actor1: event.Actor{Name: a1.name, Inter: a1.inter}, Actor2: event.Actor{Name: a2.name, Inter: a2.inter},
				Place: event.Place{Name: p.name, Country: p.country, Admin1: p.admin1,
					Lat: p.lat + (r.Float64()-0.5)*0.45, Lon: p.lon + (r.Float64()-0.5)*0.45, Precision: 1 + r.IntN(3)},
				Fatalities: fatal, FatalitiesLow: fatal, FatalitiesHigh: fatal, Confidence: 0.5 + r.Float64()/2,
				Notes:    fmt.Sprintf("On %s, %s (%s) in %s (%s, %s); %d fatalities.", date.Format("2 January 2006"), a1.name, strings.ToLower(typ.sub), p.name, p.admin1, p.country, fatal),
				Evidence: []event.Evidence{{Start: start, End: start + len(s) - 1, Text: s[:len(s)-1]}},
			}
		}
		rep := &event.Report{Doc: fmt.Sprintf("synthetic/%06d.txt", first/perReport), URL: fmt.Sprintf("https://news.example.org/synthetic/%d", first/perReport),
			Outlet: "example.org", Title: "Synthetic report", Lang: "en", Format: "text", Text: text.String(),
			Published: benchStart.AddDate(0, 0, benchDays), DateSource: "input"}
		if _, err := st.SaveReport(ctx, rep, evs, nil); err != nil {
			return fmt.Errorf("synthetic report %d: %w", first/perReport, err)
		}
	}
	return nil
}
