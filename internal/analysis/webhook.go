package analysis

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Webhook posts alerts as JSON to a URL, retrying failures with backoff.
type Webhook struct {
	URL      string
	Client   *http.Client // nil: a client with a 15 s timeout
	Attempts int          // tries per alert; 0 means 4
	Backoff  time.Duration
	// Sleep waits between attempts; nil sleeps for real (tests inject one
	// that records the delays and returns at once).
	Sleep func(ctx context.Context, d time.Duration) error
}

// ErrPermanent marks a webhook answer retrying will not fix (a 4xx other than 408 and 429).
var ErrPermanent = errors.New("webhook refused the alert")

// Send posts one alert. It retries network errors, 408, 429 and 5xx
// answers, doubling the wait each time from Backoff (1 s by default).
func (w *Webhook) Send(ctx context.Context, al Alert) error {
	body, err := json.Marshal(al)
	if err != nil {
		return fmt.Errorf("analysis: webhook: %w", err)
	}
	attempts, wait := w.Attempts, w.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = time.Second
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	sleep := w.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return fmt.Errorf("analysis: webhook %s: %w", al.Key, err)
			}
			wait *= 2
		}
		last = w.post(ctx, client, body)
		if last == nil || errors.Is(last, ErrPermanent) || ctx.Err() != nil {
			break
		}
	}
	if last != nil {
		return fmt.Errorf("analysis: webhook %s: %w", al.Key, last)
	}
	return nil
}

func (w *Webhook) post(ctx context.Context, client *http.Client, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sahelwatch-alerts")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("answered %s", resp.Status)
	}
	return fmt.Errorf("%w: answered %s", ErrPermanent, resp.Status)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Ledger remembers which alert keys were already delivered, in a text file
// of one key a line, so that a scheduled `sahelwatch alerts` run raises
// each cause once however often it runs.
type Ledger struct {
	path string
	seen map[string]bool
}

// OpenLedger reads the ledger at path; a missing file is an empty ledger.
func OpenLedger(path string) (*Ledger, error) {
	l := &Ledger{path: path, seen: map[string]bool{}}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("analysis: ledger: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k := strings.TrimSpace(sc.Text()); k != "" {
			l.seen[k] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("analysis: ledger %s: %w", path, err)
	}
	return l, nil
}

// New returns the alerts whose keys the ledger has not seen.
func (l *Ledger) New(alerts []Alert) []Alert {
	var out []Alert
	for _, al := range alerts {
		if !l.seen[al.Key] {
			out = append(out, al)
		}
	}
	return out
}

// Record appends keys to the ledger file.
func (l *Ledger) Record(alerts []Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("analysis: ledger: %w", err)
	}
	var b strings.Builder
	for _, al := range alerts {
		l.seen[al.Key] = true
		b.WriteString(al.Key + "\n")
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("analysis: ledger: %w", err)
	}
	return f.Close()
}
