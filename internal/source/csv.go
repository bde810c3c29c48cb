package source

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// csv yields one report per record of a CSV file whose header names at
// least a text column (doc, published, url, title, lang, outlet, author
// and html are optional). A record that does not parse is an
// *InputError naming label:line and the records after it still come,
// except after an unclosed quote, which swallows the rest of the file.
func (rd *reader) csv(label string, m meta, br *bufio.Reader) error {
	budget := &budgetReader{r: br, max: rd.opts.MaxBytes}
	cr := csv.NewReader(budget)
	cr.FieldsPerRecord = -1 // short rows are fine: missing fields are empty
	cr.LazyQuotes = false   // a stray quote is an error naming its line, not a silently merged row
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return rd.fail(label, ErrEmpty)
		}
		return rd.fail(label+":1", fmt.Errorf("%w: header: %v", ErrMalformed, err))
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	if _, ok := col["text"]; !ok {
		if _, ok := col["html"]; !ok {
			return rd.fail(label+":1", fmt.Errorf("%w: header has no text column", ErrMalformed))
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	last := 1 // line of the last good record, for errors that lose the place
	for {
		budget.n = 0
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			if ferr := rd.fail(label+":"+strconv.Itoa(pe.StartLine), fmt.Errorf("%w: %v", ErrMalformed, pe.Err)); ferr != nil {
				return ferr
			}
			continue
		case errors.Is(err, ErrTooLarge):
			// The reader lost its place inside the record: stop this file.
			return rd.fail(label, fmt.Errorf("after line %d: %w", last, err))
		case err != nil:
			return rd.fail(label, err)
		}
		line, _ := cr.FieldPos(0) // safe: a record without error has a field
		last = line
		where := label + ":" + strconv.Itoa(line)
		r := event.Report{
			Doc: strings.TrimSpace(get(rec, "doc")), URL: strings.TrimSpace(get(rec, "url")),
			Title: get(rec, "title"), Lang: strings.TrimSpace(get(rec, "lang")),
			Outlet: get(rec, "outlet"), Author: get(rec, "author"),
			Format: FormatText, Raw: []byte(get(rec, "text")),
		}
		if h := get(rec, "html"); strings.TrimSpace(h) != "" {
			r.Raw, r.Format = []byte(h), FormatHTML
		}
		if r.Doc == "" {
			r.Doc = m.doc + "-" + strconv.Itoa(line)
		}
		t, perr := parsePublished(get(rec, "published"))
		switch {
		case perr != nil:
			err = rd.fail(where, fmt.Errorf("%w: %v", ErrMalformed, perr))
		case strings.TrimSpace(string(r.Raw)) == "":
			err = rd.fail(where, fmt.Errorf("%w: no text", ErrEmpty))
		default:
			if !t.IsZero() {
				r.Published, r.DateSource = t, "input"
			}
			err = rd.emit(r)
		}
		if err != nil {
			return err
		}
	}
}

// budgetReader fails with ErrTooLarge once more than max bytes have been
// read since n was last reset, so one runaway quoted field cannot load a
// whole file. The csv package reads ahead, so the cap is approximate.
type budgetReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n > b.max {
		return 0, fmt.Errorf("%w: record over %d bytes", ErrTooLarge, b.max)
	}
	if int64(len(p)) > b.max-b.n+1 {
		p = p[:b.max-b.n+1]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}
