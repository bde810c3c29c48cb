// Package source is where reports come from: files, folders, standard
// input, web pages, RSS/Atom feeds, JSON Lines and CSV files. It turns each
// input into a stream of event.Report values holding the raw bytes as
// received (Report.Raw) plus whatever metadata the input carries; decoding
// character sets, stripping boilerplate and reading dates out of the text
// are the cleaner's job, not ours.
//
// Read is the entry point. It calls a yield function once per report and
// once per bad input, so one unreadable file or broken JSON line never stops
// the rest:
//
//	err := source.Read(ctx, []string{"reports/", "-", "https://example.org/feed.xml"}, opts,
//		func(r event.Report, err error) error {
//			if err != nil {
//				slog.Warn("skipped input", "err", err) // an *InputError
//				return nil                             // keep going
//			}
//			return process(r) // a non-nil error stops Read
//		})
//
// Bad inputs arrive as *InputError values wrapping one of the sentinel
// errors (ErrNotFound, ErrEmpty, ErrBinary, ErrTooLarge, ErrMalformed,
// ErrBlocked, ErrFetch, ErrTruncated), so callers test them with errors.Is.
//
// Everything that touches the network goes through a Fetcher, which is
// careful by default: http and https only; no private, loopback,
// link-local, multicast or CGNAT addresses, checked on the resolved address
// at dial time so DNS rebinding and redirects cannot reach the inside
// network; robots.txt honoured; one request per host per second; bounded
// bodies (after gzip decoding) and bounded retries. Fetcher.Poll does
// conditional GETs on feeds, so a scheduler can call it often and cheaply.
package source
