package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// TestApplicantPages: the applicant's pages in Chinese and English, self-registration with
// the size class explained, the bank account change, a program's rules, and freight
// claims of many lines pasted or uploaded as CSV.
func TestApplicantPages(t *testing.T) {
	w := setup(t)
	t.Run("zh-CN and English", w.testApplicantLanguages)
	t.Run("register and change the account", w.testRegister)
	t.Run("program rules", w.testProgramRules)
	t.Run("paste and CSV file one claim", w.testManyLines)
	t.Run("bad CSV line named, nothing filed", w.testBadCSV)
	t.Run("thousands separators and add row", w.testGroupedAmount)
	t.Run("journey: a new applicant registers and files", w.journeyNewApplicant)
}

func (w *world) testApplicantLanguages(t *testing.T) {
	b := w.signedIn(t, "applicant")
	for _, path := range []string{"/ui/claims/new?program=" + w.program, "/ui/rent/new", "/ui/programs",
		"/ui/programs/" + w.program, "/ui/enterprise", "/ui/loans"} {
		resp, body := b.get(path)
		wantStatus(t, resp, body, http.StatusOK)
		assertChinese(t, path, body)
	}
	_, body := b.get("/ui/claims/new?lang=en&program=" + w.program)
	contains(t, body, `<html lang="en"`, "Add a row", "Paste rows", "CSV file", "Freight paid", "Road")
	_, body = b.get("/ui/programs/" + w.program + "?lang=en")
	contains(t, body, "Share of the freight paid back", "50%", "File a claim under this program")
	_, body = b.get("/ui/enterprise?lang=en")
	contains(t, body, "Why this size class")
	_, _ = b.get("/ui/programs?lang=zh-CN")
}

// newApplicant is a browser of an enterprise that is not registered yet.
func (w *world) newApplicant(t *testing.T, name, first17 string) (*browser, string) {
	code := apptest.MustCode(first17)
	w.env.Token(t, name, access.Principal{Subject: name, Role: access.Applicant, CreditCode: code})
	return w.signedIn(t, name), code
}

