package evaluate

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// SlackDays widens every gold date range on both sides, as in score.py.
const SlackDays = 2

// AttrKeys are the per-attribute tallies, in score.py's order.
var AttrKeys = []string{"event_type", "sub_event_type", "actor1", "actor2", "fatalities", "admin1", "date"}

// Result holds score.py's figures. Precision, Recall, F1 and the Acc values
// are already rounded to 3 decimals and MedianKm to 1, as score.py does;
// nil pointers are Python's None.
type Result struct {
	Documents, GoldRequired, PredictedIncidents, OtherOutputs, TP, FP, FN int
	Precision, Recall, F1                                                 float64
	MedianKm                                                              *float64
	StrayDocs                                                             []string
	Acc                                                                   map[string]*float64
	N                                                                     map[string]int
	// Lines are the MISS / WRONG / FALSE lines that score.py -v prints.
	Lines []string
}

type scorer struct {
	actors map[string][]string
}

func get(m map[string]any, k string) any { return m[k] }

// getOr is Python's d.get(k, def).
func getOr(m map[string]any, k string, def any) any {
	if v, ok := m[k]; ok {
		return v
	}
	return def
}

// distance is score.py's distance(g, p); ok false is None.
func distance(g, p map[string]any) (float64, bool) {
	plat, ok1 := num(get(p, "latitude"))
	plon, ok2 := num(get(p, "longitude"))
	if !ok1 || !ok2 || get(g, "latitude") == nil {
		return 0, false
	}
	glat, ok1 := pyFloatOf(get(g, "latitude"))
	glon, ok2 := pyFloatOf(get(g, "longitude"))
	if !ok1 || !ok2 {
		return 0, false // score.py raises here
	}
	return km(glat, glon, plat, plon), true
}

