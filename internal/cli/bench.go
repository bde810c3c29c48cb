package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
	"github.com/sahelwatch/sahelwatch/internal/synth"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "Time the whole pipeline on synthetic reports, into a fresh store; compare HTML cleaning with go-trafilatura alone.",
		usage:   "[--reports N] [--format text|json] [--workers N] [--seed N]",
		run:     runBench,
	})
}

// benchResult is what bench prints; the JSON field names are a contract
// for scripts that track speed over time.
type benchResult struct {
	Reports           int                `json:"reports"`
	HTMLReports       int                `json:"html_reports"`
	Events            int                `json:"events"`
	Failed            int                `json:"failed"`
	Workers           int                `json:"workers"`
	CPUs              int                `json:"cpus"`
	LoadSeconds       float64            `json:"load_seconds"`
	Seconds           float64            `json:"seconds"`
	ReportsPerSecond  float64            `json:"reports_per_second"`
	EventsPerSecond   float64            `json:"events_per_second"`
	PeakRSSMB         float64            `json:"peak_rss_mb"`
	PeakSource        string             `json:"peak_source"`
	Stages            map[string]float64 `json:"stages"` // share of stage time, 0..1
	StageSeconds      map[string]float64 `json:"stage_seconds"`
	HTML              htmlCompare        `json:"html"`
	LoadAverage       string             `json:"load_average,omitempty"`
	SyntheticMBytes   float64            `json:"synthetic_mb"`
	StoreBytes        int64              `json:"store_bytes"`
	GoMaxProcs        int                `json:"gomaxprocs"`
	GoVersion         string             `json:"go_version"`
	ReportsPerSecCPU1 float64            `json:"reports_per_second_per_cpu"`
}

// htmlCompare is our HTML cleaning against go-trafilatura alone on the
// same pages, one at a time on one goroutine.
type htmlCompare struct {
	Pages               int     `json:"pages"`
	CleanPagesPerSecond float64 `json:"clean_pages_per_second"`
	TrafilaturaPerSec   float64 `json:"trafilatura_pages_per_second"`
	// Ratio is our cleaning time over go-trafilatura's: what sahelwatch's
	// cleaning (pruning, block classification, dates, language) costs on
	// top of the extractor it wraps.
	Ratio float64 `json:"ratio"`
}

func runBench(e *env, args []string) int {
	c := commands["bench"]
	fs := e.flags(c)
	n := fs.Int("reports", 1000, "how many synthetic reports")
	format := fs.String("format", "text", "output: text or json")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "reports processed in parallel")
	seed := fs.Uint64("seed", 1, "seed of the synthetic reports")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (for go tool pprof)")
	var data dataFlags
	data.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if err := oneOf(*format, "text", "json"); err != nil || *n < 1 {
		if err == nil {
			err = fmt.Errorf("--reports must be at least 1")
		}
		fmt.Fprintf(e.stderr, "sahelwatch bench: %v\n", err)
		return exitUsage
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch bench: %v\n", err)
			return exitRuntime
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(e.stderr, "sahelwatch bench: %v\n", err)
			return exitRuntime
		}
		defer pprof.StopCPUProfile()
	}
	res, err := e.bench(*n, *workers, *seed, data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch bench: %v\n", err)
		return exitRuntime
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return exitRuntime
		}
		return exitOK
	}
	printBench(e.stdout, res)
	return exitOK
}

