package nlp

// NumberCap is the largest Value Numbers reports; bigger figures are capped
// and flagged by High == NumberCap.
const NumberCap = 1_000_000

// saturate keeps intermediate arithmetic far from int overflow.
const saturate = 1_000_000_000_000

// Number is a count found in text.
type Number struct {
	Start, End int // byte offsets of the count and its qualifiers
	// Value is the ACLED-conservative figure: the floor of a range, the
	// figure of "at least 40" or "about forty", 12 for "dozens", 10 for
	// "des dizaines", 100 for "hundreds", 40 for "une quarantaine".
	Value     int
	Low, High int  // the range when one is given ("30 to 40"), else Value twice
	Approx    bool // about, around, some, environ, près de, une quarantaine
	AtLeast   bool // at least, more than, over, au moins, plus de
	Vague     bool // no usable figure: several, many, plusieurs, quelques
}

// numVal is a figure parsed at some token, before qualifiers.
type numVal struct {
	v        int64
	start    int // first token
	end      int // token just past the figure
	approx   bool
	digits   bool
	yearLike bool
	article  bool // a lone "un"/"une": an article more often than a count
	one      bool // the single word "one"/"un"/"une"
}

// Numbers finds counts written in digits ("21", "1,000", "1 000", "1.000")
// or words in English and French ("twenty-one", "vingt et un",
// "quatre-vingt-dix", "cent vingt"), with the qualifiers of
// data/qualifiers.txt. It skips figures that are dates, years, times,
// ordinals, percentages, measures and labels, "one of"/"l'un des", and the
// French article "un"/"une" standing alone. Values are capped at NumberCap.
func Numbers(text string) []Number {
	d := newDoc(text)
	l := getLex()
	var out []Number
	for i := 0; i < len(d.toks); {
		if n, next, ok := d.countAt(l, i); ok {
			out = append(out, n)
			i = next
			continue
		}
		i++
	}
	return out
}

func isQual(tag string) func(phrase) bool {
	return func(p phrase) bool { return p.tag == tag }
}

// countAt tries to read a count (or a vague quantity) starting at token i.
func (d *doc) countAt(l *lexicon, i int) (Number, int, bool) {
	if d.kind(i) != tNum && !l.numStarts[d.text(i)] {
		return Number{}, 0, false
	}
	if _, j, ok := d.matchPhrase(l.qualifiers, i, isQual("vague")); ok {
		// "plusieurs dizaines", "several dozen": the collective gives a figure.
		if c, isColl := l.collectives[d.text(j)]; isColl {
			nv := numVal{v: int64(c.value), start: i, end: j + 1, approx: true}
			nv = d.extendCollective(l, nv)
			return d.finish(nv, i)
		}
		// "several hundred", "quelques milliers": a floor given by the multiplier.
		if v, isCard := l.cardinals[d.text(j)]; isCard && v >= 100 && v < 1_000_000 {
			nv := numVal{v: int64(v), start: i, end: j + 1, approx: true}
			return d.finish(nv, i)
		}
		if _, ok := d.valueAt(l, j); !ok {
			s, e := d.span(i, j-1)
			return Number{Start: s, End: e, Vague: true}, j, true
		}
	}
	nv, ok := d.valueAt(l, i)
	if !ok {
		return Number{}, 0, false
	}
	if d.excluded(l, nv, false) {
		return Number{}, 0, false
	}
	start := i
	atLeast, approx, between := false, false, false
	if p, s, ok := d.matchPhraseBefore(l.qualifiers, i, "atleast", "approx", "between"); ok {
		start = s
		switch p.tag {
		case "atleast":
			atLeast = true
		case "approx":
			approx = true
		case "between":
			between = true
		}
	}
	n, next, ok := d.finishRange(l, nv, start, between)
	n.AtLeast = n.AtLeast || atLeast
	n.Approx = n.Approx || approx
	return n, next, ok
}

