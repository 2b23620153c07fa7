package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A bank registers a start-up loan signed in 2023 (its early periods have long ended), the
// registration refusals name what is wrong, and the lender's first reports become period
// claims that finance approves and the borrower is paid; an overdue period pays nothing
// and a period whose report is late is escalated.
func TestLoanInterestSubsidyFromRegistrationToPayment(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	bank := apptest.MustCode("91540100MA6T00007")
	e.Enterprise(t, e.CreditCode, "6222000011110505")
	e.Token(t, "lender", access.Principal{Subject: "bank-clerk-zhang", Role: access.Lender, CreditCode: bank})
	prg := e.InterestProgram(t, "1000000.00", bank)

	requireLPRRules(t, e)
	requireRegistrationRefusals(t, e, prg, bank)

	r := e.RegisterLoan(t, "lender", prg, apptest.Loan("DT-2023-0105", e.CreditCode, bank))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	require.Len(t, r.JSON["periods"], 13)
	first := r.JSON["periods"].([]any)[0].(map[string]any)
	require.Equal(t, "2023-03-20", first["last_day"], "settled on the 20th, shown inclusive")
	require.Equal(t, "2023-03-21", first["end"])

	// The same contract again, typed differently, is refused naming the first loan.
	again := e.RegisterLoan(t, "lender", prg, apptest.Loan(" dt-2023-0105", e.CreditCode, bank))
	require.Equal(t, 409, again.Status, "%s", again.Body)
	require.Equal(t, id, again.JSON["loan_id"])

	// Period 0 (70 days): 1,000,000.00 × 3.65 % × 70 / 360 = 7097.22, below the interest paid.
	report(t, e, id, 0, "8458.33", false, 200)
	report(t, e, id, 0, "8458.33", false, 409) // once per period
	loan := e.WaitLoan(t, "applicant", id, wait, func(r *apptest.Response) bool { return period(r, 0)["claim_id"] != nil })
	claim0 := period(loan, 0)["claim_id"].(string)
	c := e.WaitStatus(t, claim0, "pending_approval", wait)
	require.Equal(t, "7097.22", c.JSON["amount"])
	decide(t, e, "lender", claim0, "approve", "", 403)
	decide(t, e, "officer", claim0, "approve", "report checked", 200)
	e.WaitStatus(t, claim0, "paid", wait)

	// Period 1 was overdue: its claim pays nothing.
	report(t, e, id, 1, "9000.00", true, 200)
	loan = e.WaitLoan(t, "lender", id, wait, func(r *apptest.Response) bool { return period(r, 1)["claim_id"] != nil })
	e.WaitStatus(t, period(loan, 1)["claim_id"].(string), "rejected", wait)

	// Period 2 ended in 2023 and its report is long due: the loan is escalated.
	loan = e.WaitLoan(t, "officer", id, wait, func(r *apptest.Response) bool { return r.JSON["escalated"] == true })
	require.Equal(t, "paid", period(loan, 0)["claim_status"])
	require.Equal(t, "zero", period(loan, 1)["status"])
	require.Equal(t, "rejected", period(loan, 1)["claim_status"])
	require.Equal(t, "7097.22", loan.JSON["paid_so_far"], "what the borrower has been paid: period 0 only")
	require.Equal(t, true, period(loan, 2)["escalated"])
	require.Equal(t, 404, e.Do(t, "GET", "/v1/loans/"+id, "other", nil).Status, "not the borrower's")
	list := e.Do(t, "GET", "/v1/loans", "lender", nil)
	require.Len(t, list.JSON["loans"], 1)

	// Early repayment: not inside a period already reported; then the schedule ends that day.
	repaid := func(date string, want int) *apptest.Response {
		r := e.Do(t, "POST", "/v1/loans/"+id+"/repaid", "lender", map[string]any{"date": date})
		require.Equal(t, want, r.Status, "repaid %s: %s", date, r.Body)
		return r
	}
	require.Contains(t, fieldError(repaid("2023-05-01", 422), "date"), "reported in full")
	require.Len(t, repaid("2023-08-01", 200).JSON["periods"], 3)
	repaid("2023-09-01", 409)
	loan = e.WaitLoan(t, "lender", id, wait, func(r *apptest.Response) bool { return len(r.JSON["periods"].([]any)) == 3 })
	require.Equal(t, "2023-07-31", period(loan, 2)["last_day"])

	for i, h := range loanRuns(t, e, id) {
		require.Less(t, len(h.Events), 2000, "run %d", i)
	}
	require.GreaterOrEqual(t, len(loanRuns(t, e, id)), 3, "continued as new after each period")
	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}

