// Package browsertest starts headless Chromium for the dashboard's browser
// tests, the same way for every test that needs one: the browser runs on a
// long-lived context for the whole test (chromedp ties a browser to the
// context it was first run on), with an empty profile and no network
// chatter of its own.
//
// Without Chromium the test is skipped with a message, except when the
// environment variable CI is "true": there a missing browser fails the
// test, so a CI run cannot pass without running it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Exec finds Chromium: $SAHELWATCH_CHROMIUM, then the usual names on PATH,
// then Debian's path. It returns "" when there is none.
func Exec() string {
	if p := os.Getenv("SAHELWATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// InCI reports whether the tests run in CI, where browser tests must run.
func InCI() bool { return os.Getenv("CI") == "true" }

// Start starts headless Chromium with a window of width×height pixels and
// returns a browser context that lives until the test ends. It skips the
// test when no Chromium is installed (or with -short), and fails it
// instead in CI.
func Start(t testing.TB, width, height int) context.Context {
	t.Helper()
	if testing.Short() && !InCI() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := Exec()
	if exe == "" {
		if InCI() {
			t.Fatal("CI=true but no Chromium found: install Debian's chromium (apt-get install -y chromium) or set SAHELWATCH_CHROMIUM")
		}
		t.Skip("no Chromium installed (apt-get install chromium, or set SAHELWATCH_CHROMIUM); skipping the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root in a container
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		if InCI() {
			t.Fatalf("starting %s: %v", exe, err)
		}
		t.Skipf("cannot start %s: %v", exe, err)
	}
	return ctx
}

// ScreenshotPath is where a test saves screenshot name (say
// "dashboard.png"): in the folder $SAHELWATCH_SCREENSHOT names when set
// (created if needed), else in the test's temporary folder.
func ScreenshotPath(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("SAHELWATCH_SCREENSHOT")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// Screenshot saves a PNG of the whole page as name (see ScreenshotPath)
// and logs where.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := ScreenshotPath(t, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	return p
}
