// Package evaluate scores sahelwatch's output against hand-coded gold
// events. It is the Go twin of ../shared/eval/score.py and score_dedup.py:
// same matching (document, date within the gold range widened by two days,
// distance within radius_km, or region alone when the gold event has no
// point; one-to-one by the same Hungarian assignment on the same costs),
// same tallies, same rounding, and output printed byte for byte as the
// Python scripts print it, so figures from `go test` and from the scripts
// can be compared directly.
//
// score.py reads JSON with Python's loose typing (a number where a date is
// expected, a string where a list is, null fatalities); the helpers in
// pyval.go reproduce the parts of str(), repr(), ==, float() and int() it
// depends on. Inputs on which score.py crashes give a clear error from the
// loaders here, or are scored without panicking.
//
// Known differences, all outside well-formed input: NaN and Infinity
// literals (accepted by Python's json, rejected here); JSON objects printed
// inside MISS/WRONG lines list their keys sorted; Go's math.Sin and
// friends may differ from the C library in the last bit, which could flip a
// median rounded to 0.1 km only at an exact tie.
//
// Typical use:
//
//	gold, _ := evaluate.LoadGold("gold.jsonl")
//	preds, _ := evaluate.LoadPreds("out.jsonl")
//	actors, _ := evaluate.LoadActors("actors.tsv")
//	evaluate.Score(gold, preds, actors).WriteText(os.Stdout)
package evaluate