// requireLPRRules: an administrator adds a fixing; one in force cannot be changed.
func requireLPRRules(t *testing.T, e *apptest.Env) {
	t.Helper()
	add := func(who, date, rate string) *apptest.Response {
		return e.Do(t, "POST", "/v1/lpr", who, map[string]any{"effective_date": date, "rate": rate},
			"Idempotency-Key", apptest.Key())
	}
	r := add("admin", time.Now().AddDate(0, 1, 0).Format(time.DateOnly), "0.0290")
	require.Equal(t, 201, r.Status, "%s", r.Body)
	r = add("admin", "2024-07-22", "0.0400")
	require.Equal(t, 422, r.Status, "%s", r.Body)
	require.Contains(t, fieldError(r, "effective_date"), "in force")
	require.Equal(t, 403, add("applicant", "2030-01-20", "0.0300").Status)
	tab := e.Do(t, "GET", "/v1/lpr", "applicant", nil)
	require.Equal(t, 200, tab.Status)
	require.Len(t, tab.JSON["fixings"], 14)
}

// requireRegistrationRefusals: each refusal names the field and stores nothing.
func requireRegistrationRefusals(t *testing.T, e *apptest.Env, prg, bank string) {
	t.Helper()
	cases := []struct{ field, value, want string }{
		{"principal", "3000000.01", "at most 3000000.00"},
		{"stated_lpr", "0.0355", "3.65 %"},
		{"lender_credit_code", apptest.MustCode("91540100MA6T00008"), "must be your bank's credit code"},
	}
	for _, tc := range cases {
		l := apptest.Loan("DT-BAD", e.CreditCode, bank)
		l[tc.field] = tc.value
		r := e.RegisterLoan(t, "lender", prg, l)
		require.Equal(t, 422, r.Status, "%s: %s", tc.field, r.Body)
		require.Contains(t, fieldError(r, "loan."+tc.field), tc.want)
	}
	require.Equal(t, 403, e.RegisterLoan(t, "applicant", prg, apptest.Loan("DT-X", e.CreditCode, bank)).Status)
	list := e.Do(t, "GET", "/v1/loans", "admin", nil)
	require.Empty(t, list.JSON["loans"])
}

func report(t *testing.T, e *apptest.Env, loanID string, n int, paid string, overdue bool, want int) {
	t.Helper()
	r := e.Do(t, "POST", "/v1/loans/"+loanID+"/periods/"+strconv.Itoa(n)+"/report", "lender", map[string]any{
		"interest_paid": paid, "outstanding_principal": "1000000.00", "overdue": overdue, "extended": false})
	require.Equal(t, want, r.Status, "report %d: %s", n, r.Body)
}

func period(r *apptest.Response, i int) map[string]any {
	return r.JSON["periods"].([]any)[i].(map[string]any)
}

// fieldError is the message a problem document gives for field.
func fieldError(r *apptest.Response, field string) string {
	errs, _ := r.JSON["errors"].([]any)
	for _, x := range errs {
		fe := x.(map[string]any)
		if fe["field"] == field {
			return fe["message"].(string)
		}
	}
	return ""
}

// loanRuns reads the history of every run of a loan's workflow, latest first, following
// each run's start back to the run it continued.
func loanRuns(t *testing.T, e *apptest.Env, loanID string) []*historypb.History {
	t.Helper()
	var out []*historypb.History
	run := ""
	for {
		it := e.Temporal.GetWorkflowHistory(context.Background(), contract.LoanWorkflowID(loanID), run, false,
			enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		h := &historypb.History{}
		for it.HasNext() {
			ev, err := it.Next()
			require.NoError(t, err)
			h.Events = append(h.Events, ev)
		}
		out = append(out, h)
		run = h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if run == "" {
			return out
		}
	}
}