// finishRange closes "30 to 40", "entre 30 et 40" when a second, larger
// figure follows, then builds the Number.
func (d *doc) finishRange(l *lexicon, a numVal, start int, between bool) (Number, int, bool) {
	k := -1
	if between && (d.text(a.end) == "and" || d.text(a.end) == "et") {
		k = a.end + 1
	} else if _, j, ok := d.matchPhrase(l.qualifiers, a.end, isQual("range")); ok {
		k = j
	}
	if k > 0 {
		if b, ok := d.valueAt(l, k); ok && b.v > a.v && !b.yearLike && !d.excluded(l, b, true) {
			n, _, _ := d.finish(a, start)
			hv := capInt(b.v)
			n.High = hv
			_, n.End = d.span(b.end-1, b.end-1)
			n.Approx = n.Approx || b.approx
			return n, b.end, true
		}
	}
	return d.finish(a, start)
}

func capInt(v int64) int {
	if v > NumberCap {
		return NumberCap
	}
	return int(v)
}

func (d *doc) finish(nv numVal, start int) (Number, int, bool) {
	s, e := d.span(start, nv.end-1)
	v := capInt(nv.v)
	return Number{Start: s, End: e, Value: v, Low: v, High: v, Approx: nv.approx}, nv.end, true
}

// valueAt parses a figure at token i: digits, number words, or a collective.
func (d *doc) valueAt(l *lexicon, i int) (numVal, bool) {
	if i >= len(d.toks) {
		return numVal{}, false
	}
	w := d.text(i)
	var nv numVal
	switch d.kind(i) {
	case tNum:
		var ok bool
		nv, ok = d.parseDigits(l, i)
		if !ok {
			return numVal{}, false
		}
	case tWord:
		if c, ok := l.collectives[w]; ok {
			if !c.plural {
				return numVal{}, false // "dozen" needs "a" or a figure before it
			}
			nv = numVal{v: int64(c.value), start: i, end: i + 1, approx: true}
			return d.extendCollective(l, nv), true
		}
		if w == "a" || w == "an" {
			nx := d.text(i + 1)
			if c, ok := l.collectives[nx]; ok && !c.plural {
				nv = numVal{v: int64(c.value), start: i, end: i + 2, approx: true}
				return d.extendCollective(l, nv), true
			}
			if v, ok := l.cardinals[nx]; ok && v >= 100 {
				nv, ok = d.parseWords(l, i+1)
				if !ok {
					return numVal{}, false
				}
				nv.start = i
				return nv, true
			}
			return numVal{}, false
		}
		if _, ok := l.cardinals[w]; !ok {
			return numVal{}, false
		}
		var ok bool
		nv, ok = d.parseWords(l, i)
		if !ok {
			return numVal{}, false
		}
	default:
		return numVal{}, false
	}
	// "two dozen", "trois centaines", "une quarantaine"
	if c, ok := l.collectives[d.text(nv.end)]; ok && nv.v > 0 && nv.v < 1000 {
		nv.v *= int64(c.value)
		nv.end++
		nv.approx = true
		nv.article, nv.one, nv.yearLike = false, false, false
		nv = d.extendCollective(l, nv)
	}
	return nv, true
}

// extendCollective reads "tens of thousands", "des dizaines de milliers".
func (d *doc) extendCollective(l *lexicon, nv numVal) numVal {
	j := nv.end
	switch d.text(j) {
	case "of", "de":
		j++
	case "d":
		if d.text(j+1) == "'" {
			j += 2
		}
	default:
		return nv
	}
	w := d.text(j)
	mult := 0
	if c, ok := l.collectives[w]; ok && c.plural && c.value >= 100 {
		mult = c.value
	} else if v, ok := l.cardinals[w]; ok && v >= 1000 && (w[len(w)-1] == 's') {
		mult = v
	}
	if mult > 0 && nv.v < 1000 {
		nv.v = min(nv.v*int64(mult), saturate)
		nv.end = j + 1
	}
	return nv
}

func atoiSat(s string) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
		if v > saturate {
			return saturate
		}
	}
	return v
}

