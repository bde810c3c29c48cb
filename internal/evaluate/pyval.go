package evaluate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The helpers in this file reproduce the few Python semantics score.py
// relies on (truthiness, str(), repr(), ==, float(), int()) for values
// decoded from JSON, so that odd inputs (numbers where strings are expected,
// nulls, booleans) are scored the way score.py scores them. Values are what
// encoding/json produces, with or without UseNumber: nil, bool, float64,
// json.Number, string, []any, map[string]any; plain Go ints are accepted too.

// isInt reports whether a JSON number literal is an integer in Python's
// json module (no fraction, no exponent).
func isIntLiteral(s string) bool { return !strings.ContainsAny(s, ".eE") }

// truthy is Python's bool(v).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case float64:
		return x != 0
	case int:
		return x != 0
	case json.Number:
		r, ok := numRat(x)
		if !ok {
			f, _ := strconv.ParseFloat(string(x), 64)
			return f != 0
		}
		return r.Sign() != 0
	}
	return true
}

// numRat returns the exact value Python holds for a number: an int literal
// exactly, a float literal after rounding to a double.
func numRat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewRat(1, 1), true
		}
		return new(big.Rat), true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(x), true
	case json.Number:
		s := string(x)
		if isIntLiteral(s) {
			r, ok := new(big.Rat).SetString(s)
			return r, ok
		}
		f, err := strconv.ParseFloat(s, 64)
		if (err != nil && !errors.Is(err, strconv.ErrRange)) || math.IsInf(f, 0) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(f), true
	}
	return nil, false
}

// isNumber reports whether v is numeric in Python (bool included).
func isNumber(v any) bool {
	switch v.(type) {
	case bool, int, float64, json.Number:
		return true
	}
	return false
}

// pyFloatOf converts a numeric JSON value the way Python's float() would;
// ok is false for non-numbers.
func pyFloatOf(v any) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// pyFloatRe is the syntax Python's float() accepts for finite decimals
// (underscores only between digits).
var pyFloatRe = regexp.MustCompile(`^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$`)

var pyIntRe = regexp.MustCompile(`^[0-9](?:_?[0-9])*$`)

// asciiDigits maps Unicode decimal digits to ASCII ones, as Python's
// float() and int() do before parsing a string.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 || !unicode.Is(unicode.Nd, r) {
			return r
		}
		z := r
		for z > 0 && unicode.Is(unicode.Nd, z-1) {
			z--
		}
		return '0' + (r-z)%10
	}, s)
}

// num is score.py's num(): float(x), or false when Python raises.
func num(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		s = strings.TrimFunc(asciiDigits(s), unicode.IsSpace)
		l := strings.ToLower(strings.TrimLeft(s, "+-"))
		sign := 1.0
		if strings.HasPrefix(s, "-") {
			sign = -1
		}
		if len(s)-len(strings.TrimLeft(s, "+-")) <= 1 {
			switch l {
			case "nan":
				return math.NaN(), true
			case "inf", "infinity":
				return sign * math.Inf(1), true
			}
		}
		if !pyFloatRe.MatchString(s) {
			return 0, false
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		return f, true
	}
	return pyFloatOf(v)
}

// pyIntOf is Python's int(v) as an exact integer; ok is false where Python
// raises (nan, inf, "3.5", None...).
func pyIntOf(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case string:
		s := strings.TrimFunc(asciiDigits(x), unicode.IsSpace)
		t := strings.TrimLeft(s, "+-")
		if len(s)-len(t) > 1 || !pyIntRe.MatchString(t) {
			return nil, false
		}
		n, ok := new(big.Int).SetString(strings.ReplaceAll(s, "_", ""), 10)
		return n, ok
	case json.Number:
		if isIntLiteral(string(x)) {
			return new(big.Int).SetString(string(x), 10)
		}
	}
	f, ok := pyFloatOf(v)
	if !ok || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	n, _ := big.NewFloat(f).Int(nil)
	return n, true
}

// pyEq is Python's == on JSON values.
func pyEq(a, b any) bool {
	if isNumber(a) && isNumber(b) {
		fa, aok := pyFloatOf(a)
		fb, bok := pyFloatOf(b)
		if aok && bok && (math.IsNaN(fa) || math.IsNaN(fb)) {
			return false
		}
		ra, aok := numRat(a)
		rb, bok := numRat(b)
		if !aok || !bok {
			return aok == bok && fa == fb
		}
		return ra.Cmp(rb) == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEq(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !pyEq(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// pyFloatRepr is Python's repr(float).
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX, shortest round trip
	mant, expS, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := fmt.Sprintf("%+03d", exp)
		return sign + m + "e" + es
	}
	var s string
	switch {
	case exp < 0:
		s = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		s = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		s = digits[:exp+1] + "." + digits[exp+1:]
	}
	return sign + s
}

// pyStr is Python's str(v).
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr(v). Objects print with sorted keys: a Go map has
// lost the document's key order that Python would keep.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		return pyFloatRepr(x)
	case json.Number:
		s := string(x)
		if isIntLiteral(s) {
			if n, ok := new(big.Int).SetString(s, 10); ok {
				return n.String()
			}
			return s
		}
		f, _ := strconv.ParseFloat(s, 64)
		return pyFloatRepr(f)
	case string:
		return pyStrRepr(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyStrRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyStrRepr is Python's repr(str).
func pyStrRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// prefixRunes is Python's s[:n] on code points.
func prefixRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// pyJSONString is json.dumps(s) with ensure_ascii=True.
func pyJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= 0x20 && r <= 0x7e:
				b.WriteRune(r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				r -= 0x10000
				fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// validUTF8 is a small indirection so the loaders can name the problem.
func validUTF8(b []byte) bool { return utf8.Valid(b) }
