package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/subsidyflow/subsidyflow/browsertest"
)

// A finance officer signs in, opens the reports, switches to another program, downloads the
// CSV, and the page is kept as screenshots in Chinese and in English.
func TestReportsJourney(t *testing.T) {
	w := setup(t)
	b := browsertest.Start(t)
	if r := w.env.Do(t, "POST", "/v1/claims/"+w.mine+"/approve", "officer", map[string]any{"note": "ok"}); r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	w.env.WaitStatus(t, w.mine, "paid", 30*time.Second)
	second := w.env.FreightProgram(t, "500000.00")

	ui := w.ui.URL
	b.Run("sign in", chromedp.Navigate(ui+"/ui/signin"),
		chromedp.SendKeys("#token", w.env.Tokens["officer"], chromedp.ByQuery),
		chromedp.Submit("#token", chromedp.ByQuery),
		chromedp.WaitVisible("nav", chromedp.ByQuery))
	b.Run("open reports", chromedp.Navigate(ui+"/ui/reports?lang=zh-CN"), // Chromium asks for English by default
		chromedp.WaitVisible("#program_id", chromedp.ByQuery))
	if h := b.Text("h1"); h != "报表" {
		t.Fatalf("Chinese heading %q", h)
	}
	b.Run("choose the first program", chromedp.SetValue("#program_id", w.program, chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old = "1"`, nil), // the page before the click
		chromedp.Click(".report-filter button", chromedp.ByQuery),
		chromedp.WaitReady(`body:not([data-old]) #program_id option[selected][value="`+w.program+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible("body:not([data-old]) #total-paid", chromedp.ByQuery))
	if loc := b.Location(); !strings.Contains(loc, "program_id="+w.program) {
		t.Fatalf("after choosing a program the page is %s", loc)
	}
	if got := b.Text("#total-paid"); got == "0.00" {
		t.Fatalf("paid total %q for the program with a paid claim", got)
	}
	b.Screenshot("finance-reports-zh")

	var res string
	// The link is requested the way a click would, with the browser's own session.
	b.Run("download the CSV", chromedp.Evaluate(`(() => {
		const x = new XMLHttpRequest();
		x.open('GET', document.querySelector('#claims-csv').href, false);
		x.send();
		return x.status + ' ' + x.getResponseHeader('content-type');
	})()`, &res))
	if !strings.HasPrefix(res, "200 text/csv") {
		t.Fatalf("CSV link answered %q", res)
	}

	b.Run("switch program", chromedp.SetValue("#program_id", second, chromedp.ByQuery),
		chromedp.Evaluate(`document.body.dataset.old = "1"`, nil), // the page before the click
		chromedp.Click(".report-filter button", chromedp.ByQuery),
		chromedp.WaitReady(`body:not([data-old]) #program_id option[selected][value="`+second+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible("body:not([data-old]) #total-paid", chromedp.ByQuery))
	if loc := b.Location(); !strings.Contains(loc, "program_id="+second) {
		t.Fatalf("after switching the page is %s", loc)
	}
	if got := b.Text("#total-paid"); got != "0.00" {
		t.Fatalf("paid total %q for the new program", got)
	}

	b.Run("English", chromedp.Navigate(ui+"/ui/reports?lang=en&program_id="+w.program),
		chromedp.WaitVisible("svg.chart", chromedp.ByQuery))
	if h := b.Text("h1"); h != "Reports" {
		t.Fatalf("English heading %q", h)
	}
	b.Screenshot("finance-reports-en")
}
