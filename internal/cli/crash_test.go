//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/synth"
)

// childEnv makes the test binary run the command line instead of tests,
// so crash and signal tests can kill a real sahelwatch process.
const childEnv = "SAHELWATCH_TEST_CHILD"

// TestChildProcess is not a test: run with childEnv=1, it runs cli.Main on
// the arguments after "--" with main's signal handling, and exits with its
// code.
func TestChildProcess(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("helper process for the crash and signal tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// child returns a command running sahelwatch with args in a new process.
func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestChildProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	return cmd
}

// synthJSONL writes n synthetic reports as JSON Lines.
func synthJSONL(t *testing.T, n int) []byte {
	t.Helper()
	g := synth.New(42)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		r := g.Report(i)
		rec := map[string]any{"doc": r.Doc, "url": r.URL, "published": r.Published.Format("2006-01-02")}
		if r.Format == "html" {
			rec["html"] = string(r.Raw)
		} else {
			rec["text"] = string(r.Raw)
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// An ingest killed with SIGKILL leaves a store that opens, passes the
// integrity check, and that a second ingest of the same input completes to
// exactly the events of an uninterrupted run.
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three ingests of 400 reports")
	}
	dir := t.TempDir()
	const n = 400
	data := synthJSONL(t, n)
	input := write(t, dir, "reports.jsonl", data)
	// One worker: merges depend on the order reports arrive in, and the
	// comparison needs the same order in both runs.
	ingest := []string{"ingest", "-q", "--workers", "1", "--input-format", "jsonl"}

	whole := filepath.Join(dir, "whole.db")
	if _, errs, code := sw(t, "", append(ingest, "--db", whole, input)...); code != exitOK {
		t.Fatalf("uninterrupted ingest: code %d: %s", code, errs)
	}
	want := exportJSONL(t, whole)

	// The killed run reads its reports from a pipe. Once the first 300
	// lines are written, the child has read all but what the pipe, its
	// buffers and its queue hold, so it is busy storing; and it cannot
	// finish, because the rest never comes before the kill.
	crashed := filepath.Join(dir, "crashed.db")
	cmd := child(t, append(ingest, "--db", crashed, "-")...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	for _, l := range lines[:300] {
		if _, err := stdin.Write(l); err != nil {
			t.Fatalf("writing to the child: %v; stderr: %s", err, stderr.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	stdin.Close()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed mid-way: %v; stderr: %s", err, stderr.String())
	}

	integrityCheck(t, crashed)
	t.Logf("events stored when killed: %d of %d", strings.Count(exportJSONL(t, crashed), "\n"), strings.Count(want, "\n"))
	if _, errs, code := sw(t, "", append(ingest, "--db", crashed, input)...); code != exitOK {
		t.Fatalf("ingest after the crash: code %d: %s", code, errs)
	}
	integrityCheck(t, crashed)
	if got := exportJSONL(t, crashed); got != want {
		t.Errorf("after the crash and a second ingest the events differ from an uninterrupted run:\n%s", firstDiff(want, got))
	}
}

// firstDiff shows the first differing line of two exports.
func firstDiff(a, b string) string {
	al, bl := bytes.Split([]byte(a), []byte("\n")), bytes.Split([]byte(b), []byte("\n"))
	for i := range max(len(al), len(bl)) {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + string(x) + "\ngot  " + string(y)
		}
	}
	return ""
}