// admin1Names is the list score.py builds from a gold admin1 (a list, or
// one name).
func admin1Names(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// compatible is score.py's compatible(g, p): the distance in km if p may
// match g; ok false is None.
func compatible(g, p map[string]any) (float64, bool) {
	d, ok1 := day(get(p, "event_date"))
	lo, ok2 := day(get(g, "date_from"))
	hi, ok3 := day(get(g, "date_to"))
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	if d.Before(lo.AddDate(0, 0, -SlackDays)) || d.After(hi.AddDate(0, 0, SlackDays)) {
		return 0, false
	}
	if get(g, "latitude") == nil {
		// a gold event with no point matches on region alone
		var names []any
		if v := get(g, "admin1"); truthy(v) {
			names = admin1Names(v)
		}
		pa := normAny(get(p, "admin1"))
		for _, n := range names {
			if truthy(n) && normAny(n) == pa {
				return 0, true
			}
		}
		return 0, false
	}
	dist, ok := distance(g, p)
	if !ok {
		return 0, false
	}
	radius, ok := pyFloatOf(getOr(g, "radius_km", 25.0))
	if !ok || dist > radius {
		return 0, false
	}
	return dist, true
}

// expand is score.py's expand(): ids from actors.tsv become their aliases,
// anything else is a literal alias. A string instead of a list is iterated
// by character, as Python does.
func (s *scorer) expand(ids any) []any {
	var items []any
	switch x := ids.(type) {
	case []any:
		items = x
	case string:
		for _, r := range x {
			items = append(items, string(r))
		}
	case map[string]any:
		for k := range x {
			items = append(items, k)
		}
	}
	var out []any
	for _, it := range items {
		if k, ok := it.(string); ok {
			if al, ok := s.actors[k]; ok {
				for _, a := range al {
					out = append(out, a)
				}
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// actorOK is score.py's actor_ok(ids, *names).
func (s *scorer) actorOK(ids any, names ...any) bool {
	var ns []string
	for _, n := range names {
		if truthy(n) {
			ns = append(ns, normAny(n))
		}
	}
	for _, a := range s.expand(ids) {
		an := normAny(a)
		if an == "" {
			continue
		}
		for _, n := range ns {
			if an == n || strings.Contains(" "+n+" ", " "+an+" ") {
				return true
			}
		}
	}
	return false
}

// match is score.py's match(): one-to-one, as many required gold events as
// possible, then optional ones, then same type and actor, then nearer.
func (s *scorer) match(golds, preds []map[string]any) map[int]int {
	if len(golds) == 0 || len(preds) == 0 {
		return map[int]int{}
	}
	cols := len(preds) + len(golds) // a dummy column per gold event: "unmatched"
	cost := make([][]float64, len(golds))
	ok := map[[2]int]bool{}
	for gi, g := range golds {
		row := make([]float64, cols)
		for pi, p := range preds {
			dist, compat := compatible(g, p)
			if !compat {
				continue
			}
			w := -100.0
			if truthy(getOr(g, "required", true)) {
				w = -1000.0
			}
			if et := get(g, "event_type"); truthy(et) && !pyEq(get(p, "event_type"), et) {
				w += 10
			}
			if a1 := get(g, "actor1"); truthy(a1) && !s.actorOK(a1, get(p, "actor1"), get(p, "assoc_actor_1")) {
				w += 1
			}
			w += dist / 10000.0
			row[pi] = w
			ok[[2]int{gi, pi}] = true
		}
		cost[gi] = row
	}
	out := map[int]int{}
	for gi, pi := range hungarian(cost) {
		if ok[[2]int{gi, pi}] {
			out[gi] = pi
		}
	}
	return out
}

// round is Python's round(x, nd) on a float: correctly rounded, ties to even.
func round(x float64, nd int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', nd, 64), 64)
	return f
}

// Score compares predictions (the JSON objects `sahelwatch extract` prints)
// with gold documents, exactly as score.py does. actors maps ids to aliases
// (LoadActors); nil means gold actor entries are all literal aliases.
func Score(gold []GoldDoc, preds []map[string]any, actors map[string][]string) Result {
	s := &scorer{actors: actors}
	byDoc := map[string][]map[string]any{}
	for _, p := range preds {
		if p == nil {
			continue
		}
		k := pyStr(getOr(p, "doc", ""))
		byDoc[k] = append(byDoc[k], p)
	}
	known := map[string]bool{}
	for _, d := range gold {
		if !d.docNotString {
			known[d.Doc] = true
		}
	}
	res := Result{Documents: len(gold), StrayDocs: []string{}, Acc: map[string]*float64{}, N: map[string]int{}}
	for k := range byDoc {
		if !known[k] {
			res.StrayDocs = append(res.StrayDocs, k)
		}
	}
	sort.Strings(res.StrayDocs)

	var tp, fn, fp, others int
	okN := map[string]int{}
	var errsKm []float64
	var lines []string
	for _, doc := range gold {
		golds := doc.Events
		var outs []map[string]any
		if !doc.docNotString {
			outs = byDoc[doc.Doc]
		}
		var incidents []map[string]any
		for _, p := range outs {
			if pyEq(getOr(p, "kind", "incident"), "incident") {
				incidents = append(incidents, p)
			}
		}
		others += len(outs) - len(incidents)
		m := s.match(golds, incidents)
		matched := map[int]bool{}
		for _, pi := range m {
			matched[pi] = true
		}
		for gi, g := range golds {
			req := truthy(getOr(g, "required", true))
			pi, hit := m[gi]
			if !hit {
				if req {
					fn++
					lines = append(lines, fmt.Sprintf("MISS  %s: %s at %s %s..%s", doc.Doc, pyStr(get(g, "event_type")),
						pyStr(get(g, "location")), pyStr(get(g, "date_from")), pyStr(get(g, "date_to"))))
				}
				continue
			}
			p := incidents[pi]
			if !req {
				continue
			}
			tp++
			tally := func(key string, ok bool, note string) {
				res.N[key]++
				if ok {
					okN[key]++
				} else {
					lines = append(lines, fmt.Sprintf("WRONG %s: %s at %s: %s", doc.Doc, key, pyStr(get(g, "location")), note))
				}
			}
			if v := get(g, "event_type"); truthy(v) {
				tally("event_type", pyEq(get(p, "event_type"), v), "gold "+pyRepr(v)+" got "+pyRepr(get(p, "event_type")))
			}
			if v := get(g, "sub_event_type"); truthy(v) {
				tally("sub_event_type", pyEq(get(p, "sub_event_type"), v), "gold "+pyRepr(v)+" got "+pyRepr(get(p, "sub_event_type")))
			}
			if v := get(g, "actor1"); truthy(v) {
				tally("actor1", s.actorOK(v, get(p, "actor1"), get(p, "assoc_actor_1")), "gold "+pyStr(v)+" got "+pyRepr(get(p, "actor1")))
			}
			if v := get(g, "actor2"); truthy(v) {
				tally("actor2", s.actorOK(v, get(p, "actor2"), get(p, "assoc_actor_2")), "gold "+pyStr(v)+" got "+pyRepr(get(p, "actor2")))
			}
			if v := get(g, "fatalities"); v != nil {
				ok := false
				if pf, isNum := num(get(p, "fatalities")); isNum {
					a, aok := pyIntOf(pf)
					b, bok := pyIntOf(v)
					ok = aok && bok && a.Cmp(b) == 0
				}
				tally("fatalities", ok, "gold "+pyStr(v)+" got "+pyRepr(get(p, "fatalities")))
			}
			if v := get(g, "admin1"); truthy(v) {
				names := admin1Names(v)
				pa := normAny(get(p, "admin1"))
				ok := false
				for _, n := range names {
					if normAny(n) == pa {
						ok = true
						break
					}
				}
				tally("admin1", ok, "gold "+pyStr(names)+" got "+pyRepr(get(p, "admin1")))
			}
			if pyEq(get(g, "date_from"), get(g, "date_to")) {
				tally("date", pyEq(prefixRunes(pyStr(get(p, "event_date")), 10), get(g, "date_from")),
					"gold "+pyStr(get(g, "date_from"))+" got "+pyStr(get(p, "event_date")))
			}
			if d, ok := distance(g, p); ok && pyEq(getOr(g, "geo_precision", 1), 1) {
				errsKm = append(errsKm, d)
			}
		}
		for pi, p := range incidents {
			if !matched[pi] {
				// an output that matches an optional gold event but lost it to another output is still a FP
				fp++
				lines = append(lines, fmt.Sprintf("FALSE %s: %s at %s %s", doc.Doc, pyStr(get(p, "event_type")),
					pyStr(get(p, "location")), pyStr(get(p, "event_date"))))
			}
		}
	}
	var prec, rec, f1 float64
	if tp+fp > 0 {
		prec = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		rec = float64(tp) / float64(tp+fn)
	}
	if prec+rec != 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	res.GoldRequired, res.PredictedIncidents, res.OtherOutputs = tp+fn, tp+fp, others
	res.TP, res.FP, res.FN = tp, fp, fn
	res.Precision, res.Recall, res.F1 = round(prec, 3), round(rec, 3), round(f1, 3)
	if len(errsKm) > 0 {
		m := round(median(errsKm), 1)
		res.MedianKm = &m
	}
	for _, k := range AttrKeys {
		if n := res.N[k]; n > 0 {
			a := round(float64(okN[k])/float64(n), 3)
			res.Acc[k] = &a
		} else {
			res.Acc[k] = nil
			res.N[k] = 0
		}
	}
	res.Lines = lines
	return res
}

// median is statistics.median.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// WriteText prints the summary exactly as score.py prints it without -v.
// For score.py -v, print r.Lines (one per line) first.
func (r Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "documents %d  gold %d  predicted incidents %d  other outputs %d\n",
		r.Documents, r.GoldRequired, r.PredictedIncidents, r.OtherOutputs)
	fmt.Fprintf(w, "detection  P %s  R %s  F1 %s  (tp %d fp %d fn %d)\n",
		f3(r.Precision), f3(r.Recall), f3(r.F1), r.TP, r.FP, r.FN)
	for _, k := range AttrKeys {
		v := "-"
		if a := r.Acc[k]; a != nil {
			v = f3(*a)
		}
		fmt.Fprintf(w, "%-15s %s  (n=%d)\n", k, v, r.N[k])
	}
	fmt.Fprintf(w, "median location error km: %s\n", optFloat(r.MedianKm))
	if len(r.StrayDocs) > 0 {
		s := r.StrayDocs
		if len(s) > 10 {
			s = s[:10]
		}
		fmt.Fprintf(w, "outputs for documents not in gold: %s\n", strings.Join(s, ", "))
	}
}

func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

func optFloat(p *float64) string {
	if p == nil {
		return "None"
	}
	return pyFloatRepr(*p)
}

func optJSON(p *float64) string {
	if p == nil {
		return "null"
	}
	return jsonFloat(*p)
}

// jsonFloat is json.dumps(float): repr, with Python's spellings of the
// non-finite values.
func jsonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return pyFloatRepr(f)
}

// JSON returns the bytes score.py --json prints (without its newline): the
// same keys in the same order, formatted as Python's json.dumps.
func (r Result) JSON() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"documents": %d, "gold_required": %d, "predicted_incidents": %d, "other_outputs": %d, `,
		r.Documents, r.GoldRequired, r.PredictedIncidents, r.OtherOutputs)
	fmt.Fprintf(&b, `"tp": %d, "fp": %d, "fn": %d, "precision": %s, "recall": %s, "f1": %s, "median_km": %s, "stray_docs": [`,
		r.TP, r.FP, r.FN, jsonFloat(r.Precision), jsonFloat(r.Recall), jsonFloat(r.F1), optJSON(r.MedianKm))
	for i, s := range r.StrayDocs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyJSONString(s))
	}
	b.WriteString("]")
	for _, k := range AttrKeys {
		fmt.Fprintf(&b, `, %s: %s, %s: %d`, pyJSONString(k+"_acc"), optJSON(r.Acc[k]), pyJSONString(k+"_n"), r.N[k])
	}
	b.WriteString("}")
	return b.Bytes(), nil
}

func itoa(n int) string { return strconv.Itoa(n) }
