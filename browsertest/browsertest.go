// Package browsertest drives Debian's headless Chromium through the Chrome DevTools protocol
// (chromedp) for the console's journey tests: real pages, real clicks, screenshots kept as
// test artefacts. Without Chromium on the machine a test is skipped with a message that
// says how to get it; `make test` installs it from Debian's packages where it can.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium with its own empty profile.
type Browser struct {
	t   testing.TB
	ctx context.Context
	// Dir is where Screenshot writes: $SCREENSHOT_DIR, or .data/screenshots at the module
	// root (kept after the test; CI keeps it as an artefact).
	Dir string
}

// chromiumPath finds the browser: $CHROMIUM, then Debian's and upstream's usual names.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start launches Chromium for the test and closes it when the test ends; it skips the test
// when no Chromium is installed.
func Start(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("browser journeys skipped: no Chromium found; install Debian's chromium package (apt-get install chromium) or set CHROMIUM to a Chrome/Chromium binary")
	}
	profile, err := os.MkdirTemp("", "browsertest-profile-")
	if err != nil {
		t.Fatal(err)
	}
	// The flags keep a headless browser off the network it has no business with: this
	// machine's closed network refuses its background connections, many at a time.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// Chromium's helper processes may still write to the profile for a moment after the
	// browser is gone, which failed t.TempDir's cleanup ("directory not empty") now and then.
	t.Cleanup(func() {
		for try := 0; try < 20 && os.RemoveAll(profile) != nil; try++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	ctx, cancel := chromedp.NewContext(actx)
	// Start the browser now, so a broken installation fails here with its own message.
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &Browser{t: t, ctx: ctx, Dir: screenshotDir()}
}

func screenshotDir() string {
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join(os.TempDir(), "subsidyflow-screenshots")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, ".data", "screenshots")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, ".data", "screenshots")
		}
	}
}

// Run runs chromedp actions with a deadline, failing the test on error with what was asked.
func (b *Browser) Run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %s: %v", what, err)
	}
}

// Context is the browser's context, for actions Run does not wrap (listening to events).
func (b *Browser) Context() context.Context { return b.ctx }

// Text is the visible text of the first element matching a CSS selector.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	var s string
	b.Run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.NodeVisible))
	return s
}

// Location is the page's current address.
func (b *Browser) Location() string {
	b.t.Helper()
	var s string
	b.Run("location", chromedp.Location(&s))
	return s
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot keeps the whole page as Dir/<name>.png and returns the file's path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	var png []byte
	b.Run("screenshot "+name, chromedp.FullScreenshot(&png, 100)) // quality 100: PNG, not JPEG
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(b.Dir, strings.Trim(unsafeName.ReplaceAllString(name, "-"), "-")+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return file
}
