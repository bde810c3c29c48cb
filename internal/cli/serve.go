package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/analysis"
	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "Serve the HTTP API and the dashboard over a store.",
		usage:   "--db PATH [--addr 127.0.0.1:8080] [--token TOKEN] [--tiles URL]",
		run:     runServe,
	})
}

func runServe(e *env, args []string) int {
	c := commands["serve"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default)")
	token := fs.String("token", os.Getenv("SAHELWATCH_TOKEN"), "bearer token required by write endpoints (default $SAHELWATCH_TOKEN; empty refuses writes)")
	tiles := fs.String("tiles", "", "optional online tile URL template shown over the offline basemap")
	verbose := fs.Bool("v", false, "log requests and ingests")
	var data dataFlags
	data.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	e.verbose(*verbose)
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch serve: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	p, err := e.pipeline(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch serve: %v\n", err)
		return exitRuntime
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch serve: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "sahelwatch: serving %s on http://%s/\n", *db, ln.Addr())
	if err := e.serve(ln, st, p, *token, *tiles); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch serve: %v\n", err)
		return exitRuntime
	}
	return exitOK
}

// serve runs the server on ln until the context ends, then shuts down
// gracefully: requests in flight, ingests included, finish first.
func (e *env) serve(ln net.Listener, st store.Store, p *pipeline.Pipeline, token, tiles string) error {
	srv := server.New(st, server.Options{
		Token:   token,
		Logger:  e.log,
		TileURL: tiles,
		Extra: map[string]http.Handler{
			"GET /api/v1/alerts":     analysis.AlertsHandler(st, nil),
			"GET /api/v1/situations": analysis.SituationsHandler(st, nil),
			"GET /briefs/{week}":     analysis.BriefHandler(st, nil),
		},
		Submit: func(ctx context.Context, text, url string) (store.IngestResult, error) {
			doc := server.DocFromContext(ctx)
			if doc == "" {
				doc = "submitted-" + pipeline.Hash([]byte(text))[:12]
			}
			r := event.Report{Doc: doc, URL: url, Raw: []byte(text), Format: sniffFormat(text),
				Published: time.Now().UTC().Truncate(24 * time.Hour), DateSource: "received"}
			return p.Ingest(ctx, st, &r)
		},
	})
	err := server.Serve(e.ctx, ln, srv.Handler())
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func sniffFormat(text string) string {
	head := strings.ToLower(strings.TrimSpace(text[:min(len(text), 512)]))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<body") {
		return "html"
	}
	return "text"
}
