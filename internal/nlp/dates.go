package nlp

import "time"

// ACLED time precision codes used in DateRef.Precision.
const (
	PrecisionDay   = 1
	PrecisionWeek  = 2
	PrecisionMonth = 3
)

// lateWindow is how far after publication a day-month without a year may
// fall before it is taken to be in the previous year: scheduled events and
// late-coded items are dated a few days after their report.
const lateWindow = 7 * 24 * time.Hour

// DateRef is a date expression resolved against the publication date.
type DateRef struct {
	Start, End int       // byte offsets of the expression
	Date       time.Time // best single day (UTC midnight)
	From, To   time.Time // the range the text allows (inclusive)
	Precision  int       // 1 day, 2 about a week, 3 month or vaguer (ACLED time_precision)
	Relative   bool      // resolved from the publication date (weekday, yesterday, last week...)
	// YearOnly marks a bare year or "last year"/"cette année": usually
	// background rather than the date of an incident.
	YearOnly bool
}

type dctx struct {
	d      *doc
	l      *lexicon
	lang   string
	pub    time.Time
	hasPub bool
}

func utcDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validDay builds a date and reports whether it exists (no 31 April).
func validDay(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return time.Time{}, false
	}
	t := utcDay(y, time.Month(m), d)
	return t, t.Day() == d
}

func lastOfMonth(y int, m time.Month) time.Time {
	return utcDay(y, m+1, 0)
}

// Dates finds date expressions and resolves them. lang is "en", "fr" or ""
// (both). When published is zero, relative expressions ("yesterday",
// "mardi") and day-months without a year are skipped, since nothing anchors
// them. The year of a day-month without one is the year that puts it
// nearest on or before published, allowing up to seven days after.
func Dates(text, lang string, published time.Time) []DateRef {
	c := &dctx{d: newDoc(text), l: getLex(), lang: lang}
	if !published.IsZero() {
		c.pub = utcDay(published.Year(), published.Month(), published.Day())
		c.hasPub = true
	}
	var out []DateRef
	for i := 0; i < len(c.d.toks); {
		r, next, emit := c.at(i)
		if next > i {
			if emit {
				out = append(out, r)
			}
			i = next
			continue
		}
		i++
	}
	return out
}

// at tries each date pattern at token i, most specific first. next > i
// means tokens were consumed; emit says whether a date came out of them.
func (c *dctx) at(i int) (DateRef, int, bool) {
	if c.d.kind(i) != tNum && !c.l.dateStarts[c.d.text(i)] {
		return DateRef{}, i, false
	}
	for _, f := range []func(int) (DateRef, int, bool){
		c.numeric, c.night, c.absolute, c.monthExpr, c.yearExpr, c.season, c.ago, c.relative, c.weekdayExpr,
	} {
		if r, next, emit := f(i); next > i {
			if emit {
				r.Start, r.End = c.d.span(i, next-1)
				if r.Start >= r.End {
					return DateRef{}, next, false
				}
				// Patterns may report a later first token (a skipped article).
			}
			return r, next, emit
		}
	}
	return DateRef{}, i, false
}

func (c *dctx) langOK(l string) bool { return c.lang == "" || c.lang == l }

func (c *dctx) phraseAt(i int, tags ...string) (phrase, int, bool) {
	return c.d.matchPhrase(c.l.datePhrases, i, func(p phrase) bool {
		return c.langOK(p.lang) && hasTag(p.tag, tags)
	})
}

// month reads a month name at token i. English "May" must be capitalised:
// "may" is far more often the verb.
func (c *dctx) month(i int) (m int, abbr bool, ok bool) {
	w := c.d.text(i)
	for _, e := range c.l.months[w] {
		if !c.langOK(e.lang) {
			continue
		}
		if w == "may" && e.lang == "en" && !c.d.origUpper(i) {
			continue
		}
		if w == "mars" && c.d.origUpper(i) && c.lang != "fr" && (c.d.text(i-1) == "on" || c.d.text(i-1) == "to") {
			continue // "on Mars", the planet
		}
		return e.month, e.abbr, true
	}
	return 0, false, false
}

func (c *dctx) weekday(i int) (int, bool) {
	for _, e := range c.l.weekdays[c.d.text(i)] {
		if c.langOK(e.lang) {
			return e.wd, true
		}
	}
	return 0, false
}