func (e *env) bench(n, workers int, seed uint64, data dataFlags) (*benchResult, error) {
	gen := synth.New(seed)
	reports := make([]event.Report, n)
	var size int
	var pages [][]byte
	for i := range reports {
		reports[i] = gen.Report(i)
		size += len(reports[i].Raw)
		if reports[i].Format == "html" {
			pages = append(pages, reports[i].Raw)
		}
	}
	dir, err := os.MkdirTemp("", "sahelwatch-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	t0 := time.Now()
	p, err := e.pipeline(data)
	if err != nil {
		return nil, err
	}
	load := time.Since(t0)
	db := filepath.Join(dir, "bench.db")
	st, err := sqlite.Open(e.ctx, db)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	items := make(chan pipeline.Item, workers*2)
	go func() {
		defer close(items)
		for _, r := range reports {
			select {
			case items <- pipeline.Item{Report: r}:
			case <-e.ctx.Done():
				return
			}
		}
	}()
	start := time.Now()
	tot, err := p.Run(e.ctx, st, items, workers, nil)
	elapsed := time.Since(start)
	if err != nil {
		return nil, err
	}
	cl, ex, sto := p.Timings()
	res := &benchResult{
		Reports: n, HTMLReports: len(pages), Events: tot.Events, Failed: tot.Failed,
		Workers: workers, CPUs: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
		LoadSeconds: load.Seconds(), Seconds: elapsed.Seconds(),
		ReportsPerSecond: float64(tot.Done) / elapsed.Seconds(),
		EventsPerSecond:  float64(tot.Events) / elapsed.Seconds(),
		SyntheticMBytes:  float64(size) / (1 << 20),
		StageSeconds:     map[string]float64{"clean": cl.Seconds(), "extract": ex.Seconds(), "store": sto.Seconds()},
		Stages:           map[string]float64{},
		LoadAverage:      machineLoad(),
	}
	res.ReportsPerSecCPU1 = res.ReportsPerSecond / float64(min(workers, res.CPUs))
	if sum := cl + ex + sto; sum > 0 {
		for k, v := range res.StageSeconds {
			res.Stages[k] = v / sum.Seconds()
		}
	}
	st.Close()
	if fi, err := os.Stat(db); err == nil {
		res.StoreBytes = fi.Size()
	}
	res.HTML, err = e.compareHTML(p, pages)
	if err != nil {
		return nil, err
	}
	res.PeakRSSMB, res.PeakSource = peakMemoryMB()
	return res, nil
}

// compareHTML times our cleaner and go-trafilatura alone on the same pages.
func (e *env) compareHTML(p *pipeline.Pipeline, pages [][]byte) (htmlCompare, error) {
	hc := htmlCompare{Pages: len(pages)}
	if len(pages) == 0 {
		return hc, nil
	}
	t0 := time.Now()
	for i, raw := range pages {
		r := &event.Report{Doc: "page-" + strconv.Itoa(i), Raw: raw, Format: "html"}
		// A page judged all boilerplate is a result, not a failure of the run.
		_ = p.Cleaner.Clean(e.ctx, r)
	}
	ours := time.Since(t0)
	opts := trafilatura.Options{Focus: trafilatura.Balanced, ExcludeComments: true, EnableFallback: true}
	t0 = time.Now()
	for _, raw := range pages {
		_, _ = trafilatura.Extract(bytes.NewReader(raw), opts)
	}
	theirs := time.Since(t0)
	hc.CleanPagesPerSecond = float64(len(pages)) / ours.Seconds()
	hc.TrafilaturaPerSec = float64(len(pages)) / theirs.Seconds()
	hc.Ratio = ours.Seconds() / theirs.Seconds()
	return hc, nil
}

// peakMemoryMB is the process's peak resident set (VmHWM) on Linux, and
// otherwise the Go runtime's view of memory obtained from the system,
// which undercounts what is not Go heap.
func peakMemoryMB() (float64, string) {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				fs := strings.Fields(rest)
				if kb, err := strconv.ParseFloat(fs[0], 64); err == nil && len(fs) > 0 {
					return kb / 1024, "VmHWM"
				}
			}
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.Sys) / (1 << 20), "runtime.MemStats.Sys"
}

// machineLoad is the 1, 5 and 15 minute load on Linux, so that a figure
// taken on a busy machine says so.
func machineLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func printBench(w io.Writer, r *benchResult) {
	fmt.Fprintf(w, "sahelwatch bench: %d synthetic reports (%d HTML, %.1f MB), %d workers on %d CPUs, load %s\n",
		r.Reports, r.HTMLReports, r.SyntheticMBytes, r.Workers, r.CPUs, r.LoadAverage)
	fmt.Fprintf(w, "  load gazetteer, actors, lexicon  %.2f s\n", r.LoadSeconds)
	fmt.Fprintf(w, "  end to end                       %.2f s: %.1f reports/s, %.1f events/s (%d events, %d failed)\n",
		r.Seconds, r.ReportsPerSecond, r.EventsPerSecond, r.Events, r.Failed)
	fmt.Fprintf(w, "  stage shares                     clean %.0f%%, extract %.0f%%, store %.0f%%\n",
		100*r.Stages["clean"], 100*r.Stages["extract"], 100*r.Stages["store"])
	fmt.Fprintf(w, "  peak memory                      %.0f MB (%s)\n", r.PeakRSSMB, r.PeakSource)
	if r.HTML.Pages > 0 {
		fmt.Fprintf(w, "  HTML, one goroutine              clean %.1f pages/s, go-trafilatura alone %.1f pages/s, ratio %.2f\n",
			r.HTML.CleanPagesPerSecond, r.HTML.TrafilaturaPerSec, r.HTML.Ratio)
	}
}
