package web_test

import (
	"net/http"
	"testing"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// testAccountOnClaimPage: the claim page shows the payee's whole account number only to
// finance deciding on the payment; everyone else, the applicant who entered it included,
// reads the last four digits. Finance sees whether the enterprise is verified, and a
// self-registered one is marked unverified with who declared what.
func (w *world) testAccountOnClaimPage(t *testing.T) {
	const full, masked = "6222000012345679", "****5679" // the "other" enterprise's account
	page := "/ui/claims/" + w.theirs
	resp, body := w.signedIn(t, "officer").get(page)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, full, "已核实 · <span translate=\"no\">admin-1</span>")
	for _, who := range []string{"auditor", "admin", "other"} {
		resp, body := w.signedIn(t, who).get(page)
		wantStatus(t, resp, body, http.StatusOK)
		contains(t, body, masked)
		lacks(t, body, full)
	}

	code := apptest.MustCode("91540100MA6T00077")
	w.env.Token(t, "self", access.Principal{Subject: "ent-self", Role: access.Applicant, CreditCode: code})
	r := w.env.Do(t, "POST", "/v1/enterprises", "self", map[string]any{
		"credit_code": code, "name": "Self Declared Foods", "industry": "industry",
		"employees": 45, "revenue": "1800.00", "assets": "2500.00", "region": "540102",
		"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Self Declared Foods",
			"account_number": "6222000077778888"},
	}, "Idempotency-Key", apptest.Key())
	if r.Status != http.StatusCreated {
		t.Fatalf("self-registration: %d %s", r.Status, r.Body)
	}
	id := w.file(t, "self", apptest.Shipment(77, "1000.00"))
	resp, body = w.signedIn(t, "officer").get("/ui/claims/" + id)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "未核实：企业自报", "<code>bank_account</code>", "ent-self", "6222000077778888", ">批准<")
	_, body = w.signedIn(t, "self").get("/ui/claims/" + id)
	contains(t, body, "****8888")
	lacks(t, body, "6222000077778888")
}
