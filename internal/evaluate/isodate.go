package evaluate

import "time"

// day is score.py's day(): date.fromisoformat(str(v)[:10]) under Python
// 3.11, which also takes 20250301, 2025-W10 and 2025-W10-3 and ignores
// bytes after a basic YYYYMMDD date. ok is false where Python raises.
func day(v any) (time.Time, bool) {
	b := []byte(prefixRunes(pyStr(v), 10))
	if n := len(b); n != 7 && n != 8 && n != 10 {
		return time.Time{}, false
	}
	at := func(i int) byte {
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	digits := func(i, n int) (int, bool) {
		v := 0
		for k := 0; k < n; k++ {
			c := at(i + k)
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok := digits(0, 4)
	if !ok {
		return time.Time{}, false
	}
	p := 4
	sep := at(p) == '-'
	if sep {
		p++
	}
	if at(p) == 'W' {
		p++
		week, ok := digits(p, 2)
		if !ok {
			return time.Time{}, false
		}
		p += 2
		wd := 1
		if p < len(b) {
			if sep {
				if at(p) != '-' {
					return time.Time{}, false
				}
				p++
			}
			if wd, ok = digits(p, 1); !ok {
				return time.Time{}, false
			}
		}
		return isoWeekDate(year, week, wd)
	}
	month, ok := digits(p, 2)
	if !ok {
		return time.Time{}, false
	}
	p += 2
	if sep {
		if at(p) != '-' {
			return time.Time{}, false
		}
		p++
	}
	dd, ok := digits(p, 2)
	if !ok {
		return time.Time{}, false
	}
	return mkDate(year, month, dd)
}

func mkDate(y, m, d int) (time.Time, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// isoWeekDate follows CPython's iso_to_ymd.
func isoWeekDate(year, week, wd int) (time.Time, bool) {
	if week <= 0 || week >= 53 {
		if week != 53 {
			return time.Time{}, false
		}
		jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Weekday()
		leap := year%4 == 0 && (year%100 != 0 || year%400 == 0)
		if !(jan1 == time.Thursday || (jan1 == time.Wednesday && leap)) {
			return time.Time{}, false
		}
	}
	if wd <= 0 || wd >= 8 {
		return time.Time{}, false
	}
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	t := monday.AddDate(0, 0, (week-1)*7+wd-1)
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}
