package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/subsidyflow/subsidyflow/browsertest"
)

// journeyNewApplicant: a new applicant registers its enterprise, reads a program's rules,
// fills a freight claim of three lines (one row added by lines.js), previews and files it,
// in a real browser, with screenshots in zh-CN and English.
func (w *world) journeyNewApplicant(t *testing.T) {
	b := browsertest.Start(t)
	// close Chromium gracefully before its profile directory is removed: killed, its
	// helpers still write there and the test fails on cleanup
	t.Cleanup(func() { _ = chromedp.Cancel(b.Context()); time.Sleep(time.Second) })
	_, _ = w.newApplicant(t, "ent_88", "91540100MA6T00088")
	ui := w.ui.URL
	b.Run("sign in",
		chromedp.Navigate(ui+"/ui/signin"),
		chromedp.WaitVisible("#token", chromedp.ByID),
		chromedp.SendKeys("#token", w.env.Tokens["ent_88"], chromedp.ByID),
		chromedp.Submit("#token", chromedp.ByID),
		chromedp.WaitVisible("nav", chromedp.ByQuery),
	)
	fill := func(sel, v string) chromedp.Action { return chromedp.SetValue(sel, v, chromedp.ByQuery) }
	b.Run("register",
		chromedp.Navigate(ui+"/ui/enterprise?lang=zh-CN"),
		chromedp.WaitVisible("#register", chromedp.ByID),
		fill("#name", "拉萨雪域青稞食品有限公司"), fill("#industry", "industry"), fill("#employees", "45"),
		fill("#revenue", "1,200.00"), fill("#assets", "800"), fill("#region", "540102"),
		fill("#bank_name", "中国农业银行拉萨分行"), fill("#account_name", "拉萨雪域青稞食品有限公司"),
		fill("#account_number", "6228480012348888"),
		chromedp.Click(`#register button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#size-why", chromedp.ByID),
	)
	if got := b.Text("#size-class"); !strings.Contains(got, "小型") {
		t.Fatalf("size class %q, want 小型", got)
	}
	b.Screenshot("applicant-register-zh")
	b.Run("register en", chromedp.Navigate(ui+"/ui/enterprise?lang=en"), chromedp.WaitVisible("#size-why", chromedp.ByID))
	b.Screenshot("applicant-register-en")
	b.Run("program", chromedp.Navigate(ui+"/ui/programs/"+w.program+"?lang=zh-CN"), chromedp.WaitVisible("#program-rules", chromedp.ByID))
	b.Screenshot("applicant-program-zh")
	b.Run("new claim en", chromedp.Navigate(ui+"/ui/claims/new?lang=en&program="+w.program), chromedp.WaitVisible("#newclaim", chromedp.ByID))
	b.Screenshot("applicant-newclaim-en")
	b.Run("open the form from the program page",
		chromedp.Navigate(ui+"/ui/programs/"+w.program+"?lang=zh-CN"),
		chromedp.WaitVisible("#file-claim", chromedp.ByID),
		chromedp.Click("#file-claim", chromedp.ByID),
		chromedp.WaitVisible("#newclaim", chromedp.ByID),
		chromedp.Click("#add-row", chromedp.ByID), // lines.js adds row 6 without a round trip
		chromedp.WaitVisible(`input[name=carrier_6]`, chromedp.ByQuery),
	)
	var acts []chromedp.Action
	for i, row := range []struct{ n, waybill, amount string }{{"1", "WB-J-001", "12,000.00"}, {"2", "WB-J-002", "3,456.78"}, {"6", "WB-J-003", "800"}} {
		acts = append(acts,
			fill(`input[name=carrier_`+row.n+`]`, "西藏天路物流"), fill(`input[name=waybill_no_`+row.n+`]`, row.waybill),
			fill(`input[name=ship_date_`+row.n+`]`, "2023-0"+string(rune('4'+i))+"-10"),
			fill(`input[name=origin_region_`+row.n+`]`, "540102"), fill(`input[name=destination_region_`+row.n+`]`, "510100"),
			fill(`select[name=product_category_`+row.n+`]`, "highland-barley"), fill(`select[name=mode_`+row.n+`]`, "road"),
			fill(`input[name=amount_`+row.n+`]`, row.amount), fill(`input[name=invoice_no_`+row.n+`]`, "INV-"+row.waybill))
	}
	b.Run("fill three lines", acts...)
	b.Screenshot("applicant-newclaim-zh")
	b.Run("preview", chromedp.Click(`button[value=do_preview]`, chromedp.ByQuery), chromedp.WaitVisible("#preview-amount", chromedp.ByID))
	if got := b.Text("#preview-amount"); got != "8,128.39" { // half of 16,256.78
		t.Fatalf("preview amount %q, want 8,128.39", got)
	}
	b.Screenshot("applicant-preview-zh")
	b.Run("file", chromedp.Click(`button[value=do_file]`, chromedp.ByQuery), chromedp.WaitVisible(".flash", chromedp.ByQuery))
	if loc := b.Location(); !strings.Contains(loc, "/ui/claims/clm_") {
		t.Fatalf("after filing at %s, want a claim page", loc)
	}
}
