package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
)

var bankCode = mustCode("91540000MA6T99999")

func init() {
	tokens["lender"] = access.Principal{Subject: "clerk", Role: access.Lender, CreditCode: bankCode}
}

func loanBody(edit func(loan map[string]any)) string {
	loan := map[string]any{"contract_no": "HT-1", "borrower_credit_code": ownCode, "lender_credit_code": bankCode,
		"principal": "1000000.00", "contract_rate": "0.0435", "stated_lpr": "0.0365",
		"contract_date": "2023-01-05", "start_date": "2023-01-10", "maturity_date": "2026-01-10"}
	if edit != nil {
		edit(loan)
	}
	b, _ := json.Marshal(map[string]any{"program_id": fakeProgramID, "loan": loan})
	return string(b)
}

// Refusals of the loan and LPR endpoints answer before anything is stored or started.
func TestLoanAndLPRRefusalsStoreNothing(t *testing.T) {
	key := "Idempotency-Key: k1"
	cases := []struct {
		name, method, path, token, body string
		status                          int
		field                           string
	}{
		{"applicant registers a loan", "POST", "/v1/loans", "applicant", loanBody(nil), 403, ""},
		{"unknown member", "POST", "/v1/loans", "lender", loanBody(func(l map[string]any) { l["rate"] = "1" }), 400, "loan.rate"},
		{"principal in exponent form", "POST", "/v1/loans", "lender", loanBody(func(l map[string]any) { l["principal"] = "1e6" }), 422, "loan.principal"},
		{"impossible date", "POST", "/v1/loans", "lender", loanBody(func(l map[string]any) { l["start_date"] = "2023-02-30" }), 422, "loan.start_date"},
		{"not an interest program", "POST", "/v1/loans", "lender", loanBody(nil), 422, "program_id"},
		{"officer adds a fixing", "POST", "/v1/lpr", "officer", `{"effective_date": "2024-08-20", "rate": "0.0335"}`, 403, ""},
		{"fixing rate not a rate", "POST", "/v1/lpr", "admin", `{"effective_date": "2024-08-20", "rate": "3.35%"}`, 422, "rate"},
		{"fixing without a date", "POST", "/v1/lpr", "admin", `{"rate": "0.0335"}`, 422, "effective_date"},
		{"report on an unknown loan", "POST", "/v1/loans/loan_x/periods/0/report", "lender", `{}`, 404, ""},
		{"applicant reports", "POST", "/v1/loans/loan_x/periods/0/report", "applicant", `{}`, 403, ""},
		{"repaid on an unknown loan", "POST", "/v1/loans/loan_x/repaid", "lender", `{"date": "2024-01-01"}`, 404, ""},
		{"unknown loan", "GET", "/v1/loans/loan_x", "applicant", "", 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newTestAPI(t)
			rec := api.do(tc.method, tc.path, tc.token, tc.body, key, "Content-Type: application/json")
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.field != "" {
				assert.Contains(t, rec.Body.String(), `"field":"`+tc.field+`"`)
			}
			assert.Empty(t, api.store.Writes(), "nothing stored")
		})
	}
}

func TestLPRReadableByEveryRole(t *testing.T) {
	api := newTestAPI(t)
	for _, tok := range []string{"admin", "applicant", "officer", "auditor", "lender"} {
		rec := api.do("GET", "/v1/lpr", tok, "")
		require.Equal(t, 200, rec.Code, tok)
		assert.Contains(t, rec.Body.String(), `"percent":"3.65 %"`)
	}
}