// parseDigits reads "21", "1,000", "1.000", "1 000", "2.5 million".
func (d *doc) parseDigits(l *lexicon, i int) (numVal, bool) {
	first := d.text(i)
	v := atoiSat(first)
	j := i + 1
	var sep string
	for len(first) <= 3 {
		if t := d.text(j); (t == "," || t == ".") && d.glued(j) && d.glued(j+1) &&
			d.kind(j+1) == tNum && len(d.text(j+1)) == 3 && (sep == "" || sep == t) &&
			!(d.kind(j+2) == tNum && d.glued(j+2)) {
			sep = t
			v = min(v*1000+atoiSat(d.text(j+1)), saturate)
			j += 2
			continue
		}
		if d.kind(j) == tNum && !d.glued(j) && len(d.text(j)) == 3 && (sep == "" || sep == " ") && !d.isYearTok(j) {
			sep = " "
			v = min(v*1000+atoiSat(d.text(j)), saturate)
			j++
			continue
		}
		break
	}
	nv := numVal{v: v, start: i, end: j, digits: true}
	// A decimal ("2.5", "1,5") is a count only before million/milliard.
	if t := d.text(j); (t == "." || t == ",") && d.glued(j) && d.kind(j+1) == tNum && d.glued(j+1) {
		frac := d.text(j + 1)
		if m, ok := l.cardinals[d.text(j+2)]; ok && m >= 1_000_000 {
			f := float64(atoiSat(frac))
			for range len(frac) {
				f /= 10
			}
			nv.v = min(int64((float64(v)+f)*float64(m)), saturate)
			nv.end = j + 3
			return nv, true
		}
		return numVal{}, false
	}
	if m, ok := l.cardinals[d.text(j)]; ok && m >= 1_000_000 {
		nv.v = min(v*int64(m), saturate)
		nv.end = j + 1
		return nv, true
	}
	nv.yearLike = sep == "" && len(first) == 4 && v >= 1900 && v <= 2100
	return nv, true
}

func (d *doc) isYearTok(j int) bool {
	t := d.text(j)
	if len(t) != 4 {
		return false
	}
	v := atoiSat(t)
	return v >= 1900 && v <= 2100
}

// parseWords reads a cardinal written in words, EN or FR.
func (d *doc) parseWords(l *lexicon, i int) (numVal, bool) {
	var total, cur int64
	prev := int64(-1)
	count := 0
	end := i
	j := i
	for {
		v64, ok := l.cardinals[d.text(j)]
		if !ok {
			break
		}
		v := int64(v64)
		if count > 0 && !wordAllowed(total, cur, prev, v) {
			break
		}
		switch {
		case v == 20 && prev == 4 && cur%100 == 4: // quatre-vingt(s)
			cur += 76
		case v == 100:
			cur = max(cur, 1) * 100
		case v >= 1000:
			total = min(total+max(cur, 1)*v, saturate)
			cur = 0
		default:
			cur += v
		}
		prev = v
		count++
		end = j + 1
		// Connectors: "twenty-one", "vingt et un", "one hundred and five".
		nx := j + 1
		switch t := d.text(nx); {
		case t == "-" && d.text(nx+1) == "et" && d.text(nx+2) == "-": // "trente-et-un"
			if w, ok := l.cardinals[d.text(nx+3)]; ok && (w == 1 || w == 11) && cur >= 20 && cur%10 == 0 {
				j = nx + 3
				continue
			}
		case t == "-" && d.glued(nx) && d.glued(nx+1):
			if w, ok := l.cardinals[d.text(nx+1)]; ok && wordAllowed(total, cur, prev, int64(w)) {
				j = nx + 1
				continue
			}
		case t == "and" || t == "et":
			w, ok := l.cardinals[d.text(nx+1)]
			c := cur
			if ok && ((c >= 100 && c%100 == 0) || ((w == 1 || w == 11) && c >= 20 && c%10 == 0)) {
				j = nx + 1
				continue
			}
		}
		j = nx
	}
	if count == 0 {
		return numVal{}, false
	}
	w0 := d.text(i)
	nv := numVal{v: min(total+cur, saturate), start: i, end: end}
	if count == 1 && (w0 == "un" || w0 == "une" || w0 == "one") {
		nv.one = true
		nv.article = w0 != "one"
	}
	return nv, true
}

// wordAllowed reports whether number word v can extend the figure so far.
func wordAllowed(total, cur, prev, v int64) bool {
	switch {
	case v == 0:
		return false
	case v == 20 && prev == 4 && cur%100 == 4:
		return true
	case v == 100:
		return cur < 100 && prev != 100
	case v >= 1000:
		return cur < 1000 && (total == 0 || total >= v*1000)
	case v >= 20: // tens
		return cur%100 == 0 && prev != v
	case v >= 10:
		return cur%100 == 0 || cur%100 == 60 || cur%100 == 80
	default:
		return cur%10 == 0 && prev != v && !(prev >= 1 && prev <= 9)
	}
}