var ordinalSuffix = map[string]bool{"st": true, "nd": true, "rd": true, "th": true, "er": true, "re": true, "e": true, "eme": true, "ieme": true}

// dayNum reads a day of the month ("3", "1er", "17th") at token i.
func (c *dctx) dayNum(i int) (int, int, bool) {
	d := c.d
	t := d.text(i)
	if d.kind(i) != tNum || len(t) > 2 || (d.glued(i) && d.kind(i-1) != tPunct) {
		return 0, i, false
	}
	n := int(atoiSat(t))
	if n < 1 || n > 31 {
		return 0, i, false
	}
	j := i + 1
	if d.glued(j) {
		switch {
		case d.kind(j) == tWord && ordinalSuffix[d.text(j)]:
			j++
		case d.kind(j) == tWord || d.kind(j) == tNum:
			return 0, i, false
		case d.text(j) == ":" || d.text(j) == "h":
			return 0, i, false
		}
	}
	return n, j, true
}

// year reads a four-digit year 1900-2100 at token i.
func (c *dctx) year(i int) (int, bool) {
	d := c.d
	t := d.text(i)
	if d.kind(i) != tNum || len(t) != 4 {
		return 0, false
	}
	if d.glued(i+1) && (d.kind(i+1) == tWord || d.kind(i+1) == tNum) {
		return 0, false
	}
	y := int(atoiSat(t))
	return y, y >= 1900 && y <= 2100
}

// yearFor picks the year for a month and day given without one.
func (c *dctx) yearFor(m, day int) (int, bool) {
	if !c.hasPub {
		return 0, false
	}
	y := c.pub.Year()
	t, ok := validDay(y, m, day)
	if ok && t.Sub(c.pub) > lateWindow {
		y--
		t, ok = validDay(y, m, day)
	}
	if !ok { // 29 February in a common year: try the year before
		y--
		_, ok = validDay(y, m, day)
	}
	return y, ok
}

func dayRef(t time.Time) DateRef {
	return DateRef{Date: t, From: t, To: t, Precision: PrecisionDay}
}

// rangeRef is a span of days with a precision that widens with its length.
func rangeRef(from, to time.Time) DateRef {
	r := DateRef{Date: from, From: from, To: to, Precision: PrecisionDay}
	switch days := to.Sub(from).Hours() / 24; {
	case days > 7:
		r.Precision = PrecisionMonth
	case days > 1:
		r.Precision = PrecisionWeek
	}
	return r
}

// clamp keeps Date and To from falling after publication when the range
// starts before it: an event is not reported before it happens.
func (c *dctx) clamp(r DateRef) DateRef {
	if !c.hasPub || r.From.After(c.pub) {
		return r
	}
	if r.To.After(c.pub) {
		r.To = c.pub
	}
	if r.Date.After(c.pub) {
		r.Date = c.pub
	}
	return r
}

// numeric reads "2024-09-17", "17/09/2024", "17.09.24".
func (c *dctx) numeric(i int) (DateRef, int, bool) {
	d := c.d
	if d.kind(i) != tNum || (d.glued(i) && d.kind(i-1) != tPunct) {
		return DateRef{}, i, false
	}
	sep := d.text(i + 1)
	if (sep != "-" && sep != "/" && sep != ".") || d.text(i+3) != sep ||
		d.kind(i+2) != tNum || d.kind(i+4) != tNum ||
		!d.glued(i+1) || !d.glued(i+2) || !d.glued(i+3) || !d.glued(i+4) ||
		(d.glued(i+5) && (d.kind(i+5) == tNum || d.kind(i+5) == tWord)) {
		return DateRef{}, i, false
	}
	a, b, e := d.text(i), d.text(i+2), d.text(i+4)
	var y, m, day int
	switch {
	case len(a) == 4 && sep == "-" && len(b) <= 2 && len(e) <= 2:
		y, m, day = int(atoiSat(a)), int(atoiSat(b)), int(atoiSat(e))
	case len(a) <= 2 && len(b) <= 2 && (len(e) == 4 || len(e) == 2):
		day, m, y = int(atoiSat(a)), int(atoiSat(b)), int(atoiSat(e))
		if len(e) == 2 {
			y += 2000
		}
		if m > 12 && day <= 12 { // US order, 09/17/2024
			day, m = m, day
		}
	default:
		return DateRef{}, i, false
	}
	t, ok := validDay(y, m, day)
	if !ok || y < 1900 || y > 2100 {
		return DateRef{}, i, false
	}
	return dayRef(t), i + 5, true
}

