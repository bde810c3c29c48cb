package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// jsonReport is one JSON Lines record. HTML may be a string (the page
// itself, preferred over Text) or true (Text is HTML).
type jsonReport struct {
	Doc       string          `json:"doc"`
	Text      string          `json:"text"`
	Published *string         `json:"published"`
	URL       string          `json:"url"`
	Title     string          `json:"title"`
	Lang      string          `json:"lang"`
	Outlet    string          `json:"outlet"`
	Author    string          `json:"author"`
	HTML      json.RawMessage `json:"html"`
}

// jsonl yields one report per line. A broken, empty or oversized line is
// an *InputError naming label:line; the lines after it still come.
func (rd *reader) jsonl(label string, m meta, br *bufio.Reader) error {
	lineNo := 0
	for {
		line, tooLong, err := readLine(br, rd.opts.MaxBytes)
		if len(line) == 0 && !tooLong && err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return rd.fail(label, err)
		}
		lineNo++
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		where := label + ":" + strconv.Itoa(lineNo)
		if tooLong {
			if ferr := rd.fail(where, fmt.Errorf("%w: line over %d bytes", ErrTooLarge, rd.opts.MaxBytes)); ferr != nil {
				return ferr
			}
		} else if len(bytes.TrimSpace(line)) > 0 {
			r, perr := parseJSONLine(line, m.doc+"-"+strconv.Itoa(lineNo))
			if perr != nil {
				perr = rd.fail(where, perr)
			} else {
				perr = rd.emit(r)
			}
			if perr != nil {
				return perr
			}
		}
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return rd.fail(label, err)
		}
	}
}

// readLine returns the next line without its newline. A line longer
// than max is skipped up to its end and reported as tooLong, so one
// runaway line costs at most max bytes of memory.
func readLine(br *bufio.Reader, max int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(line)+len(chunk)) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

func parseJSONLine(line []byte, fallbackDoc string) (event.Report, error) {
	var j jsonReport
	if err := json.Unmarshal(line, &j); err != nil {
		return event.Report{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	r := event.Report{
		Doc: strings.TrimSpace(j.Doc), URL: j.URL, Title: j.Title, Lang: j.Lang,
		Outlet: j.Outlet, Author: j.Author, Format: FormatText, Raw: []byte(j.Text),
	}
	if r.Doc == "" {
		r.Doc = fallbackDoc
	}
	if j.Published != nil {
		t, err := parsePublished(*j.Published)
		if err != nil {
			return event.Report{}, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if !t.IsZero() {
			r.Published, r.DateSource = t, "input"
		}
	}
	switch h := bytes.TrimSpace(j.HTML); {
	case len(h) > 0 && h[0] == '"':
		var s string
		if err := json.Unmarshal(h, &s); err == nil && strings.TrimSpace(s) != "" {
			r.Raw, r.Format = []byte(s), FormatHTML
		}
	case bytes.Equal(h, []byte("true")):
		r.Format = FormatHTML
	}
	if len(bytes.TrimSpace(r.Raw)) == 0 {
		return event.Report{}, fmt.Errorf("%w: no text", ErrEmpty)
	}
	return r, nil
}
