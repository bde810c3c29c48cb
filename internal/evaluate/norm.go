package evaluate

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Norm is score.py's norm(): NFKD, combining marks dropped, lower case,
// anything not a letter or digit turned into a space, spaces collapsed.
func Norm(s string) string {
	s = norm.NFKD.String(s)
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		if norm.NFKD.PropertiesString(string(r)).CCC() == 0 {
			rs = append(rs, r)
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		if r == 'Σ' && finalSigma(rs, i) {
			r = 'ς'
		} else {
			r = unicode.ToLower(r)
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// finalSigma is Python's Final_Sigma test for lower(): a capital sigma
// that ends a word lowers to ς.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	j = i + 1
	for j < len(rs) && caseIgnorable(rs[j]) {
		j++
	}
	return j == len(rs) || !cased(rs[j])
}

func cased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// normAny is norm(v) for a JSON value: Python's `s or ""` makes falsy values
// empty; other non-strings make score.py raise, and are read as their str().
func normAny(v any) string {
	if !truthy(v) {
		return ""
	}
	return Norm(pyStr(v))
}

// km is the haversine distance with score.py's Earth radius, including its
// min(1.0, x) which keeps NaN out the way Python's min() does.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	rad := func(d float64) float64 { return d * (math.Pi / 180) }
	p1, p2 := rad(lat1), rad(lat2)
	dp, dl := p2-p1, rad(lon2-lon1)
	sp, sl := math.Sin(dp/2), math.Sin(dl/2)
	// explicit conversions forbid fused multiply-add, which Python never uses
	a := float64(sp*sp) + float64(float64(math.Cos(p1)*math.Cos(p2))*float64(sl*sl))
	s := math.Sqrt(a)
	m := 1.0
	if s < m {
		m = s
	}
	return 2 * 6371.0 * math.Asin(m)
}