// dayMonth reads a day-month at token i in either order, with an optional
// second day ("16-17 September", "du 16 au 17 septembre") and year. It
// returns both days, the month and year (0 when absent) and the next token.
func (c *dctx) dayMonth(i int) (d1, d2, m, y, next int, ok bool) {
	d := c.d
	if mm, _, isM := c.month(i); isM {
		j := i + 1
		if d.text(j) == "." {
			j++
		}
		day, k, isD := c.dayNum(j)
		if !isD {
			return
		}
		d1, d2, m = day, day, mm
		if t := d.text(k); t == "-" || t == "to" {
			if e, k2, isD2 := c.dayNum(k + 1); isD2 && e > day {
				d2, k = e, k2
			}
		}
		return c.withYear(d1, d2, m, k)
	}
	day, j, isD := c.dayNum(i)
	if !isD {
		return
	}
	d1, d2 = day, day
	switch d.text(j) {
	case "-", "to", "au", "a", "and", "et":
		if e, k, isD2 := c.dayNum(j + 1); isD2 && e > day {
			if _, _, isM := c.month(k); isM || d.text(k) == "of" {
				d2, j = e, k
			}
		}
	}
	if d.text(j) == "of" {
		j++
	}
	mm, abbr, isM := c.month(j)
	if !isM {
		return
	}
	j++
	if abbr && d.text(j) == "." {
		j++
	}
	return c.withYear(d1, d2, mm, j)
}

func (c *dctx) withYear(d1, d2, m, j int) (int, int, int, int, int, bool) {
	k := j
	if c.d.text(k) == "," {
		k++
	}
	if y, ok := c.year(k); ok {
		return d1, d2, m, y, k + 1, true
	}
	return d1, d2, m, 0, j, true
}

// dayRange resolves days d1..d2 of month m (year y, or inferred).
func (c *dctx) dayRange(d1, d2, m, y int) (DateRef, bool) {
	if y == 0 {
		var ok bool
		if y, ok = c.yearFor(m, d1); !ok {
			return DateRef{}, false
		}
	}
	from, ok1 := validDay(y, m, d1)
	to, ok2 := validDay(y, m, d2)
	if !ok1 || !ok2 {
		return DateRef{}, false
	}
	return rangeRef(from, to), true
}

// absolute reads "March 25", "25 March 2025", "Wednesday, December 3, 2025",
// "mardi 25 mars", "le 1er avril", "September 17th".
func (c *dctx) absolute(i int) (DateRef, int, bool) {
	j := i
	if _, ok := c.weekday(i); ok {
		j++
		if c.d.text(j) == "," {
			j++
		}
		if t := c.d.text(j); t == "le" || t == "the" {
			j++
		}
	}
	d1, d2, m, y, next, ok := c.dayMonth(j)
	if !ok {
		return DateRef{}, i, false
	}
	r, ok := c.dayRange(d1, d2, m, y)
	if !ok {
		return DateRef{}, next, false
	}
	return r, next, true
}

// weekdayBefore is the most recent given weekday on or before publication.
func (c *dctx) weekdayBefore(wd int, strict bool) time.Time {
	delta := (int(c.pub.Weekday()) - wd + 7) % 7
	if strict && delta == 0 {
		delta = 7
	}
	return c.pub.AddDate(0, 0, -delta)
}

