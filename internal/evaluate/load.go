package evaluate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// ErrFormat marks input that score.py would refuse (or crash on).
var ErrFormat = errors.New("evaluate: bad input")

// GoldDoc is one line of gold.jsonl: a document and its hand-coded events.
// Events keep the raw decoded JSON (numbers as json.Number) because the
// scorer reads them with Python's loose typing.
type GoldDoc struct {
	Doc       string
	File      string
	Lang      string
	Published string
	Comment   string
	Events    []map[string]any
	// docNotString is set when the gold "doc" was not a JSON string: score.py
	// then never pairs it with an output, whose doc it always reads as a string.
	docNotString bool
}

// LoadActors reads an actors.tsv (header, then id, name, aliases joined by
// "|") into id -> [name, aliases...], as score.py's load_actors does: lines
// without exactly three columns are skipped, later ids replace earlier ones.
func LoadActors(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: actors: %w", err)
	}
	return parseActors(b)
}

func parseActors(b []byte) (map[string][]string, error) {
	if !validUTF8(b) {
		return nil, fmt.Errorf("%w: actors file is not UTF-8", ErrFormat)
	}
	out := map[string][]string{}
	lines := splitLines(b)
	for i, line := range lines {
		if i == 0 {
			continue // header
		}
		parts := strings.Split(line, "\t")
		if len(parts) == 3 {
			out[parts[0]] = append([]string{parts[1]}, strings.Split(parts[2], "|")...)
		}
	}
	return out, nil
}

// splitLines splits text the way Python iterates a file opened in text mode:
// \r\n and lone \r are line ends too. Line ends are dropped.
func splitLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// pySpace is str.isspace(): Unicode white space plus the ASCII separators
// \x1c..\x1f that Python also strips.
func pySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

// readJSONL decodes one JSON object per non-blank line.
func readJSONL(r io.Reader, name string) ([]map[string]any, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %s: %w", name, err)
	}
	if !validUTF8(b) {
		return nil, fmt.Errorf("%w: %s: not UTF-8", ErrFormat, name)
	}
	var rows []map[string]any
	for i, line := range splitLines(b) {
		line = strings.TrimFunc(line, pySpace)
		if line == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: not JSON: %v", ErrFormat, name, i+1, err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, fmt.Errorf("%w: %s:%d: not JSON: extra data", ErrFormat, name, i+1)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s:%d: not a JSON object", ErrFormat, name, i+1)
		}
		rows = append(rows, obj)
	}
	return rows, nil
}

// LoadGold reads gold.jsonl.
func LoadGold(path string) ([]GoldDoc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: gold: %w", err)
	}
	return ParseGold(bytes.NewReader(b), path)
}

// ParseGold reads gold documents from r; name is used in errors. A line
// without "doc", or with events that are not a list of objects, is an error
// (score.py would crash on it).
func ParseGold(r io.Reader, name string) ([]GoldDoc, error) {
	rows, err := readJSONL(r, name)
	if err != nil {
		return nil, err
	}
	docs := make([]GoldDoc, 0, len(rows))
	for i, row := range rows {
		raw, ok := row["doc"]
		if !ok {
			return nil, fmt.Errorf("%w: %s: document %d has no \"doc\"", ErrFormat, name, i+1)
		}
		d := GoldDoc{Doc: pyStr(raw)}
		_, isStr := raw.(string)
		d.docNotString = !isStr
		d.File, _ = row["file"].(string)
		d.Lang, _ = row["lang"].(string)
		d.Published, _ = row["published"].(string)
		d.Comment, _ = row["comment"].(string)
		if ev, ok := row["events"]; ok {
			list, ok := ev.([]any)
			if !ok {
				return nil, fmt.Errorf("%w: %s: %s: events is not a list", ErrFormat, name, d.Doc)
			}
			for j, e := range list {
				m, ok := e.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%w: %s: %s: event %d is not an object", ErrFormat, name, d.Doc, j)
				}
				d.Events = append(d.Events, m)
			}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// LoadPreds reads the JSON Lines that `sahelwatch extract` prints (or, for
// ScoreDedup, that `sahelwatch export` prints). Numbers stay json.Number.
func LoadPreds(path string) ([]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("evaluate: predictions: %w", err)
	}
	defer f.Close()
	return readJSONL(f, path)
}

// ParsePreds is LoadPreds on a reader.
func ParsePreds(r io.Reader, name string) ([]map[string]any, error) { return readJSONL(r, name) }

// SplitByLang groups gold documents by their "lang" ("" when absent), each
// group in corpus order, so figures can be reported per language.
func SplitByLang(gold []GoldDoc) map[string][]GoldDoc {
	out := map[string][]GoldDoc{}
	for _, d := range gold {
		out[d.Lang] = append(out[d.Lang], d)
	}
	return out
}
