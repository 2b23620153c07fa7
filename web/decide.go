package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"go.temporal.io/api/serviceerror"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
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
	"approve":      {update: contract.UpdateApprove, finance: true, done: "已批准 Approved."},
	"reject":       {update: contract.UpdateReject, finance: true, needNote: "驳回理由 the reason for the rejection", done: "已驳回 Rejected."},
	"request-info": {update: contract.UpdateRequestInfo, finance: true, needNote: "需补充的材料 the question to the applicant", done: "已要求补充材料 Information requested."},
	"respond":      {update: contract.UpdateRespond, needNote: "补充说明 the answer to finance's question", done: "已提交答复 Response sent."},
	"withdraw":     {update: contract.UpdateWithdraw, done: "已撤回 Withdrawn."},
	"confirm":      {update: contract.UpdateConfirm, role: access.Landlord, done: "已确认 Confirmed."},
	"dispute":      {update: contract.UpdateDispute, role: access.Landlord, needNote: "异议理由 the reason for the dispute", done: "已提出异议 Disputed; finance will decide."},
	"cancel":       {update: contract.UpdateCancel, role: access.Admin, needNote: "撤销理由 the reason for the cancellation", done: "已撤销 Cancelled."},
}

const maxNote = 2000 // as the API allows

// decide sends a decision to the claim's workflow and redirects back to the claim
// (post/redirect/get), with the outcome or the refusal shown once there.
func (s *server) decide(w http.ResponseWriter, r *http.Request, sess session) {
	d, ok := decisions[r.PathValue("action")]
	if !ok {
		s.errorPage(w, r, &sess, http.StatusNotFound, "页面不存在 Page not found")
		return
	}
	c, err := s.visibleClaim(r.Context(), sess.P, r.PathValue("id"))
	if apperr.Is(err, apperr.NotFound) {
		s.errorPage(w, r, &sess, http.StatusNotFound, "申请不存在 Claim not found.")
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
		return "您无权执行此操作 Your role may not do this."
	}
	if d.finance && !p.Role.IsFinance() {
		return "只有财政经办或主管可以审批 Only finance officers and supervisors decide on payouts."
	}
	if !d.finance && d.role == "" && p.Role != access.Applicant {
		return "只有申请企业可以执行此操作 Only the enterprise that filed the claim may do this."
	}
	if d.needNote != "" && note == "" {
		return "请填写" + d.needNote + "."
	}
	if utf8.RuneCountInString(note) > maxNote {
		return "说明过长 The note is longer than 2000 characters."
	}
	return ""
}

// decisionMessage turns a refusal into words for the user. The workflow's refusals
// (four eyes, own claim, wrong status) are apperr errors written for people; anything
// else is logged and reported generically.
func (s *server) decisionMessage(ctx context.Context, claimID string, err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return "未执行 Refused: " + ae.Message
	}
	var down *serviceerror.Unavailable
	if errors.As(err, &down) || errors.Is(err, context.DeadlineExceeded) {
		return "工作流服务暂不可用，请稍后重试 The workflow service is unavailable; try again later."
	}
	s.log.ErrorContext(ctx, "web: decide", "claim_id", claimID, "err", err)
	return "未能记录该决定，请稍后重试 The decision could not be recorded; please try again later."
}
