package evaluate

import (
	"sort"
)

// DedupResult holds score_dedup.py's figures (rounded to 3 decimals).
type DedupResult struct {
	TruePairs, MergedPairs, TP int
	Precision, Recall, F1      float64
}

type goldKey struct {
	doc string
	i   int
}

func (a goldKey) less(b goldKey) bool {
	if a.doc != b.doc {
		return a.doc < b.doc
	}
	return a.i < b.i
}

type pairKey struct{ a, b goldKey } // a.less(b)

func mkPair(x, y goldKey) pairKey {
	if y.less(x) {
		x, y = y, x
	}
	return pairKey{x, y}
}

// sameIncident is score_dedup.py's same_incident(a, b).
func sameIncident(a, b map[string]any) bool {
	if get(a, "latitude") == nil || get(b, "latitude") == nil {
		return false
	}
	alat, ok1 := pyFloatOf(get(a, "latitude"))
	alon, ok2 := pyFloatOf(get(a, "longitude"))
	blat, ok3 := pyFloatOf(get(b, "latitude"))
	blon, ok4 := pyFloatOf(get(b, "longitude"))
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return false
	}
	d := km(alat, alon, blat, blon)
	// two precisely placed events must be at the same place; a vaguely
	// placed one may be anywhere within its radius
	limit, vague := 1.0, false
	for _, e := range []map[string]any{a, b} {
		r, rok := pyFloatOf(getOr(e, "radius_km", 25))
		gp, gok := pyFloatOf(getOr(e, "geo_precision", 1))
		if (gok && gp >= 2) || (rok && r > 25) {
			if !vague || r > limit {
				limit = r
			}
			vague = true
		}
	}
	if d > limit {
		return false
	}
	if pyLess(get(a, "date_to"), get(b, "date_from")) || pyLess(get(b, "date_to"), get(a, "date_from")) {
		return false
	}
	ea, eb := get(a, "event_type"), get(b, "event_type")
	return !(truthy(ea) && truthy(eb) && !pyEq(ea, eb))
}

// pyLess is Python's < for two strings or two numbers; other pairs make
// score_dedup.py raise and count as not less here.
func pyLess(a, b any) bool {
	if sa, ok := a.(string); ok {
		sb, ok := b.(string)
		return ok && sa < sb
	}
	if isNumber(a) && isNumber(b) {
		ra, ok1 := numRat(a)
		rb, ok2 := numRat(b)
		return ok1 && ok2 && ra.Cmp(rb) < 0
	}
	return false
}

// ScoreDedup is score_dedup.py: events are stored events (`sahelwatch
// export` lines) whose "sources" list the documents they merge. Each event
// is tied, per source document, to the nearest compatible required gold
// event there; pairs of gold events from different documents that one
// stored event ties together are compared with the pairs that describe the
// same incident. actors is accepted for symmetry with Score and unused, as in
// score_dedup.py.
func ScoreDedup(gold []GoldDoc, events []map[string]any, actors map[string][]string) DedupResult {
	_ = actors
	var keys []goldKey
	ev := map[goldKey]map[string]any{}
	for _, d := range gold {
		for i, e := range d.Events {
			if truthy(getOr(e, "required", true)) {
				k := goldKey{d.Doc, i}
				if _, dup := ev[k]; !dup {
					keys = append(keys, k)
				}
				ev[k] = e
			}
		}
	}
	truth := map[pairKey]bool{}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			ka, kb := keys[i], keys[j]
			if ka.doc != kb.doc && sameIncident(ev[ka], ev[kb]) {
				truth[mkPair(ka, kb)] = true
			}
		}
	}
	claimed := map[pairKey]bool{}
	for _, p := range events {
		if p == nil {
			continue
		}
		docs := map[string]bool{}
		if srcs, ok := p["sources"].([]any); ok {
			for _, s := range srcs {
				if m, ok := s.(map[string]any); ok {
					if d, ok := m["doc"].(string); ok {
						docs[d] = true
					}
				}
			}
		}
		tiedSet := map[goldKey]bool{}
		for doc := range docs {
			best, found := goldKey{}, false
			bestD := 0.0
			for _, k := range keys {
				if k.doc != doc {
					continue
				}
				dist, ok := compatible(ev[k], p)
				if !ok {
					continue
				}
				// min over (dist, key) tuples
				if !found || dist < bestD || (dist == bestD && k.less(best)) {
					best, bestD, found = k, dist, true
				}
			}
			if found {
				tiedSet[best] = true
			}
		}
		tied := make([]goldKey, 0, len(tiedSet))
		for k := range tiedSet {
			tied = append(tied, k)
		}
		sort.Slice(tied, func(i, j int) bool { return tied[i].less(tied[j]) })
		for i := range tied {
			for j := i + 1; j < len(tied); j++ {
				if tied[i].doc != tied[j].doc {
					claimed[mkPair(tied[i], tied[j])] = true
				}
			}
		}
	}
	tp := 0
	for k := range claimed {
		if truth[k] {
			tp++
		}
	}
	var prec, rec, f1 float64
	if len(claimed) > 0 {
		prec = float64(tp) / float64(len(claimed))
	}
	if len(truth) > 0 {
		rec = float64(tp) / float64(len(truth))
	}
	if prec+rec != 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	return DedupResult{TruePairs: len(truth), MergedPairs: len(claimed), TP: tp,
		Precision: round(prec, 3), Recall: round(rec, 3), F1: round(f1, 3)}
}

// JSON returns the bytes score_dedup.py --json prints.
func (r DedupResult) JSON() ([]byte, error) {
	s := `{"true_pairs": ` + itoa(r.TruePairs) + `, "merged_pairs": ` + itoa(r.MergedPairs) + `, "tp": ` + itoa(r.TP) +
		`, "precision": ` + jsonFloat(r.Precision) + `, "recall": ` + jsonFloat(r.Recall) + `, "f1": ` + jsonFloat(r.F1) + `}`
	return []byte(s), nil
}
