package web

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
)

// The voucher's forms (apply on the programs page; redeem, confirm delivery and return on
// the voucher's claim page) post to the JSON API in-process, like the new-claim form, so
// the pages hold no rule of their own: the API validates and the workflow decides.

// voucherActions are the voucher steps the pages offer, with the message shown once done.
var voucherActions = map[string]string{
	"redeem":           "Redeemed.",
	"confirm-delivery": "Delivery confirmed.",
	"return":           "Voucher returned.",
}

// redemptionFields are the members of a redemption, which are also the form fields' names.
var redemptionFields = []string{"provider_credit_code", "service_category", "contract_no", "invoice_no",
	"invoice_date", "invoice_amount"}

// applyVoucher applies for a voucher of the program for the signed-in enterprise.
func (s *server) applyVoucher(w http.ResponseWriter, r *http.Request, sess session) {
	if sess.P.Role != access.Applicant {
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only applicants apply for vouchers.")
		return
	}
	body, _ := json.Marshal(map[string]string{"program_id": r.PathValue("id")})
	status, resp := s.callAPI(r, sess, "/v1/vouchers", "web-voucher-"+randomKey(), body)
	if status != http.StatusCreated {
		setFlash(w, "error", "Refused: "+problemText(resp))
		http.Redirect(w, r, "/ui/programs", http.StatusSeeOther)
		return
	}
	var created struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(resp, &created)
	setFlash(w, "ok", "Applied; the voucher is issued once its face value is reserved.")
	http.Redirect(w, r, "/ui/claims/"+url.PathEscape(created.ID), http.StatusSeeOther)
}

// voucherAction sends a holder's or provider's step to the API and shows the outcome on
// the voucher's page (post/redirect/get).
func (s *server) voucherAction(w http.ResponseWriter, r *http.Request, sess session) {
	action, id := r.PathValue("action"), r.PathValue("id")
	done, ok := voucherActions[action]
	if !ok {
		s.errorPage(w, r, &sess, http.StatusNotFound, "Page not found")
		return
	}
	var body []byte
	if action == "redeem" {
		red := map[string]string{}
		for _, f := range redemptionFields {
			red[f] = strings.TrimSpace(r.PostFormValue(f))
		}
		body, _ = json.Marshal(map[string]any{"redemption": red})
	} else {
		body, _ = json.Marshal(map[string]string{"note": strings.TrimSpace(r.PostFormValue("note"))})
	}
	status, resp := s.callAPI(r, sess, "/v1/vouchers/"+url.PathEscape(id)+"/"+action, "", body)
	if status == http.StatusOK {
		setFlash(w, "ok", done)
	} else {
		setFlash(w, "error", "Refused: "+problemText(resp))
	}
	http.Redirect(w, r, "/ui/claims/"+url.PathEscape(id), http.StatusSeeOther)
}

// problemText is an API problem document as one line: its detail and each field error.
func problemText(resp []byte) string {
	var doc struct {
		Detail string `json:"detail"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(resp, &doc) != nil || doc.Detail == "" {
		return "please try again later"
	}
	parts := []string{doc.Detail}
	sort.Slice(doc.Errors, func(i, j int) bool { return doc.Errors[i].Field < doc.Errors[j].Field })
	for _, e := range doc.Errors {
		parts = append(parts, e.Field+": "+e.Message)
	}
	return strings.Join(parts, "; ")
}

// randomKey makes an Idempotency-Key for one form submission.
func randomKey() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
