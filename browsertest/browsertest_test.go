package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// The harness itself: a page is loaded, a button clicked and the result read and kept.
func TestClickAndScreenshot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/done" {
			_, _ = w.Write([]byte(`<!doctype html><p id="out">已提交</p>`))
			return
		}
		_, _ = w.Write([]byte(`<!doctype html><form action="/done"><button id="go">提交</button></form>`))
	}))
	defer srv.Close()
	b := Start(t)
	b.Dir = t.TempDir()
	b.Run("open and click", chromedp.Navigate(srv.URL), chromedp.Click("#go", chromedp.ByQuery), chromedp.WaitVisible("#out", chromedp.ByQuery))
	if got := b.Text("#out"); got != "已提交" {
		t.Fatalf("after the click the page says %q", got)
	}
	file := b.Screenshot("harness/after click")
	st, err := os.Stat(file)
	if err != nil || st.Size() < 100 {
		t.Fatalf("screenshot %s: %v", file, err)
	}
}
