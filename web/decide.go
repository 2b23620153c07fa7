package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"go.temporal.io/api/serviceerror"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// decision is one of the forms on the claim page.
type decision struct {
	update   string      // the workflow update it is sent as
	finance  bool        // finance decides; otherwise the filing enterprise, unless role says
	role     access.Role // when set: only this role decides (a landlord, an administrator)
	needNote string      // non-empty: the note is required and this says what it is
	done     string      // the message shown once the workflow has recorded it
}

var decisions = map[string]decision{
	"approve":      {update: contract.UpdateApprove, finance: true, done: "Approved."},
	"reject":       {update: contract.UpdateReject, finance: true, needNote: "Enter the reason for the rejection.", done: "Rejected."},
	"request-info": {update: contract.UpdateRequestInfo, finance: true, needNote: "Enter the question to the applicant.", done: "Information requested."},
	"respond":      {update: contract.UpdateRespond, needNote: "Enter the answer to finance's question.", done: "Response sent."},
	"withdraw":     {update: contract.UpdateWithdraw, done: "Withdrawn."},
	"confirm":      {update: contract.UpdateConfirm, role: access.Landlord, done: "Confirmed."},
	"dispute":      {update: contract.UpdateDispute, role: access.Landlord, needNote: "Enter the reason for the dispute.", done: "Disputed; finance will decide."},
	"cancel":       {update: contract.UpdateCancel, role: access.Admin, needNote: "Enter the reason for the cancellation.", done: "Cancelled."},
}

const maxNote = 2000 // as the API allows

// decide sends a decision to the claim's workflow and redirects back to the claim
// (post/redirect/get), with the outcome or the refusal shown once there.
func (s *server) decide(w http.ResponseWriter, r *http.Request, sess session) {
	d, ok := decisions[r.PathValue("action")]
	if !ok {
		s.errorPage(w, r, &sess, http.StatusNotFound, "Page not found")
		return
	}
	c, err := s.visibleClaim(r.Context(), sess.P, r.PathValue("id"))
	if apperr.Is(err, apperr.NotFound) {
		s.errorPage(w, r, &sess, http.StatusNotFound, "Claim not found.")
		return
	}
	if err != nil {
		s.internal(w, r, sess, "get claim", err)
		return
	}
	back := "/ui/claims/" + url.PathEscape(c.ID)
	note := strings.TrimSpace(r.PostFormValue("note"))
	if msg := d.refusal(sess.P, note); msg != "" {
		setFlash(w, "error", msg)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	mode := strings.TrimSpace(r.PostFormValue("mode"))
	_, err = contract.Decide(r.Context(), s.temporal, c.ID, d.update, contract.Decision{Actor: sess.P, Note: note, Mode: mode})
	if err != nil {
		setFlash(w, "error", s.decisionMessage(r.Context(), c.ID, err))
	} else {
		setFlash(w, "ok", d.done)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// refusal checks what the page can check before asking the workflow.
func (d decision) refusal(p access.Principal, note string) string {
	if d.role != "" && p.Role != d.role {
		return "Your role may not do this."
	}
	if d.finance && !p.Role.IsFinance() {
		return "Only finance officers and supervisors decide on payouts."
	}
	if !d.finance && d.role == "" && p.Role != access.Applicant {
		return "Only the enterprise that filed the claim may do this."
	}
	if d.needNote != "" && note == "" {
		return d.needNote
	}
	if utf8.RuneCountInString(note) > maxNote {
		return "The note is longer than 2000 characters."
	}
	return ""
}

// decisionMessage turns a refusal into words for the user. The workflow's refusals
// (four eyes, own claim, wrong status) are apperr errors written for people; anything
// else is logged and reported generically.
func (s *server) decisionMessage(ctx context.Context, claimID string, err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return "Refused: " + ae.Message
	}
	var down *serviceerror.Unavailable
	if errors.As(err, &down) || errors.Is(err, context.DeadlineExceeded) {
		return "The workflow service is unavailable; try again later."
	}
	s.log.ErrorContext(ctx, "web: decide", "claim_id", claimID, "err", err)
	return "The decision could not be recorded; please try again later."
}

// maxBulk is how many claims one bulk approval takes.
const maxBulk = 100

// bulkApprove approves each selected claim as its own decision, through the same workflow
// update as the single approval (so each is validated and audited on its own). It refuses,
// claim by claim, those not pending approval and those awaiting a second (four-eyes)
// approval: a second approval is given on the claim's own page, amount and payee in view.
func (s *server) bulkApprove(w http.ResponseWriter, r *http.Request, sess session) {
	back := "/ui/claims"
	if ref := r.PostFormValue("back"); strings.HasPrefix(ref, "/ui/claims?") {
		back = ref
	}
	if !sess.P.Role.IsFinance() {
		setFlash(w, "error", "Only finance officers and supervisors decide on payouts.")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ids := r.PostForm["claim"]
	if len(ids) == 0 || len(ids) > maxBulk {
		setFlash(w, "error", "Select between 1 and 100 claims to approve.")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > maxNote {
		setFlash(w, "error", "The note is longer than 2000 characters.")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	var refused []string
	approved := 0
	for _, id := range ids {
		if why := s.approveOne(r.Context(), sess.P, id, note); why != "" {
			refused = append(refused, id+"("+why+")")
			continue
		}
		approved++
	}
	if len(refused) == 0 {
		setFlash(w, "ok", fmt.Sprintf("Approved %d of %d selected claims.", approved, len(ids)))
	} else {
		setFlash(w, "error", fmt.Sprintf("Approved %d of %d selected claims; not approved: %s", approved, len(ids), strings.Join(refused, ",")))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// approveOne approves one claim of a bulk approval; the result is "" or a short code of why
// not: not_found, not_pending, awaiting_second_approval, own_claim, refused, unavailable.
func (s *server) approveOne(ctx context.Context, p access.Principal, id, note string) string {
	c, err := s.visibleClaim(ctx, p, id)
	if apperr.Is(err, apperr.NotFound) {
		return "not_found"
	}
	if err != nil {
		s.log.ErrorContext(ctx, "web: bulk approve", "claim_id", id, "err", err)
		return "unavailable"
	}
	if c.Status != claim.PendingApproval {
		return "not_pending"
	}
	if c.SubmittedBy == p.Subject {
		return "own_claim"
	}
	if st := approvalStateOf(c, snapshotOf(c).Program.Approval.FourEyesThreshold); st != nil && st.Awaiting == "second" {
		return "awaiting_second_approval"
	}
	_, err = contract.Decide(ctx, s.temporal, c.ID, contract.UpdateApprove, contract.Decision{Actor: p, Note: note})
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return "refused"
		}
		s.log.ErrorContext(ctx, "web: bulk approve", "claim_id", id, "err", err)
		return "unavailable"
	}
	return ""
}
