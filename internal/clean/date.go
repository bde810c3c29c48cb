package clean

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dateline patterns are built once from data/months.txt.
type dateRes struct {
	mdy, dmy, numeric, iso, noYear *regexp.Regexp
}

var (
	dateOnce sync.Once
	dres     dateRes
)

// A date counts as the publication date only where a dateline puts it: at
// the start of a line (after a weekday, "Publié le", "Updated", "Le" or
// "CITY,") and followed by the end of the line, a time, or punctuation.
// "On 24 August 2024, gunmen…" is an event date and does not match.
const (
	datePrefix = `(?i)(?:^|publi[ée]e? le|published(?: on)?|posted(?: on)?|mis à jour le)\s*(?:(?:le|updated|date|dated)\s*:?\s*)?(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+)?(?:le\s+)?`
	dateAfter  = `\s*(?:$|[:|–—\-(]|à\s|at\s|,?\s*\d{1,2}[:h]\d)`
	yearRe     = `((?:19|20)\d\d)`
)

func (c *Cleaner) dateRes() dateRes {
	dateOnce.Do(func() {
		names := make([]string, 0, len(c.lx.months))
		for n := range c.lx.months {
			names = append(names, regexp.QuoteMeta(n))
		}
		sort.Slice(names, func(i, j int) bool {
			if len(names[i]) != len(names[j]) {
				return len(names[i]) > len(names[j])
			}
			return names[i] < names[j]
		})
		m := `(` + strings.Join(names, "|") + `)\.?`
		dres = dateRes{
			mdy:     regexp.MustCompile(datePrefix + m + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+` + yearRe + dateAfter),
			dmy:     regexp.MustCompile(datePrefix + `(\d{1,2}|1er)\s+` + m + `,?\s+` + yearRe + dateAfter),
			numeric: regexp.MustCompile(datePrefix + `(\d{1,2})[/.](\d{1,2})[/.]` + yearRe + dateAfter),
			iso:     regexp.MustCompile(datePrefix + yearRe + `-(\d\d)-(\d\d)` + dateAfter),
			// "Bamako, July 27 (Reuters) –": the year comes from elsewhere.
			noYear: regexp.MustCompile(`(?i)^[\pL][\pL'’ ./-]{1,40},\s*` + m + `\s+(\d{1,2})\s*\(\s*[\pL .]{2,30}\)\s*[–—-]`),
		}
	})
	return dres
}

// dateline finds a publication date in the first lines of the text (the
// cleaned text first, then, for plain text, the input with its header).
func (c *Cleaner) dateline(raw, format, cleaned string) (time.Time, bool) {
	if t, ok := c.findDateline(cleaned); ok {
		return t, true
	}
	if format == "text" {
		return c.findDateline(raw)
	}
	return time.Time{}, false
}

var reAnyYear = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)

func (c *Cleaner) findDateline(s string) (time.Time, bool) {
	re := c.dateRes()
	lines := splitLines(s)
	if len(lines) > 15 {
		lines = lines[:15]
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.ContainsAny(l, "0123456789") {
			continue
		}
		if len(l) > 300 {
			l = strings.ToValidUTF8(l[:300], "")
		}
		if m := re.mdy.FindStringSubmatch(l); m != nil {
			if t, ok := c.mkDate(m[3], c.lx.months[strings.ToLower(m[1])], m[2]); ok {
				return t, true
			}
		}
		if m := re.dmy.FindStringSubmatch(l); m != nil {
			if t, ok := c.mkDate(m[3], c.lx.months[strings.ToLower(m[2])], m[1]); ok {
				return t, true
			}
		}
		if m := re.numeric.FindStringSubmatch(l); m != nil {
			mo, _ := strconv.Atoi(m[2])
			if t, ok := c.mkDate(m[3], mo, m[1]); ok {
				return t, true
			}
		}
		if m := re.iso.FindStringSubmatch(l); m != nil {
			mo, _ := strconv.Atoi(m[2])
			if t, ok := c.mkDate(m[1], mo, m[3]); ok {
				return t, true
			}
		}
		if m := re.noYear.FindStringSubmatch(l); m != nil {
			// The year of the first full year the text mentions.
			if y := reAnyYear.FindString(s); y != "" {
				if t, ok := c.mkDate(y, c.lx.months[strings.ToLower(m[1])], m[2]); ok {
					return t, true
				}
			}
		}
	}
	return time.Time{}, false
}

func (c *Cleaner) mkDate(year string, month int, day string) (time.Time, bool) {
	y, err := strconv.Atoi(year)
	if err != nil || month < 1 || month > 12 {
		return time.Time{}, false
	}
	if day == "1er" {
		day = "1"
	}
	d, err := strconv.Atoi(day)
	if err != nil || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(month), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 June
		return time.Time{}, false
	}
	return t, true
}

func splitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}