// excluded tells figures that are not counts: dates, times, years, ordinals,
// percentages, measures, labels, "one of".
func (d *doc) excluded(l *lexicon, nv numVal, inRange bool) bool {
	i, j := nv.start, nv.end
	prevW, nextW := d.text(i-1), d.text(j)
	if nv.article && !(d.kind(j) == tWord && l.collectives[nextW].value > 0) {
		return true
	}
	if nv.one {
		if nextW == "of" || nextW == "des" || nextW == "d" || nextW == "another" ||
			prevW == "no" || prevW == "any" || prevW == "every" || prevW == "each" || prevW == "the" || prevW == "this" || prevW == "that" || prevW == "which" ||
			(prevW == "'" && d.text(i-2) == "l") {
			return true
		}
	}
	if d.kind(j) == tNum { // "sept 17", "seven 2024"
		return true
	}
	if len(l.months[d.text(i)]) > 0 && nextW == "." && d.kind(j+1) == tNum {
		return true // "Sept. 17"
	}
	if d.kind(i) == tNum {
		if d.glued(i) && (d.kind(i-1) == tWord || d.kind(i-1) == tNum) {
			return true // "G5", "RN16"
		}
		if d.glued(j) && d.kind(j) == tWord {
			return true // "17th", "1er", "14h"
		}
		if d.glued(i) {
			switch prevW {
			case "$", "€", "£", "#", "/", ":", "°", "+":
				return true
			case "-", ".":
				if d.kind(i-2) == tNum && d.glued(i-1) && !inRange {
					return true // the middle or end of "2024-09-17", "17.09.2024"
				}
			}
		}
		if d.glued(j) {
			switch nextW {
			case "/", ":":
				return true
			case "-", ".":
				if d.kind(j+1) == tNum && d.glued(j+1) && (nv.yearLike || nextW == ".") {
					return true
				}
			}
		}
		if nv.yearLike {
			if l.yearPreps[prevW] || len(l.months[prevW]) > 0 {
				return true
			}
			if prevW == "," && d.kind(i-2) == tNum {
				return true // "March 25, 2025"
			}
			if nextW == "-" || nextW == "/" {
				return true
			}
		}
	}
	if nextW == "%" || l.unitsAfter[nextW] {
		return true
	}
	if nextW == "-" && d.glued(j) && d.glued(j+1) && l.unitsAfter[d.text(j+1)] {
		return true // "10-year-old", "a 30-km stretch"
	}
	if (nextW == "p" || nextW == "a") && d.text(j+1) == "." && d.text(j+2) == "m" {
		return true // "4 p.m."
	}
	if prevW == "[" && nextW == "]" && d.glued(i) && d.glued(j) {
		return true // a citation mark "[10]"
	}
	if prevW == "." && d.glued(i-1) && l.unitsBefore[d.text(i-2)] {
		return true // "No. 1"
	}
	if prevW == "de" && nv.yearLike && l.yearPreps[d.text(i-2)] {
		return true // "fin de 2023"
	}
	if d.kind(i) == tNum && (nextW == "." || nextW == ")") && d.glued(j) && d.lineStart(i) {
		return true // a list marker "1." at the start of a line
	}
	// "between 6 and 18 August", "du 12 au 15 mars": a range of days.
	if nv.digits && nv.v <= 31 {
		switch nextW {
		case "and", "et", "to", "au", "a", "-":
			if d.kind(j+1) == tNum && len(d.text(j+1)) <= 2 && len(l.months[d.text(j+2)]) > 0 {
				return true
			}
		}
	}
	if l.unitsBefore[prevW] && !(prevW == "no" && d.kind(i) == tWord) {
		return true
	}
	// A day next to a month: "March 25", "25 mars", "le 1er avril".
	if nv.v <= 31 && nv.digits {
		if len(l.months[prevW]) > 0 || len(l.months[nextW]) > 0 {
			return true
		}
		if prevW == "." && len(l.months[d.text(i-2)]) > 0 {
			return true // "Sept. 17"
		}
	}
	// "per cent", "pour cent" written as a word figure.
	if d.text(i) == "cent" && (prevW == "per" || prevW == "pour") {
		return true
	}
	return false
}

// lineStart reports whether token i is the first thing on its line.
func (d *doc) lineStart(i int) bool {
	for o := d.m[d.toks[i].s] - 1; o >= 0; o-- {
		switch d.src[o] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}
