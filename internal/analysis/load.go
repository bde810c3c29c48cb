package analysis

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"github.com/sahelwatch/sahelwatch/internal/store"
)

// pageSize is how many events Load asks the store for at a time.
const pageSize = 1000

// Load reads the incidents and situation events dated up to to (zero: all)
// from st, paging through them.
func Load(ctx context.Context, st store.Store, to time.Time) ([]event.Event, error) {
	var all []event.Event
	for _, k := range []event.Kind{event.Incident, event.Situation} {
		f := store.Filter{Kind: k, To: to, Sort: "-date", Limit: pageSize}
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			page, next, err := st.Events(ctx, f)
			if err != nil {
				return nil, fmt.Errorf("analysis: load %s events: %w", k, err)
			}
			all = append(all, page...)
			if next == "" || len(page) == 0 {
				break
			}
			f.Cursor = next
		}
	}
	return all, nil
}

var defaultAnalyzer = sync.OnceValues(func() (*Analyzer, error) { return New(DefaultRules()) })

// Default returns the Analyzer with the shipped rules, built once.
func Default() (*Analyzer, error) { return defaultAnalyzer() }
