package apptest

import (
	"testing"
	"time"
)

// InterestProgram creates an interest-subsidy program for 2023–2026 whose one participating
// bank is lender, with POLICIES.md's defaults otherwise, and returns its id.
func (e *Env) InterestProgram(t testing.TB, budget, lender string) string {
	t.Helper()
	r := e.Do(t, "POST", "/v1/programs", "admin", map[string]any{
		"kind": "interest", "name": "Lhasa start-up loan interest subsidy", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2027-01-01", "budget": budget,
		"params": map[string]any{"lenders": []string{lender}},
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create interest program: %d %s", r.Status, r.Body)
	}
	return r.JSON["id"].(string)
}

// Loan is a 36-month loan of 1,000,000.00 at 4.35 % signed on 2023-01-05, when the 1-year
// LPR in force was 3.65 % (fixed 2022-08-22), starting 2023-01-10: every period has ended,
// so reports are taken at once.
func Loan(contract, borrower, lender string) map[string]any {
	return map[string]any{
		"contract_no": contract, "borrower_credit_code": borrower, "lender_credit_code": lender,
		"principal": "1000000.00", "contract_rate": "0.0435", "stated_lpr": "0.0365",
		"contract_date": "2023-01-05", "start_date": "2023-01-10", "maturity_date": "2026-01-10",
	}
}

// RegisterLoan registers a loan in a program as who.
func (e *Env) RegisterLoan(t testing.TB, who, programID string, loan map[string]any) *Response {
	t.Helper()
	return e.Do(t, "POST", "/v1/loans", who, map[string]any{"program_id": programID, "loan": loan},
		"Idempotency-Key", Key())
}

// WaitLoan polls a loan until ok accepts it or timeout passes.
func (e *Env) WaitLoan(t testing.TB, who, loanID string, timeout time.Duration, ok func(*Response) bool) *Response {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r := e.Do(t, "GET", "/v1/loans/"+loanID, who, nil)
		if r.Status == 200 && ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("apptest: loan %s not as expected after %s: %d %s", loanID, timeout, r.Status, r.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
