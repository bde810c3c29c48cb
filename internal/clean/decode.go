package clean

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// Detect tells HTML from plain text by looking at the start of the input:
// a doctype or an <html>/<head>/<body> tag, or several common block tags.
func Detect(raw []byte) string {
	head := raw
	if len(head) > 4096 {
		head = head[:4096]
	}
	if s, err := Decode(head); err == nil {
		head = []byte(s)
	}
	l := bytes.ToLower(bytes.TrimSpace(head))
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml version=\"1.0\"?><html", "<meta", "<!--", "<style", "<script", "<link", "<title"} {
		if bytes.HasPrefix(l, []byte(p)) {
			return "html"
		}
	}
	// A page may open with kilobytes of inline style or script.
	if bytes.Contains(l, []byte("<html")) || bytes.Contains(l, []byte("<body")) {
		return "html"
	}
	n := 0
	for _, t := range []string{"<p>", "<p ", "<div", "<br", "<a href", "<span", "<h1", "<h2", "<li>", "<table", "<article", "<script"} {
		n += bytes.Count(l, []byte(t))
	}
	if n >= 3 {
		return "html"
	}
	return "text"
}

// Decode returns raw as valid UTF-8. It honours a byte-order mark (UTF-8,
// UTF-16 LE/BE), recognises BOM-less UTF-16 by its zero bytes, keeps valid
// UTF-8, and otherwise uses the charset an HTML page declares or
// windows-1252 (ISO-8859-1 when the bytes are not valid windows-1252).
// Mojibake such as "Ã©" for "é" is then repaired where the repair is
// unambiguous. Binary input yields ErrBinary.
func Decode(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return decodeUTF16(raw[2:], false)
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return decodeUTF16(raw[2:], true)
	}
	if le, ok := looksUTF16(raw); ok {
		return decodeUTF16(raw, !le)
	}
	if isBinary(raw) {
		return "", ErrBinary
	}
	var s string
	if utf8.Valid(raw) {
		s = string(raw)
	} else {
		enc := declaredCharset(raw)
		if enc == nil {
			enc = charmap.Windows1252
			for _, c := range raw {
				// Bytes windows-1252 leaves undefined: the text is ISO-8859-1.
				if c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D {
					enc = charmap.ISO8859_1
					break
				}
			}
		}
		b, err := enc.NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrEncoding, err)
		}
		s = strings.ToValidUTF8(string(b), "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\x00", "")
	return repairMojibake(s), nil
}

func decodeUTF16(b []byte, bigEndian bool) (string, error) {
	if len(b)%2 == 1 {
		b = b[:len(b)-1]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := strings.ToValidUTF8(string(utf16.Decode(u)), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if isBinary([]byte(s)) {
		return "", ErrBinary
	}
	return repairMojibake(s), nil
}

// looksUTF16 spots BOM-less UTF-16: mostly-ASCII text where every other
// byte is zero.
func looksUTF16(b []byte) (littleEndian, ok bool) {
	n := min(len(b), 2048) &^ 1
	if n < 8 {
		return false, false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd > half*8/10 && even < half/10:
		return true, true
	case even > half*8/10 && odd < half/10:
		return false, true
	}
	return false, false
}

// isBinary catches images, archives, executables and other non-text posing
// as a page: known magic numbers, NUL bytes, or many control characters.
func isBinary(b []byte) bool {
	for _, m := range []string{"%PDF-", "PK\x03\x04", "\x89PNG", "GIF8", "\xFF\xD8\xFF", "\x7FELF", "\x1F\x8B", "MZ\x90\x00", "Rar!", "7z\xBC\xAF"} {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	n := min(len(b), 8192)
	ctl := 0
	for _, c := range b[:n] {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B {
			ctl++
		}
	}
	return n > 0 && ctl*20 > n
}

// declaredCharset reads <meta charset> or an XML encoding from the start of
// the input; nil when none is declared or known.
func declaredCharset(b []byte) encoding.Encoding {
	head := bytes.ToLower(b[:min(len(b), 2048)])
	for _, key := range []string{"charset=", "encoding="} {
		i := bytes.Index(head, []byte(key))
		if i < 0 {
			continue
		}
		v := head[i+len(key):]
		v = bytes.TrimLeft(v, "\"' ")
		j := bytes.IndexAny(v, "\"'; />")
		if j > 0 {
			v = v[:j]
		}
		if enc, err := htmlindex.Get(string(v)); err == nil && enc != encoding.Nop {
			name, _ := htmlindex.Name(enc)
			if name != "utf-8" {
				return enc
			}
		}
	}
	return nil
}

// repairMojibake undoes UTF-8 that was decoded as windows-1252 or
// ISO-8859-1 ("Ã©" → "é", "â€™" → "’"). Each run of non-ASCII characters
// is re-encoded to single bytes; the run is replaced only when every
// character maps to a byte and the bytes form valid multi-byte UTF-8, which
// ordinary accented text practically never does.
func repairMojibake(s string) string {
	if !strings.ContainsAny(s, "ÃÂâÅÄÐÑÎÏ") {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
		}
		run := s[i:j]
		if fixed, ok := unmojibake(run); ok {
			b.WriteString(fixed)
		} else {
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func unmojibake(run string) (string, bool) {
	bs := make([]byte, 0, len(run))
	for _, r := range run {
		c, ok := cp1252Byte(r)
		if !ok {
			return "", false
		}
		bs = append(bs, c)
	}
	if !utf8.Valid(bs) || utf8.RuneCount(bs) == len(bs) {
		return "", false
	}
	out := string(bs)
	for _, r := range out {
		if r < 0xA0 { // C1 controls mean the guess was wrong
			return "", false
		}
	}
	return out, true
}

var cp1252Rev = func() map[rune]byte {
	m := map[rune]byte{}
	for c := 0x80; c < 0x100; c++ {
		r := charmap.Windows1252.DecodeByte(byte(c))
		if r != utf8.RuneError {
			m[r] = byte(c)
		}
	}
	// ISO-8859-1's C1 range, for bytes windows-1252 leaves undefined.
	for _, c := range []byte{0x81, 0x8D, 0x8F, 0x90, 0x9D} {
		m[rune(c)] = c
	}
	return m
}()

func cp1252Byte(r rune) (byte, bool) {
	if r < 0x80 {
		return byte(r), true
	}
	c, ok := cp1252Rev[r]
	return c, ok
}
