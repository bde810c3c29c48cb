//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/store"
	"github.com/sahelwatch/sahelwatch/internal/store/sqlite"
)

// Service limits of `sahelwatch serve` (issue 9), checked on a real
// process: loopback by default, token on writes, body and header caps,
// escaping of stored text, and a SIGTERM that lets an ingest in flight
// finish before the process exits 0.

type served struct {
	cmd  *exec.Cmd
	addr string // host:port
	db   string
	errb *bytes.Buffer
}

// serveChild starts `sahelwatch serve` on 127.0.0.1:0 and waits for the
// line that says where it listens.
func serveChild(t *testing.T, db string, extra ...string) *served {
	t.Helper()
	cmd := child(t, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, extra...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, db: db, errb: &bytes.Buffer{}}
	cmd.Stderr = s.errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v; stderr: %s", err, s.errb)
	}
	m := regexp.MustCompile(`http://([^/\s]+)/`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no address in %q", line)
	}
	s.addr = m[1]
	go io.Copy(io.Discard, out)
	return s
}

func (s *served) url(path string) string { return "http://" + s.addr + path }

func (s *served) post(t *testing.T, token string, body []byte, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url("/api/v1/reports"), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func submission(t *testing.T, doc, text string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]string{"doc": doc, "text": text})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServeDefaultsToLoopback(t *testing.T) {
	out, _, code := sw(t, "", "help", "serve")
	if code != exitOK || !strings.Contains(out, `(default "127.0.0.1:8080")`) {
		t.Fatalf("serve's --addr default is not loopback: %s", out)
	}
}

func TestServeLimits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sw.db")
	s := serveChild(t, db, "--token", "s3cret")

	t.Run("write needs the token", func(t *testing.T) {
		for _, tok := range []string{"", "wrong", "s3cre", "s3cret2"} {
			resp, body := s.post(t, tok, submission(t, "x", report), nil)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("token %q: status %d, want 401: %s", tok, resp.StatusCode, body)
			}
		}
	})
	t.Run("body cap", func(t *testing.T) {
		big := submission(t, "big", strings.Repeat("Gunmen attacked the market. ", 300000)) // over 5 MB
		resp, body := s.post(t, "s3cret", big, nil)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("8 MB body: status %d, want 413: %.200s", resp.StatusCode, body)
		}
	})
	t.Run("header cap", func(t *testing.T) {
		resp, body := s.post(t, "s3cret", submission(t, "h", report), map[string]string{"X-Padding": strings.Repeat("a", 200<<10)})
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("200 KB header: status %d, want 431: %.200s", resp.StatusCode, body)
		}
	})
	t.Run("only GET and POST where declared", func(t *testing.T) {
		for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
			req, _ := http.NewRequest(m, s.url("/api/v1/events"), nil)
			req.Header.Set("Authorization", "Bearer s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s /api/v1/events: status %d, want 405", m, resp.StatusCode)
			}
		}
	})
	t.Run("stored text is escaped", func(t *testing.T) {
		const attack = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`
		text := "JNIM fighters " + attack + " attacked the army post in Boni on Sunday, killing 11 soldiers.\n"
		resp, body := s.post(t, "s3cret", submission(t, "xss-"+attack, text), nil)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST: status %d: %s", resp.StatusCode, body)
		}
		for _, p := range []string{"/", "/index.html", "/api/v1/events", "/api/v1/events.csv", "/api/v1/events.geojson",
			"/api/v1/events.jsonl", "/api/v1/reports", "/api/v1/stats", "/api/v1/nosuch", "/nosuch/" + attack} {
			resp, err := http.Get(s.url(p))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ct := resp.Header.Get("Content-Type")
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff header", p)
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("%s: no restrictive Content-Security-Policy", p)
			}
			if strings.Contains(ct, "html") && (bytes.Contains(b, []byte("<script>alert")) || bytes.Contains(b, []byte("<img src=x"))) {
				t.Errorf("%s (%s) carries the stored markup unescaped", p, ct)
			}
		}
	})
}

// With no token configured, writes are off, not open.
func TestServeNoTokenRefusesWrites(t *testing.T) {
	t.Setenv("SAHELWATCH_TOKEN", "")
	s := serveChild(t, filepath.Join(t.TempDir(), "sw.db"))
	for _, tok := range []string{"", "anything"} {
		resp, body := s.post(t, tok, submission(t, "x", report), nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q with writes off: status %d: %s", tok, resp.StatusCode, body)
		}
	}
}

// SIGTERM while a report is being posted: the server stops accepting
// connections, finishes that ingest, answers it, and exits 0.
func TestServeGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sw.db")
	s := serveChild(t, db, "--token", "s3cret")

	body := submission(t, "boni-shutdown", report)
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST /api/v1/reports HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer s3cret\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", s.addr, len(body))
	half := len(body) / 2
	if _, err := io.WriteString(conn, head+string(body[:half])); err != nil {
		t.Fatal(err)
	}
	// A request answered on a second connection means the first was
	// accepted before it: the server tracks it and must wait for it.
	resp, err := http.Get(s.url("/healthz"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the listener refuses connections.
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			// refused once the listener is closed; reset when the
			// kernel had queued the connection just before it closed
			if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("dial during shutdown: %v", err)
			}
			break
		}
		c.Close()
		if i > 1e6 {
			t.Fatal("the server kept accepting connections after SIGTERM")
		}
	}

	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("finishing the request after SIGTERM: %v", err)
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the request in flight: %v; stderr: %s", err, s.errb)
	}
	answer, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusCreated {
		t.Errorf("in-flight ingest: status %d: %s", r.StatusCode, answer)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve did not exit 0 after SIGTERM: %v; stderr: %s", err, s.errb)
	}

	integrityCheck(t, db)
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, _, err := st.Events(context.Background(), store.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		for _, src := range e.Sources {
			found = found || src.Doc == "boni-shutdown"
		}
	}
	if !found {
		t.Errorf("the report posted during shutdown left no event in the store (%d events)", len(evs))
	}
}
