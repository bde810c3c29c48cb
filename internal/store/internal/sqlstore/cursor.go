package sqlstore

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Page sizes for Events, the same in every backend.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Limit is a requested page size made valid: DefaultLimit when n <= 0,
// at most MaxLimit.
func Limit(n int) int {
	if n <= 0 {
		n = DefaultLimit
	}
	return min(n, MaxLimit)
}

// Cursor is the position after the last row of a page. Encoded as base64
// JSON, it is opaque to callers but easy to inspect when debugging.
type Cursor struct {
	Sort  string `json:"s"`
	Date  string `json:"d,omitempty"`
	Fatal int    `json:"f,omitempty"`
	ID    string `json:"id"`
}

// EncodeCursor encodes c for Filter.Cursor.
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal(c) // a struct of strings and ints always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor decodes s, which must be a cursor for sort. Its errors wrap
// bad, the calling backend's ErrBadFilter.
func DecodeCursor(s, sort string, bad error) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, fmt.Errorf("%w: malformed cursor", bad)
	}
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" {
		return c, fmt.Errorf("%w: malformed cursor", bad)
	}
	if c.Sort != sort {
		return c, fmt.Errorf("%w: cursor is for sort %q, not %q", bad, c.Sort, sort)
	}
	return c, nil
}