func (w *world) testRegister(t *testing.T) {
	b, code := w.newApplicant(t, "ent_77", "91540100MA6T00077")
	_, body := b.get("/ui/claims/new?program=" + w.program)
	contains(t, body, `href="/ui/enterprise"`, "您的企业尚未登记")
	_, body = b.get("/ui/enterprise")
	assertChinese(t, "/ui/enterprise (unregistered)", body)
	contains(t, body, "登记我的企业", code)
	form := url.Values{"csrf": {b.csrf("/ui/enterprise")}, "name": {"拉萨青稞食品有限公司"}, "industry": {"industry"},
		"employees": {"45"}, "revenue": {"1,200.00"}, "assets": {"800"}, "region": {"540102"},
		"bank_name": {"中国农业银行拉萨分行"}, "account_name": {"拉萨青稞食品有限公司"}, "account_number": {"abc"}}
	resp, body := b.post("/ui/enterprise", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	contains(t, body, `id="err-account_number"`, "只能包含数字")
	assertChinese(t, "/ui/enterprise (refused)", body)
	form.Set("account_number", "6228480012345678")
	resp, _ = b.post("/ui/enterprise", form)
	wantRedirect(t, resp, "/ui/enterprise")
	_, body = b.get("/ui/enterprise")
	assertChinese(t, "/ui/enterprise (registered)", body)
	// industry: 20 ≤ 45 < 300 persons and 300 ≤ 1,200 < 2,000 (10k CNY): small
	contains(t, body, `id="size-class"`, "小型", "为何划为此规模", "各项指标均达到小型标准但未全部达到中型标准", "2,000", "1,200")
	_, body = b.get("/ui/enterprise?lang=en")
	contains(t, body, "Small", "Below a ceiling, at or above every small threshold but not every medium one, so small.")
	// the account change, with its consequences explained
	contains(t, body, "Claims whose payment failed are paid again, to the new account.", "5678")
	_, _ = b.get("/ui/enterprise?lang=zh-CN")
	resp, _ = b.post("/ui/enterprise/bank-account", url.Values{"csrf": {b.csrf("/ui/enterprise")},
		"bank_name": {"中国银行拉萨分行"}, "account_name": {"拉萨青稞食品有限公司"}, "account_number": {"6216610012349999"}})
	wantRedirect(t, resp, "/ui/enterprise")
	_, body = b.get("/ui/enterprise")
	contains(t, body, "中国银行拉萨分行", "9999", "银行账户已变更")
	lacks(t, body, "6216610012349999")
}

func (w *world) testProgramRules(t *testing.T) {
	b := w.signedIn(t, "applicant")
	_, body := b.get("/ui/programs")
	contains(t, body, `href="/ui/programs/`+w.program+`"`)
	resp, body := b.get("/ui/programs/" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "运费补贴比例", "50%", "至", `href="/ui/claims/new?program=`+w.program+`"`, "highland-barley")
	resp, body = b.get("/ui/programs/nope")
	wantStatus(t, resp, body, http.StatusNotFound)
}

// multipart posts a form with an optional CSV file as a browser does.
func (b *browser) multipart(path string, form url.Values, csv string) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if csv != "" {
		fw, _ := mw.CreateFormFile("csv", "shipments.csv")
		_, _ = fw.Write([]byte(csv))
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	return b.read(resp, err)
}

func shipmentLine(n int, amount, sep string) string {
	s := apptest.Shipment(n, amount)
	var cells []string
	for _, f := range []string{"carrier", "waybill_no", "ship_date", "origin_region", "destination_region",
		"product_category", "mode", "amount", "invoice_no"} {
		cells = append(cells, fmt.Sprint(s[f]))
	}
	if sep == "," {
		for i, c := range cells {
			if strings.Contains(c, ",") {
				cells[i] = `"` + c + `"`
			}
		}
	}
	return strings.Join(cells, sep)
}

func (w *world) testManyLines(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	// pasted from a spreadsheet: tabs
	paste := shipmentLine(101, "1,000.00", "\t") + "\n" + shipmentLine(102, "2000.00", "\t") + "\n" + shipmentLine(103, "3,000.50", "\t") + "\n"
	f := w.claimForm(t, b, "file")
	f.Set("paste", paste)
	resp, body := b.multipart("/ui/claims/new", f, "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("paste: %d\n%s", resp.StatusCode, body)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/ui/claims/")
	c, err := w.env.Parts.Store.GetClaim(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Requested.StringFixed(2); got != "6000.50" {
		t.Fatalf("requested %s, want 6000.50 (three pasted lines)", got)
	}
	// a CSV file with a header, 3 lines, previewed first
	csv := "carrier,waybill_no,ship_date,origin_region,destination_region,product_category,mode,amount,invoice_no\n" +
		shipmentLine(111, "100.00", ",") + "\n" + shipmentLine(112, "200.00", ",") + "\n" + shipmentLine(113, "1,300.00", ",") + "\n"
	f = w.claimForm(t, b, "preview")
	resp, body = b.multipart("/ui/claims/new", f, csv)
	wantStatus(t, resp, body, http.StatusOK)
	assertChinese(t, "/ui/claims/new (CSV preview)", body)
	contains(t, body, "CSV 文件第 4 行", "WB-000113", `id="preview-amount"`)
	f = w.claimForm(t, b, "file")
	resp, body = b.multipart("/ui/claims/new", f, csv)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("csv: %d\n%s", resp.StatusCode, body)
	}
	if got := w.claimCount(t); got != before+2 {
		t.Fatalf("%d claims, want %d", got, before+2)
	}
}

func (w *world) testBadCSV(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	csv := shipmentLine(121, "100.00", ",") + "\n" + shipmentLine(122, "200.00", ",") + "\nonly,three,cells\n"
	resp, body := b.multipart("/ui/claims/new", w.claimForm(t, b, "file"), csv)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	contains(t, body, "CSV 文件第 3 行：有 3 个单元格，应为 9 个", "未提交任何内容")
	assertChinese(t, "/ui/claims/new (bad CSV)", body)
	// a readable line the API refuses: named beside its row, with the CSV line it came from
	csv = shipmentLine(123, "100.00", ",") + "\n" + shipmentLine(124, "12.345", ",") + "\n"
	resp, body = b.multipart("/ui/claims/new", w.claimForm(t, b, "file"), csv)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	contains(t, body, "CSV 文件第 2 行", `id="err-amount_2"`, "最多两位小数")
	assertChinese(t, "/ui/claims/new (refused CSV line)", body)
	if got := w.claimCount(t); got != before {
		t.Fatalf("%d claims, want %d: nothing may be filed", got, before)
	}
}

func (w *world) testGroupedAmount(t *testing.T) {
	b := w.signedIn(t, "applicant")
	s := apptest.Shipment(131, "23,456.78")
	f := w.claimForm(t, b, "addrow", s)
	resp, body := b.post("/ui/claims/new", f)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `name="carrier_6"`, `value="6"`)
	f.Set("action", "preview")
	resp, body = b.post("/ui/claims/new", f)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "11,728.39") // half of 23,456.78
	assertChinese(t, "/ui/claims/new (preview)", body)
}
