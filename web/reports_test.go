package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/subsidyflow/subsidyflow/i18n"
)

// The reports page, its chart, its CSV and XLSX exports and the API all give the same paid
// total, and it is the ledger's committed balance.
func TestReports(t *testing.T) {
	w := setup(t)
	r := w.env.Do(t, "POST", "/v1/claims/"+w.mine+"/approve", "officer", map[string]any{"note": "ok"})
	if r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	w.env.WaitStatus(t, w.mine, "paid", 30*time.Second)

	ledger, err := w.env.Parts.Store.LedgerCommitted(context.Background(), w.program)
	if err != nil {
		t.Fatal(err)
	}
	if !ledger.IsPositive() {
		t.Fatalf("ledger committed = %s after a payment", ledger)
	}
	same := func(what, got string) {
		t.Helper()
		d, err := decimal.NewFromString(i18n.Ungroup(got))
		if err != nil || !d.Equal(ledger) {
			t.Errorf("%s total = %q, ledger committed = %s", what, got, ledger)
		}
	}

	api := w.env.Do(t, "GET", "/v1/reports/claims?program_id="+w.program, "officer", nil)
	if api.Status != http.StatusOK {
		t.Fatalf("API claims report: %d %s", api.Status, api.Body)
	}
	same("API", api.JSON["total"].(map[string]any)["paid"].(string))

	b := w.signedIn(t, "officer")
	resp, body := b.get("/ui/reports?program_id=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	// The layout shows the signed-in subject without translate="no" (not this page's text).
	assertChinese(t, "/ui/reports", strings.ReplaceAll(body, "officer-li", ""))
	same("page", submatch(t, body, `id="total-paid" data-total="([0-9.]+)"`))
	same("region chart", submatch(t, body, `data-total="([0-9.]+)"><title>按地区统计的已支付金额`))
	same("budget chart", submatch(t, body, `data-total="([0-9.]+)"><title>每日预算使用情况`))

	resp, body = b.get("/ui/reports/export?report=claims&format=csv&program_id=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("CSV content type %q", ct)
	}
	first := strings.SplitN(strings.TrimPrefix(body, "\ufeff"), "\r\n\r\n", 2)[0]
	rows, err := csv.NewReader(strings.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	total := rows[len(rows)-1]
	if total[0] != "total" {
		t.Fatalf("CSV's last row %v", total)
	}
	same("CSV", total[4])

	resp, body = b.get("/ui/reports/export?report=claims&format=xlsx&program_id=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	same("XLSX", xrows[len(xrows)-1][4])

	api = w.env.Do(t, "GET", "/v1/reports/budget?program_id="+w.program, "auditor", nil)
	if api.Status != http.StatusOK {
		t.Fatalf("API budget report: %d %s", api.Status, api.Body)
	}
	days := api.JSON["days"].([]any)
	same("API budget", days[len(days)-1].(map[string]any)["committed"].(string))
	api = w.env.Do(t, "GET", "/v1/reports/timing?program_id="+w.program+"&format=csv", "admin", nil)
	if api.Status != http.StatusOK || !strings.HasPrefix(api.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("API timing CSV: %d %s", api.Status, api.Header.Get("Content-Type"))
	}

	// Who may ask, and bad parameters.
	if r := w.env.Do(t, "GET", "/v1/reports/claims", "applicant", nil); r.Status != http.StatusForbidden {
		t.Errorf("applicant: %d", r.Status)
	}
	r = w.env.Do(t, "GET", "/v1/reports/claims?from=2024-13-01&format=pdf&program_id=nope&x=1", "officer", nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad params: %d %s", r.Status, r.Body)
	}
	for _, field := range []string{`"from"`, `"format"`, `"x"`} {
		if !strings.Contains(string(r.Body), field) {
			t.Errorf("no error for %s in %s", field, r.Body)
		}
	}
	if r := w.env.Do(t, "GET", "/v1/reports/budget?program_id=nope", "officer", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown program: %d %s", r.Status, r.Body)
	}
	resp, body = w.signedIn(t, "applicant").get("/ui/reports")
	wantStatus(t, resp, body, http.StatusForbidden)

	// Filing dates: none of the claims was filed in 2000; a bad date is refused.
	resp, body = b.get("/ui/reports?from=2000-01-01&to=2000-12-31&program_id=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	if got := submatch(t, body, `id="total-paid" data-total="([0-9.]+)"`); got != "0.00" {
		t.Errorf("paid total %s for claims filed in 2000", got)
	}
	contains(t, body, "from=2000-01-01", `value="2000-12-31"`)
	resp, body = b.get("/ui/reports?from=2000-13-01")
	wantStatus(t, resp, body, http.StatusBadRequest)

	// English.
	resp, body = b.get("/ui/reports?lang=en&program_id=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `<html lang="en"`, "Paid amount by region", "Budget use by day", "Filing to payment")
}

func submatch(t *testing.T, body, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in the page", re)
	}
	return m[1]
}
