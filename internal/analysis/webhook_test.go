package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebhook(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int // answers in order; the last repeats
		wantErr  bool
		wantHits int32
		perm     bool
	}{
		{"ok at once", []int{200}, false, 1, false},
		{"retries 5xx then ok", []int{503, 500, 204}, false, 3, false},
		{"429 retried", []int{429, 200}, false, 2, false},
		{"gives up after 4", []int{502}, true, 4, false},
		{"4xx is permanent", []int{400}, true, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1)) - 1
				var al Alert
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&al) != nil || al.Key != "near:bamako:E1" {
					w.WriteHeader(http.StatusTeapot)
					return
				}
				w.WriteHeader(tc.statuses[min(n, len(tc.statuses)-1)])
			}))
			defer srv.Close()
			var waits []time.Duration
			wh := &Webhook{URL: srv.URL, Client: srv.Client(), Backoff: 10 * time.Millisecond,
				Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			err := wh.Send(context.Background(), Alert{Key: "near:bamako:E1", Rule: RuleNear})
			if (err != nil) != tc.wantErr || errors.Is(err, ErrPermanent) != tc.perm {
				t.Fatalf("err = %v", err)
			}
			if hits.Load() != tc.wantHits {
				t.Errorf("hits = %d, want %d", hits.Load(), tc.wantHits)
			}
			for i, d := range waits {
				if want := 10 * time.Millisecond << i; d != want {
					t.Errorf("wait %d = %v, want %v", i, d, want)
				}
			}
		})
	}
}

func TestWebhookCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	wh := &Webhook{URL: srv.URL, Client: srv.Client(),
		Sleep: func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }}
	if err := wh.Send(ctx, Alert{Key: "k"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.txt")
	l, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	all := []Alert{{Key: "a"}, {Key: "b"}}
	if got := l.New(all); len(got) != 2 {
		t.Fatalf("New = %v", got)
	}
	if err := l.Record(all[:1]); err != nil {
		t.Fatal(err)
	}
	l2, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := l2.New(all); len(got) != 1 || got[0].Key != "b" {
		t.Fatalf("after reopening, New = %v", got)
	}
}