// night reads "dans la nuit de lundi à mardi", "nuit du 16 au 17 septembre",
// "overnight Monday to Tuesday", "the night of 16-17 September".
func (c *dctx) night(i int) (DateRef, int, bool) {
	d := c.d
	_, j, ok := c.phraseAt(i, "night")
	if !ok {
		return DateRef{}, i, false
	}
	for range 3 {
		switch d.text(j) {
		case "of", "de", "du", "between", "entre", "from", "the":
			j++
			continue
		case "d":
			if d.text(j+1) == "'" {
				j += 2
				continue
			}
		}
		break
	}
	if wd1, ok := c.weekday(j); ok {
		if !c.hasPub {
			return DateRef{}, j + 1, false
		}
		if _, k, ok := c.phraseAt(j+1, "nightto"); ok {
			if wd2, ok := c.weekday(k); ok {
				// Anchor on the morning after: the night is reported once over.
				to := c.weekdayBefore(wd2, false)
				gap := (wd2 - wd1 + 7) % 7
				if gap == 0 {
					gap = 7
				}
				from := to.AddDate(0, 0, -gap)
				r := DateRef{Date: from, From: from, To: to, Precision: PrecisionDay, Relative: true}
				return r, k + 1, true
			}
		}
		t := c.weekdayBefore(wd1, false)
		r := dayRef(t)
		r.Relative = true
		return r, j + 1, true
	}
	// Dated nights: "16-17 September", "du 31 août au 1er septembre".
	d1, j2, ok := c.dayNum(j)
	if !ok {
		return DateRef{}, i, false
	}
	m1, _, hasM1 := c.month(j2)
	k := j2
	if hasM1 {
		k++
	}
	_, k, ok = c.phraseAt(k, "nightto")
	if !ok {
		if hasM1 { // "the night of 16 September"
			_, _, m, y, next, ok := c.withYear(d1, d1, m1, j2+1)
			if r, ok2 := c.dayRange(d1, d1, m, y); ok && ok2 {
				return r, next, true
			}
		}
		return DateRef{}, i, false
	}
	d2, k2, ok := c.dayNum(k)
	if !ok {
		return DateRef{}, i, false
	}
	m2, _, ok := c.month(k2)
	if !ok {
		return DateRef{}, i, false
	}
	_, _, _, y, next, _ := c.withYear(d2, d2, m2, k2+1)
	if !hasM1 {
		m1 = m2
		if d1 > d2 { // "du 31 au 1er septembre"
			m1 = m2 - 1
		}
	}
	y2 := y
	if y2 == 0 {
		if y2, ok = c.yearFor(m2, d2); !ok {
			return DateRef{}, next, false
		}
	}
	y1 := y2
	if m1 < 1 {
		m1, y1 = 12, y2-1
	} else if m1 > m2 {
		y1 = y2 - 1
	}
	from, ok1 := validDay(y1, m1, d1)
	to, ok2 := validDay(y2, m2, d2)
	if !ok1 || !ok2 || to.Before(from) || to.Sub(from) > 48*time.Hour {
		return DateRef{}, next, false
	}
	return DateRef{Date: from, From: from, To: to, Precision: PrecisionDay}, next, true
}

// monthRef is a whole month (precision 3) or a part of one (precision 2).
func (c *dctx) monthRef(y, m int, part string) DateRef {
	mo := time.Month(m)
	r := DateRef{From: utcDay(y, mo, 1), To: lastOfMonth(y, mo), Date: utcDay(y, mo, 15), Precision: PrecisionMonth}
	switch part {
	case "early":
		r.To, r.Date, r.Precision = utcDay(y, mo, 10), utcDay(y, mo, 5), PrecisionWeek
	case "mid":
		r.From, r.To, r.Date, r.Precision = utcDay(y, mo, 11), utcDay(y, mo, 20), utcDay(y, mo, 15), PrecisionWeek
	case "late":
		r.From, r.Date, r.Precision = utcDay(y, mo, 21), utcDay(y, mo, 25), PrecisionWeek
	}
	return c.clamp(r)
}

// monthExpr reads "in July", "en juillet 2025", "July 2025", "late March",
// "mi-mars", "fin février".
func (c *dctx) monthExpr(i int) (DateRef, int, bool) {
	d := c.d
	j := i
	part := ""
	lead := false
	if p, k, ok := c.phraseAt(i, "early", "mid", "late"); ok {
		part, j, lead = p.tag, k, true
		if d.text(j) == "-" {
			j++
		}
	} else if _, k, ok := c.phraseAt(i, "monthprep"); ok {
		j, lead = k, true
		if d.text(j) == "the" || d.text(j) == "le" {
			j++
		}
	}
	m, abbr, ok := c.month(j)
	if !ok {
		return DateRef{}, i, false
	}
	k := j + 1
	if abbr && d.text(k) == "." {
		k++
	}
	if _, _, isDay := c.dayNum(k); isDay && !lead {
		return DateRef{}, i, false // "March 25" is absolute's
	}
	if _, _, isDay := c.dayNum(k); isDay {
		return DateRef{}, i, false // "in March 25": let absolute take it at the month
	}
	y, hasY := c.year(k)
	if hasY {
		k++
	}
	if !hasY && (!lead || abbr) {
		return DateRef{}, i, false
	}
	if !hasY {
		if !c.hasPub {
			return DateRef{}, k, false
		}
		y = c.pub.Year()
		if utcDay(y, time.Month(m), 1).Sub(c.pub) > lateWindow {
			y--
		}
	}
	return c.monthRef(y, m, part), k, true
}

