package analysis

import (
	"fmt"
	"time"
)

// Week is an ISO 8601 week ("2025-W13"): Monday to Sunday, in UTC.
type Week struct {
	Year, Num int
}

// WeekOf returns the ISO week containing t.
func WeekOf(t time.Time) Week {
	y, n := t.ISOWeek()
	return Week{y, n}
}

// ParseWeek reads "2025-W13" (also "2025W13" and a lower-case w).
func ParseWeek(s string) (Week, error) {
	var y, n int
	var rest string
	if len(s) > 16 {
		return Week{}, fmt.Errorf("analysis: week %.16q...: too long", s)
	}
	for _, layout := range []string{"%d-W%d%s", "%d-w%d%s", "%dW%d%s", "%dw%d%s"} {
		if c, _ := fmt.Sscanf(s+"$", layout, &y, &n, &rest); c == 3 && rest == "$" {
			w := Week{y, n}
			if y < 1900 || y > 2200 || n < 1 || n > 53 || WeekOf(w.Start()) != w {
				return Week{}, fmt.Errorf("analysis: week %q does not exist", s)
			}
			return w, nil
		}
	}
	return Week{}, fmt.Errorf("analysis: week %q: want YYYY-Www, like 2025-W13", s)
}

func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// Start is the Monday of the week at 00:00 UTC.
func (w Week) Start() time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	wd := (int(jan4.Weekday()) + 6) % 7 // Monday = 0
	return jan4.AddDate(0, 0, -wd+7*(w.Num-1))
}

// End is the Sunday of the week at 00:00 UTC (the last day, inclusive).
func (w Week) End() time.Time { return w.Start().AddDate(0, 0, 6) }

// Add returns the week n weeks later (earlier when n < 0).
func (w Week) Add(n int) Week { return WeekOf(w.Start().AddDate(0, 0, 7*n)) }

// Contains reports whether the day of t falls in the week.
func (w Week) Contains(t time.Time) bool { return !t.IsZero() && WeekOf(t) == w }

// weeksBetween counts whole weeks from a to b (negative when b is before a).
func weeksBetween(a, b Week) int {
	return int(b.Start().Sub(a.Start()).Hours()/24) / 7
}

// LastFullWeek is the week before the current one.
func LastFullWeek() Week { return WeekOf(time.Now().UTC()).Add(-1) }
