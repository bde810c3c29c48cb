package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/pipeline"
	"github.com/sahelwatch/sahelwatch/internal/server"
	"github.com/sahelwatch/sahelwatch/internal/source"
	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/postgres"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// dataFlags are the analyst-editable files every pipeline command accepts.
type dataFlags struct {
	gazetteer, actors, lexicon string
}

func (d *dataFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&d.gazetteer, "places", os.Getenv("SAHELWATCH_PLACES"), "extra gazetteer entries (TSV, same format as the embedded additions)")
	fs.StringVar(&d.actors, "actors", os.Getenv("SAHELWATCH_ACTORS"), "extra actor registry entries (TSV)")
	fs.StringVar(&d.lexicon, "lexicon", os.Getenv("SAHELWATCH_LEXICON"), "folder of extra extraction lexicon files (triggers.tsv, cues.tsv, ...)")
}

func (e *env) pipeline(d dataFlags) (*pipeline.Pipeline, error) {
	return pipeline.New(pipeline.Config{
		GazetteerAdditions: d.gazetteer, ActorsExtra: d.actors, LexiconDir: d.lexicon, Logger: e.log,
	})
}

// openStore opens the store named by --db.
func openStore(ctx context.Context, db string) (store.Store, error) {
	if db == "" {
		return nil, fmt.Errorf("--db is required")
	}
	if postgres.IsURL(db) {
		st, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", redact(db), err)
		}
		return st, nil
	}
	return sqlite.Open(ctx, db)
}

// redact hides a password in a connection URL before it is printed.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	cred := dsn[scheme+3 : at]
	if i := strings.IndexByte(cred, ':'); i >= 0 {
		return dsn[:scheme+3] + cred[:i] + ":***" + dsn[at:]
	}
	return dsn
}

// readReports streams reports from inputs, passing each with its read error.
func (e *env) readReports(inputs []string, format string, published string, yield func(event.Report, error) error) error {
	var pub time.Time
	if published != "" {
		t, err := time.Parse("2006-01-02", published)
		if err != nil {
			return fmt.Errorf("--published %q: want YYYY-MM-DD", published)
		}
		pub = t
	}
	opts := fetchOptions(source.Options{Format: format, Stdin: e.stdin})
	allow, err := allowPrivate(os.Getenv("SAHELWATCH_ALLOW_PRIVATE"))
	if err != nil {
		return err
	}
	opts.Allow = allow
	return source.Read(e.ctx, inputs, opts, func(r event.Report, err error) error {
		if err == nil && r.Published.IsZero() && !pub.IsZero() {
			r.Published, r.DateSource = pub, "input"
		}
		return yield(r, err)
	})
}

// allowPrivate reads SAHELWATCH_ALLOW_PRIVATE: a comma-separated list of
// addresses or CIDR prefixes (such as 127.0.0.1/32 or 10.20.0.0/16) that
// URL inputs may reach besides public addresses, for intranet feeds and
// for tests with loopback servers. Empty keeps the public-only rule.
func allowPrivate(list string) (func(net.IP) bool, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var prefixes []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("SAHELWATCH_ALLOW_PRIVATE: %q is not an address or CIDR prefix", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		prefixes = append(prefixes, p.Masked())
	}
	return func(ip net.IP) bool {
		if source.IsPublic(ip) {
			return true
		}
		a, ok := netip.AddrFromSlice(ip)
		if !ok {
			return false
		}
		a = a.Unmap()
		for _, p := range prefixes {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}, nil
}

// writeEvents writes events in one of the export formats.
func writeEvents(w io.Writer, format string, evs []event.Event) error {
	switch format {
	case "jsonl":
		return server.WriteJSONL(w, evs)
	case "csv":
		return server.WriteCSV(w, evs)
	case "geojson":
		return server.WriteGeoJSON(w, evs)
	}
	return fmt.Errorf("unknown format %q", format)
}

// inputFormats are the values --input-format takes.
var inputFormats = []string{"auto", "text", "html", "jsonl", "feed", "csv"}

// parseInputs parses a pipeline command's flags, which must leave at least
// one input, and its --input-format value. ok is false when the command
// should exit with code.
func (e *env) parseInputs(c *command, fs *flag.FlagSet, args []string, inFmt *string) (format string, code int, ok bool) {
	if code, ok := parse(fs, args); !ok {
		return "", code, false
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return "", exitUsage, false
	}
	f, err := inputFormat(*inFmt)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch %s: %v\n", c.name, err)
		return "", exitUsage, false
	}
	return f, 0, true
}

func inputFormat(f string) (string, error) {
	if err := oneOf(f, inputFormats...); err != nil {
		return "", fmt.Errorf("--input-format: %w", err)
	}
	if f == "auto" {
		return "", nil
	}
	return f, nil
}
