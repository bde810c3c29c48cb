package source

import (
	"bytes"
	"encoding/xml"
	"io"
	"mime"
	"regexp"
	"strings"
)

// sniffLen is how much of an input is looked at before choosing a format.
const sniffLen = 64 << 10

// DetectFormat chooses how to parse an input from its extension (".rss",
// with the dot), its HTTP Content-Type (may be empty) and its first bytes.
// It never returns FormatAuto. CSV is only ever chosen by extension or
// Content-Type: commas prove nothing.
func DetectFormat(ext, contentType string, head []byte) string {
	switch strings.ToLower(ext) {
	case ".txt", ".text", ".md":
		return FormatText
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	case ".rss", ".atom":
		return FormatFeed
	case ".jsonl":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".json":
		if isJSONFeed(head) {
			return FormatFeed
		}
		return FormatJSONL
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch mt {
		case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
			return FormatFeed
		case "text/csv":
			return FormatCSV
		case "application/jsonl", "application/x-ndjson", "application/x-jsonlines":
			return FormatJSONL
		}
	}
	return Sniff(head)
}

// Sniff chooses a format from content alone: JSON Lines when every
// non-empty line of head starts with '{', a feed when the XML root is rss,
// feed or rdf:RDF (or head is a JSON Feed), HTML when it looks like HTML,
// else text.
func Sniff(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if isJSONFeed(head) {
		return FormatFeed
	}
	if isJSONL(head) {
		return FormatJSONL
	}
	switch xmlRoot(head) {
	case "rss", "feed", "rdf":
		return FormatFeed
	case "html":
		return FormatHTML
	}
	if looksHTML(head) {
		return FormatHTML
	}
	return FormatText
}

func isJSONL(head []byte) bool {
	lines := 0
	for line := range bytes.SplitSeq(head, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			return false
		}
		lines++
	}
	return lines > 0
}

func isJSONFeed(head []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	return len(t) > 0 && t[0] == '{' && bytes.Contains(head, []byte("jsonfeed.org/version"))
}

// xmlRoot returns the lower-cased local name of head's root element, or
// "" when head does not start like XML.
func xmlRoot(head []byte) string {
	t := bytes.TrimSpace(head)
	if len(t) == 0 || t[0] != '<' {
		return ""
	}
	d := xml.NewDecoder(bytes.NewReader(t))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for range 64 { // the root comes after a handful of prolog tokens
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			return strings.ToLower(tok.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				return ""
			}
		}
	}
	return ""
}

var htmlTag = regexp.MustCompile(`(?i)<(?:!doctype\s+html|html|head|body|p|br|div|span|a\s|img|b|i|em|strong|ul|ol|li|h[1-6]|table|figure|blockquote|article|section|meta|title)\b[^>]{0,500}>|</(?:p|div|span|a|b|i|em|strong|li|h[1-6]|html|body)>`)

// looksHTML says whether text carries HTML markup rather than prose.
func looksHTML(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	return htmlTag.Match(b)
}

// isBinary says whether head is not text in any encoding the cleaner can
// decode: NUL bytes (except in UTF-16 with a byte-order mark) or more than
// one control character in ten.
func isBinary(head []byte) bool {
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return false
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b || c == 0x7f {
			ctl++
		}
	}
	return ctl*10 > len(head)
}