// yearExpr reads "in 2012", "en 2012", "depuis 2015", "fin 2023".
func (c *dctx) yearExpr(i int) (DateRef, int, bool) {
	if !c.l.yearPreps[c.d.text(i)] {
		return DateRef{}, i, false
	}
	j := i + 1
	if c.d.text(j) == "de" || c.d.text(j) == "of" { // "fin de 2023", "the summer of 2012"
		j++
	}
	y, ok := c.year(j)
	if !ok {
		return DateRef{}, i, false
	}
	if t := c.d.text(j + 1); (t == "-" || t == "/") && c.d.glued(i+2) {
		return DateRef{}, i, false
	}
	from, to := utcDay(y, 1, 1), utcDay(y, 12, 31)
	r := DateRef{Date: utcDay(y, 7, 1), From: from, To: to, Precision: PrecisionMonth, YearOnly: true}
	return c.clamp(r), j + 1, true
}

type seasonSpan struct{ start, months int }

var seasons = map[string]seasonSpan{
	"spring": {3, 3}, "summer": {6, 3}, "autumn": {9, 3}, "winter": {12, 3}, "rainy": {6, 4},
}

// season reads "this summer", "cet été", "l'hiver dernier", "last winter".
func (c *dctx) season(i int) (DateRef, int, bool) {
	d := c.d
	j := i
	mode := ""
	switch t := d.text(i); t {
	case "this", "ce", "cet", "cette":
		mode, j = "this", i+1
	case "l":
		if d.text(i+1) == "'" {
			j = i + 2
		}
	case "la", "le":
		j = i + 1
	default:
		if _, k, ok := c.phraseAt(i, "last"); ok {
			mode, j = "last", k
		}
	}
	p, k, ok := c.phraseAt(j, "summer", "winter", "spring", "autumn", "rainy")
	if !ok {
		return DateRef{}, i, false
	}
	if p2, k2, ok := c.phraseAt(k, "last"); ok && mode == "" && p2.lang == "fr" {
		mode, k = "last", k2
	}
	if mode == "" || !c.hasPub {
		return DateRef{}, i, false
	}
	s := seasons[p.tag]
	var from, to time.Time
	for y := c.pub.Year(); y >= c.pub.Year()-2; y-- {
		from = utcDay(y, time.Month(s.start), 1)
		to = from.AddDate(0, s.months, -1)
		if (mode == "this" && !from.After(c.pub)) || (mode == "last" && to.Before(c.pub)) {
			break
		}
	}
	mid := from.Add(to.Sub(from) / 2)
	mid = utcDay(mid.Year(), mid.Month(), mid.Day())
	r := DateRef{Date: mid, From: from, To: to, Precision: PrecisionMonth, Relative: true}
	return c.clamp(r), k, true
}

// ago reads "three days ago", "il y a deux semaines", "a week ago".
func (c *dctx) ago(i int) (DateRef, int, bool) {
	d := c.d
	j := i
	fr := false
	if _, k, ok := c.phraseAt(i, "agopre"); ok {
		j, fr = k, true
	}
	n, k := 0, j
	switch t := d.text(j); {
	case t == "a" || t == "an" || t == "une" || t == "un":
		n, k = 1, j+1
	case d.kind(j) == tNum && len(t) <= 3:
		n, k = int(atoiSat(t)), j+1
	default:
		nv, ok := d.parseWords(c.l, j)
		if !ok || nv.v > 1000 {
			return DateRef{}, i, false
		}
		n, k = int(nv.v), nv.end
	}
	p, k2, ok := c.phraseAt(k, "dayunit", "weekunit")
	if !ok || n > 400 {
		return DateRef{}, i, false
	}
	if !fr {
		_, k3, ok := c.phraseAt(k2, "ago")
		if !ok {
			return DateRef{}, i, false
		}
		k2 = k3
	}
	if !c.hasPub {
		return DateRef{}, k2, false
	}
	if p.tag == "dayunit" {
		r := dayRef(c.pub.AddDate(0, 0, -n))
		r.Relative = true
		return r, k2, true
	}
	t := c.pub.AddDate(0, 0, -7*n)
	r := DateRef{Date: t, From: t.AddDate(0, 0, -3), To: t.AddDate(0, 0, 3), Precision: PrecisionWeek, Relative: true}
	return c.clamp(r), k2, true
}

