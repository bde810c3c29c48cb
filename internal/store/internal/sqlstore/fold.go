package sqlstore

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// actorSep separates the folded actor names in the actors_folded column.
// It is a control character no user query keeps (ActorQuery strips it), so
// a substring match never spans two names.
const actorSep = "\x1f"

// Fold lower-cases s and strips its accents, so "Libération" and
// "liberation" compare equal in Filter.Actor.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// FoldActors is the value of an event's actors_folded column: its folded
// actor names joined with a separator no query can contain.
func FoldActors(e *event.Event) string {
	return strings.Join([]string{Fold(e.Actor1.Name), Fold(e.Actor1.Assoc), Fold(e.Actor2.Name), Fold(e.Actor2.Assoc)}, actorSep)
}

// ActorQuery is Filter.Actor as searched in actors_folded: folded, without
// the separator and trimmed. "" means no actor condition.
func ActorQuery(actor string) string {
	return strings.TrimSpace(strings.ReplaceAll(Fold(actor), actorSep, ""))
}

// Finite keeps NaN out of SQL, where it would become NULL and match nothing
// silently, and infinities within a double; an infinite bound is as good as
// none.
func Finite(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Max(-math.MaxFloat64, math.Min(x, math.MaxFloat64))
}

// NonNil returns m, or an empty map for nil, so that it marshals as {}.
func NonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
