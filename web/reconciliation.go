package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
)

func init() {
	// mismatchLabel is the English label of a reconciliation mismatch kind (wrap it in t).
	funcs["mismatchLabel"] = func(kind string) string {
		switch kind {
		case "unknown_claim":
			return "Settlement names no claim of ours"
		case "amount_mismatch":
			return "Amounts differ"
		case "claim_not_paid":
			return "Settled but the claim is not paid"
		case "duplicate_settlement":
			return "Settled twice"
		case "paid_without_settlement":
			return "Paid without a settlement"
		}
		return kind
	}
}

type reconciliationData struct {
	Date   string
	Errors map[string]string
	Report *struct {
		Date         string `json:"date"`
		Matched      int    `json:"matched"`
		TotalSettled string `json:"total_settled"`
		OK           bool   `json:"ok"`
		Mismatches   []struct {
			Kind        string  `json:"kind"`
			ClaimID     *string `json:"claim_id"`
			Key         *string `json:"key"`
			BankAmount  *string `json:"bank_amount"`
			ClaimAmount *string `json:"claim_amount"`
			Detail      string  `json:"detail"`
		} `json:"mismatches"`
	}
	Settlements *struct {
		Items []struct {
			Key       string    `json:"key"`
			BankRef   string    `json:"bank_ref"`
			Reference string    `json:"reference"`
			Account   string    `json:"account_number"`
			Amount    string    `json:"amount"`
			SettledAt time.Time `json:"settled_at"`
		} `json:"items"`
		Total string `json:"total"`
	}
	Unavailable bool
}

// reconciliationPage shows one day's bank settlements and how they reconcile with the paid
// claims, as GET /v1/reconciliation and /v1/bank/settlements give them (finance, auditors,
// admins). The day is the bank's (UTC) settlement day; today by default.
func (s *server) reconciliationPage(w http.ResponseWriter, r *http.Request, sess session) {
	switch sess.P.Role {
	case access.FinanceOfficer, access.FinanceSupervisor, access.Auditor, access.Admin:
	default:
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only finance, auditors and administrators see the reconciliation.")
		return
	}
	d := reconciliationData{Date: strings.TrimSpace(r.URL.Query().Get("date")), Errors: map[string]string{}}
	if d.Date == "" {
		d.Date = time.Now().UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
		d.Errors["date"] = "Enter a date as YYYY-MM-DD."
		s.page(w, r, sess, http.StatusUnprocessableEntity, "reconciliation", "reconciliation", "Reconciliation", d)
		return
	}
	q := "?date=" + url.QueryEscape(d.Date)
	status, resp := s.apiGet(r, sess, "/v1/reconciliation"+q)
	if status == http.StatusServiceUnavailable {
		d.Unavailable = true
		s.page(w, r, sess, http.StatusOK, "reconciliation", "reconciliation", "Reconciliation", d)
		return
	}
	if status != http.StatusOK {
		s.apiRefusal(w, r, sess, "reconciliation", status, resp)
		return
	}
	if err := json.Unmarshal(resp, &d.Report); err != nil {
		s.internal(w, r, sess, "decode reconciliation", err)
		return
	}
	status, resp = s.apiGet(r, sess, "/v1/bank/settlements"+q)
	if status != http.StatusOK {
		s.apiRefusal(w, r, sess, "settlements", status, resp)
		return
	}
	if err := json.Unmarshal(resp, &d.Settlements); err != nil {
		s.internal(w, r, sess, "decode settlements", err)
		return
	}
	s.page(w, r, sess, http.StatusOK, "reconciliation", "reconciliation", "Reconciliation", d)
}
