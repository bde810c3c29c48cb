package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

// Options configure a Server. The zero value serves a read-only API.
type Options struct {
	// Token is the bearer token write endpoints require. Empty refuses all writes.
	Token string
	// Logger receives request errors and, at debug level, every request. Nil discards.
	Logger *slog.Logger
	// TileURL is an optional online tile layer ("https://{s}.tile.example.org/{z}/{x}/{y}.png")
	// the dashboard shows over its offline basemap; its host is added to the CSP.
	TileURL string
	// TileAttribution is shown with the tile layer, as most tile licences require.
	TileAttribution string
	// Submit ingests one report posted to POST /api/v1/reports (the CLI wires
	// it to the pipeline). The document name the client gave, if any, is in
	// DocFromContext(ctx). Nil answers 501. The server counts successes and
	// failures in its metrics, so Submit should not.
	Submit func(ctx context.Context, text, url string) (store.IngestResult, error)
	// Extra mounts handlers that live in other packages (the analysis
	// package's alerts, situations and briefs) by ServeMux pattern, so the
	// server does not depend on them.
	Extra map[string]http.Handler
}

// Server serves the API and dashboard over one store.
type Server struct {
	st   store.Store
	opts Options
	log  *slog.Logger
	mtr  *Metrics
	csp  string
	mux  *http.ServeMux
}

// New returns a Server reading from st.
func New(st store.Store, opts Options) *Server {
	s := &Server{st: st, opts: opts, log: opts.Logger, mtr: newMetrics()}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.csp = contentSecurityPolicy(opts.TileURL)
	s.mux = s.routes()
	return s
}

// Metrics returns the server's counters, which the CLI may increment for
// reports ingested outside HTTP (folders, feeds).
func (s *Server) Metrics() *Metrics { return s.mtr }

// Handler returns the server's handler: routes wrapped in panic recovery,
// security headers, request metrics and debug logging.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h := rec.Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				if !rec.wrote {
					jsonError(rec, http.StatusInternalServerError, "internal error")
				}
			}
			// r.Pattern is set by the mux on this same request; an
			// unmatched path has none, which keeps label values bounded.
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.mtr.observe(route, rec.status, d)
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "dur", d)
		}()
		s.mux.ServeHTTP(rec, r)
	})
}

// statusRecorder remembers the status code for metrics and logs.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// contentSecurityPolicy allows only our own origin, plus the tile host for
// images when a tile layer is configured. Leaflet and uPlot style elements
// through the CSSOM, which CSP does not restrict, so no 'unsafe-inline'.
func contentSecurityPolicy(tileURL string) string {
	img := "'self' data:"
	if h := tileSource(tileURL); h != "" {
		img += " " + h
	}
	return "default-src 'self'; img-src " + img + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}

// tileSource turns a tile URL template into a CSP source: a "{s}"
// subdomain becomes "*"; a host that is still not a plain host name falls
// back to the scheme alone.
func tileSource(tileURL string) string {
	if tileURL == "" {
		return ""
	}
	const sub = "tilesubdomain"
	u, err := url.Parse(strings.NewReplacer("{s}", sub, "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tileURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	host := u.Host
	if rest, ok := strings.CutPrefix(host, sub+"."); ok {
		host = "*." + rest
	}
	if strings.Contains(host, sub) || strings.Trim(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:*") != "" {
		return u.Scheme + ":"
	}
	return u.Scheme + "://" + host
}

// Timeouts for ListenAndServe. Writes get longer than reads because CSV and
// GeoJSON exports stream many pages.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 30 * time.Second
)

// ListenAndServe listens on addr and serves h until ctx ends, then stops
// accepting connections and waits up to 30 s for in-flight requests. It
// returns nil after a clean shutdown.
func ListenAndServe(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", addr, err)
	}
	return Serve(ctx, ln, h)
}

// Serve is ListenAndServe on an existing listener (tests use 127.0.0.1:0).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// No BaseContext from ctx: cancelling ctx must let requests finish.
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

type docKey struct{}

// DocFromContext returns the document name a client gave with a posted
// report, or "" (Submit's signature carries only text and URL).
func DocFromContext(ctx context.Context) string {
	s, _ := ctx.Value(docKey{}).(string)
	return s
}
