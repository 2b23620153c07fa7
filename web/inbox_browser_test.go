package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/browsertest"
)

// TestInboxJourneys walks the finance inbox in Chromium: an officer approves a small claim;
// a four-eyes claim is approved by an officer and then a supervisor; an officer asks for
// information, the applicant answers, and the officer approves.
func TestInboxJourneys(t *testing.T) {
	b := browsertest.Start(t)
	w := setup(t)
	ui := w.ui.URL
	signIn := func(who string) {
		b.Run("sign in as "+who, network.ClearBrowserCookies(), chromedp.Navigate(ui+"/ui/signin?lang=zh-CN"),
			chromedp.WaitVisible("#token", chromedp.ByQuery),
			chromedp.SendKeys("#token", w.env.Tokens[who], chromedp.ByQuery),
			chromedp.Submit("#token", chromedp.ByQuery),
			chromedp.WaitReady(`form[action="/ui/signout"]`, chromedp.ByQuery))
	}
	// clicks a button that asks data-confirm, saying yes
	clickConfirmed := func(what, sel string) {
		b.Run(what, chromedp.Evaluate(`window.confirm = function () { return true; }; true`, nil),
			chromedp.Click(sel, chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
	}
	approve := `button[formaction$="/approve"]`

	t.Run("officer approves a small claim", func(t *testing.T) {
		signIn("officer")
		b.Run("inbox", chromedp.Navigate(ui+"/ui/claims?status=pending_approval"), chromedp.WaitVisible("#totals", chromedp.ByQuery))
		b.Screenshot("finance-inbox-zh")
		b.Run("inbox en", chromedp.Navigate(ui+"/ui/claims?status=pending_approval&lang=en"), chromedp.WaitVisible("#totals", chromedp.ByQuery))
		b.Screenshot("finance-inbox-en")
		b.Run("claim en", chromedp.Navigate(ui+"/ui/claims/"+w.mine+"?lang=en"), chromedp.WaitVisible(approve, chromedp.ByQuery))
		b.Screenshot("finance-claim-en")
		b.Run("claim zh", chromedp.Navigate(ui+"/ui/claims/"+w.mine+"?lang=zh-CN"), chromedp.WaitVisible(approve, chromedp.ByQuery))
		b.Screenshot("finance-claim-zh")
		clickConfirmed("approve", approve)
		if got := b.Text(".flash"); !strings.Contains(got, "已批准") {
			t.Fatalf("flash after approving: %q", got)
		}
		w.env.WaitStatus(t, w.mine, "paid", 30*time.Second)
	})

	t.Run("four-eyes claim: officer, then supervisor", func(t *testing.T) {
		big := w.file(t, "applicant", apptest.Shipment(41, "240000.00"))
		signIn("officer")
		b.Run("open", chromedp.Navigate(ui+"/ui/claims/"+big), chromedp.WaitVisible("#four-eyes", chromedp.ByQuery))
		clickConfirmed("first approval", approve)
		if got := b.Text("#four-eyes"); !strings.Contains(got, "第二次审批") {
			t.Fatalf("after the first approval the page says %q", got)
		}
		b.Screenshot("finance-claim-four-eyes-first-zh")
		signIn("supervisor")
		b.Run("open", chromedp.Navigate(ui+"/ui/claims/"+big), chromedp.WaitVisible(approve, chromedp.ByQuery))
		clickConfirmed("second approval", approve)
		w.env.WaitStatus(t, big, "paid", 30*time.Second)
	})

	t.Run("officer asks, applicant answers, officer approves", func(t *testing.T) {
		id := w.file(t, "applicant", apptest.Shipment(42, "1200.00"))
		signIn("officer")
		b.Run("request info", chromedp.Navigate(ui+"/ui/claims/"+id), chromedp.WaitVisible("#note", chromedp.ByQuery),
			chromedp.SendKeys("#note", "请提供运单原件扫描件", chromedp.ByQuery),
			chromedp.Click(`button[formaction$="/request-info"]`, chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
		w.env.WaitStatus(t, id, "needs_info", 30*time.Second)
		signIn("applicant")
		b.Run("applicant opens", chromedp.Navigate(ui+"/ui/claims/"+id), chromedp.WaitVisible("#answer", chromedp.ByQuery))
		b.Screenshot("applicant-claim-needs-info-zh")
		if got := b.Text("#next-step"); !strings.Contains(got, "申请企业须于") {
			t.Fatalf("next step for the applicant: %q", got)
		}
		b.Run("respond", chromedp.SendKeys("#answer", "已上传扫描件", chromedp.ByQuery),
			chromedp.Submit("#answer", chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
		w.env.WaitStatus(t, id, "pending_approval", 30*time.Second)
		signIn("officer")
		b.Run("open", chromedp.Navigate(ui+"/ui/claims/"+id), chromedp.WaitVisible(approve, chromedp.ByQuery))
		clickConfirmed("approve", approve)
		w.env.WaitStatus(t, id, "paid", 30*time.Second)
	})
}
