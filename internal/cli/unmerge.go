package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

func init() {
	register(&command{
		name:    "unmerge",
		summary: "Undo the merge of one report into an event: the event gets its earlier fields back and the report's event stands alone.",
		usage:   "--db PATH EVENT_ID DOC",
		run:     runUnmerge,
	})
}

func runUnmerge(e *env, args []string) int {
	c := commands["unmerge"]
	fs := e.flags(c)
	db := fs.String("db", os.Getenv("SAHELWATCH_DB"), "store: a SQLite file path")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	id, doc := fs.Arg(0), fs.Arg(1)
	st, err := openStore(e.ctx, *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sahelwatch unmerge: %v\n", err)
		return exitRuntime
	}
	defer st.Close()
	newID, err := st.Unmerge(e.ctx, id, doc)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fmt.Fprintf(e.stderr, "sahelwatch unmerge: %s was not merged into %s (see its revisions: sahelwatch serve, /api/v1/events/%s)\n", doc, id, id)
		return exitFailed
	case errors.Is(err, store.ErrNotLatest):
		fmt.Fprintf(e.stderr, "sahelwatch unmerge: %v\n", err)
		return exitFailed
	case err != nil:
		fmt.Fprintf(e.stderr, "sahelwatch unmerge: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "%s restored; %s's event is now %s\n", id, doc, newID)
	return exitOK
}
