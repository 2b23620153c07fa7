package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// loanWorld adds an interest-subsidy program to the shared world: its bank (token
// "lender"), a bank of no loan here (token "lender2") and one loan of the "applicant"
// enterprise signed in 2023, so every period has ended and reports are taken at once.
type loanWorld struct {
	*world
	bank string
	loan string
}

// TestLoanPages is its own environment: TestWeb's list of subtests lives in web_test.go.
func TestLoanPages(t *testing.T) {
	w := &loanWorld{world: setup(t), bank: apptest.MustCode("91540100MA6T00007")}
	w.env.Token(t, "lender", access.Principal{Subject: "bank-clerk-zhang", Role: access.Lender, CreditCode: w.bank})
	w.env.Token(t, "lender2", access.Principal{Subject: "bank-clerk-qian", Role: access.Lender,
		CreditCode: apptest.MustCode("91540100MA6T00008")})
	prg := w.env.InterestProgram(t, "1000000.00", w.bank)
	r := w.env.RegisterLoan(t, "lender", prg, apptest.Loan("DT-WEB-0105", w.env.CreditCode, w.bank))
	if r.Status != http.StatusCreated {
		t.Fatalf("register loan: %d %s", r.Status, r.Body)
	}
	w.loan = r.JSON["id"].(string)
	t.Run("the lender sees its loan in the list and its schedule", w.testLoanLenderPages)
	t.Run("the lender reports period 0 through the form and its claim is shown", w.testLoanReport)
	t.Run("another lender gets 404 on the loan", w.testLoanOtherLender)
	t.Run("a malformed report is shown as an error and changes nothing", w.testLoanBadReport)
}

func (w *loanWorld) page() string { return "/ui/loans/" + w.loan }

func (w *loanWorld) testLoanLenderPages(t *testing.T) {
	b := w.signedIn(t, "lender")
	resp, body := b.get("/ui/loans")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `href="/ui/loans"`, "贷款贴息", `href="/ui/loans/`+w.loan+`"`, "DT-WEB-0105",
		w.env.CreditCode, w.bank, "1,000,000.00", "执行中", `<td class="num">0.00</td>`)
	resp, body = b.get(w.page())
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "DT-WEB-0105", `id="period-0"`, `id="period-12"`, "2023-01-10 至 2023-03-20",
		"待报告", `action="/ui/loans/`+w.loan+`/periods/0/report"`, `name="interest_paid"`, `name="overdue"`)
	// the borrower and staff read the schedule, without the lender's forms
	for _, who := range []string{"applicant", "officer"} {
		b := w.signedIn(t, who)
		_, body := b.get("/ui/loans")
		contains(t, body, "DT-WEB-0105")
		resp, body := b.get(w.page())
		wantStatus(t, resp, body, http.StatusOK)
		contains(t, body, "2023-01-10 至 2023-03-20")
		lacks(t, body, `name="interest_paid"`)
	}
	_, body = w.signedIn(t, "other").get("/ui/loans")
	lacks(t, body, "DT-WEB-0105")
}

func (w *loanWorld) testLoanReport(t *testing.T) {
	b := w.signedIn(t, "lender")
	resp, _ := b.post(w.page()+"/periods/0/report", url.Values{"csrf": {b.csrf(w.page())},
		"interest_paid": {"8458.33"}, "outstanding_principal": {"1000000.00"}, "overdue": {"false"}, "extended": {"false"}})
	wantRedirect(t, resp, w.page())
	_, body := b.get(w.page())
	contains(t, body, `class="flash ok"`, "第 0 期已报告")
	loan := w.env.WaitLoan(t, "lender", w.loan, 30*time.Second, func(r *apptest.Response) bool {
		return r.JSON["periods"].([]any)[0].(map[string]any)["claim_id"] != nil
	})
	claim := loan.JSON["periods"].([]any)[0].(map[string]any)["claim_id"].(string)
	w.env.WaitStatus(t, claim, "pending_approval", 30*time.Second)
	_, body = b.get(w.page())
	contains(t, body, `href="/ui/claims/`+claim+`"`, "已生成申请", "待审批", "7,097.22")
	lacks(t, body, `action="/ui/loans/`+w.loan+`/periods/0/report"`)
	contains(t, body, `action="/ui/loans/`+w.loan+`/periods/1/report"`)
}

func (w *loanWorld) testLoanOtherLender(t *testing.T) {
	b := w.signedIn(t, "lender2")
	resp, body := b.get(w.page())
	wantStatus(t, resp, body, http.StatusNotFound)
	lacks(t, body, "DT-WEB-0105")
	_, body = b.get("/ui/loans")
	lacks(t, body, "DT-WEB-0105", w.loan)
	resp, body = b.post(w.page()+"/periods/1/report", url.Values{"csrf": {b.csrf("/ui/loans")},
		"interest_paid": {"9000.00"}, "outstanding_principal": {"1000000.00"}, "overdue": {"false"}, "extended": {"false"}})
	wantStatus(t, resp, body, http.StatusNotFound)
	w.wantPeriodOpen(t, 1)
}

func (w *loanWorld) testLoanBadReport(t *testing.T) {
	b := w.signedIn(t, "lender")
	resp, _ := b.post(w.page()+"/periods/1/report", url.Values{"csrf": {b.csrf(w.page())},
		"interest_paid": {"abc"}, "outstanding_principal": {"1000000.00"}, "overdue": {"false"}, "extended": {"false"}})
	wantRedirect(t, resp, w.page())
	_, body := b.get(w.page())
	contains(t, body, `class="flash error"`, "第 1 期报告未被接受", "interest_paid：",
		`action="/ui/loans/`+w.loan+`/periods/1/report"`)
	w.wantPeriodOpen(t, 1)
}

// wantPeriodOpen reads the loan through the API: period n is still open, with no claim.
func (w *loanWorld) wantPeriodOpen(t *testing.T, n int) {
	t.Helper()
	r := w.env.Do(t, "GET", "/v1/loans/"+w.loan, "lender", nil)
	p := r.JSON["periods"].([]any)[n].(map[string]any)
	if p["status"] != "open" || p["claim_id"] != nil {
		t.Fatalf("period %d = %v, want it open without a claim", n, p)
	}
}