// relative reads the phrases of data/dates.txt: yesterday, hier, last week...
func (c *dctx) relative(i int) (DateRef, int, bool) {
	p, k, ok := c.phraseAt(i, "today", "yesterday", "daybefore", "lastnight", "thisweek", "lastweek",
		"weekend", "thismonth", "lastmonth", "thisyear", "lastyear")
	if !ok {
		return DateRef{}, i, false
	}
	// "overnight" followed by a weekday or date is a night, handled elsewhere;
	// alone it is the night before publication.
	if !c.hasPub {
		return DateRef{}, k, false
	}
	pub := c.pub
	var r DateRef
	switch p.tag {
	case "today":
		r = dayRef(pub)
	case "yesterday":
		r = dayRef(pub.AddDate(0, 0, -1))
	case "daybefore":
		r = dayRef(pub.AddDate(0, 0, -2))
	case "lastnight":
		r = DateRef{Date: pub.AddDate(0, 0, -1), From: pub.AddDate(0, 0, -1), To: pub, Precision: PrecisionDay}
	case "thisweek":
		r = DateRef{Date: pub.AddDate(0, 0, -3), From: pub.AddDate(0, 0, -6), To: pub, Precision: PrecisionWeek}
	case "lastweek":
		r = DateRef{Date: pub.AddDate(0, 0, -7), From: pub.AddDate(0, 0, -13), To: pub.AddDate(0, 0, -1), Precision: PrecisionWeek}
	case "weekend":
		sat := c.weekdayBefore(int(time.Saturday), false)
		r = c.clamp(DateRef{Date: sat, From: sat, To: sat.AddDate(0, 0, 1), Precision: PrecisionWeek})
	case "thismonth":
		from := utcDay(pub.Year(), pub.Month(), 1)
		mid := from.AddDate(0, 0, (pub.Day()-1)/2)
		r = DateRef{Date: mid, From: from, To: pub, Precision: PrecisionMonth}
	case "lastmonth":
		from := utcDay(pub.Year(), pub.Month()-1, 1)
		r = DateRef{Date: from.AddDate(0, 0, 14), From: from, To: lastOfMonth(from.Year(), from.Month()), Precision: PrecisionMonth}
	case "thisyear":
		from := utcDay(pub.Year(), 1, 1)
		mid := from.AddDate(0, 0, pub.YearDay()/2)
		r = DateRef{Date: mid, From: from, To: pub, Precision: PrecisionMonth, YearOnly: true}
	case "lastyear":
		y := pub.Year() - 1
		r = DateRef{Date: utcDay(y, 7, 1), From: utcDay(y, 1, 1), To: utcDay(y, 12, 31), Precision: PrecisionMonth, YearOnly: true}
	}
	r.Relative = true
	return r, k, true
}

// weekdayExpr reads "Sunday", "on Sunday", "last Tuesday", "mardi dernier",
// "ce lundi". "next Monday"/"lundi prochain" are consumed but not reported.
func (c *dctx) weekdayExpr(i int) (DateRef, int, bool) {
	j := i
	last, next := false, false
	if p, k, ok := c.phraseAt(i, "last", "next"); ok {
		if _, isWD := c.weekday(k); isWD {
			j = k
			last, next = p.tag == "last", p.tag == "next"
		}
	}
	wd, ok := c.weekday(j)
	if !ok {
		return DateRef{}, i, false
	}
	k := j + 1
	if p, k2, ok := c.phraseAt(k, "last", "next"); ok && p.lang == "fr" {
		k = k2
		last, next = last || p.tag == "last", next || p.tag == "next"
	}
	if next || !c.hasPub {
		return DateRef{}, k, false
	}
	r := dayRef(c.weekdayBefore(wd, last))
	r.Relative = true
	return r, k, true
}
