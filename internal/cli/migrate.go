package cli

import (
	"fmt"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "migrate",
		summary: "Create or upgrade a store's schema (SQLite file or postgres:// URL) and print its version.",
		usage:   "--db PATH|postgres://...",
		run:     runMigrate,
	})
}

// runMigrate exists so a deployment can upgrade the schema once, before
// starting its servers and workers; every command also migrates on open.
func runMigrate(e *env, args []string) int {
	c := commands["migrate"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path or a postgres:// URL")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch migrate: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	m, ok := st.(store.Migrator)
	if !ok {
		fmt.Fprintf(e.stderr, "sahelwatch migrate: this store has no schema versions\n")
		return exitRuntime
	}
	if err := m.Migrate(e.ctx); err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch migrate: %v\n", err)
		return exitRuntime
	}
	v, err := m.Version(e.ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch migrate: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "schema version %d\n", v)
	return exitOK
}
