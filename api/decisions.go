package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"go.temporal.io/api/serviceerror"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// decision describes one of the human decisions on a claim.
type decision struct {
	update       string // the workflow update it is sent as
	noteRequired bool   // a rejection needs a reason, a question and an answer need text
	noteMeaning  string // what the note is, for the error message
	modeRequired bool   // a confirmation says how the claim is applied (a landlord: offset or refund)
	allowed      func(p access.Principal) error
}

var (
	approve     = decision{update: contract.UpdateApprove, allowed: financeMay("approve claims")}
	reject      = decision{update: contract.UpdateReject, noteRequired: true, noteMeaning: "the reason for the rejection", allowed: financeMay("reject claims")}
	requestInfo = decision{update: contract.UpdateRequestInfo, noteRequired: true, noteMeaning: "the question to the applicant", allowed: financeMay("request information")}
	respond     = decision{update: contract.UpdateRespond, noteRequired: true, noteMeaning: "the answer to finance's question", allowed: applicantMay("respond to requests for information")}
	withdraw    = decision{update: contract.UpdateWithdraw, allowed: applicantMay("withdraw claims")}
	cancel      = decision{update: contract.UpdateCancel, noteRequired: true, noteMeaning: "the reason for the cancellation", allowed: adminMay("cancel claims")}
	confirm     = decision{update: contract.UpdateConfirm, modeRequired: true, allowed: partyMay("confirm claims", access.Landlord)}
	dispute     = decision{update: contract.UpdateDispute, noteRequired: true, noteMeaning: "the reason for the dispute", allowed: partyMay("dispute claims", access.Landlord)}
)

// partyMay admits the second party of a claim: visibleClaim has already hidden claims it
// takes no part in, and the workflow checks it is the party the claim names.
func partyMay(what string, role access.Role) func(access.Principal) error {
	return func(p access.Principal) error {
		return requireRole(p, what+" (only the party named in the claim may)", role)
	}
}

func adminMay(what string) func(access.Principal) error {
	return func(p access.Principal) error { return requireRole(p, what, access.Admin) }
}

func financeMay(what string) func(access.Principal) error {
	return func(p access.Principal) error { return requireFinance(p, what) }
}

// applicantMay admits the filing enterprise only: visibleClaim has already hidden other
// enterprises' claims from applicants.
func applicantMay(what string) func(access.Principal) error {
	return func(p access.Principal) error {
		return requireRole(p, what+" (only the enterprise that filed the claim may)", access.Applicant)
	}
}

type decisionRequest struct {
	Note string `json:"note" validate:"max=2000,text"`
	Mode string `json:"mode" validate:"max=32"` // confirmations only
}

// decide sends a decision to the claim's workflow, whose validator has the last word (state,
// four eyes, own claim), and answers with the claim as the read model shows it afterwards.
func (s *server) decide(d decision) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.visibleClaim(r)
		if err != nil {
			return err
		}
		p := principalFrom(r.Context())
		if err := d.allowed(p); err != nil {
			return err
		}
		// The body is optional even where a note is required: a missing note is then
		// reported on "note" (422) like an empty one.
		var req decisionRequest
		if err := decodeJSON(w, r, &req, true); err != nil {
			return err
		}
		if err := d.check(req); err != nil {
			return err
		}
		_, err = contract.Decide(r.Context(), s.temporal, c.ID, d.update, contract.Decision{Actor: p, Note: req.Note, Mode: req.Mode})
		if err != nil {
			return unavailableIfDown(err)
		}
		return s.answerClaim(w, r, c)
	}
}

// check validates the note: its length, and its presence where the decision needs one.
func (d decision) check(req decisionRequest) error {
	errs := checkStruct(&req, "")
	if d.noteRequired && strings.TrimSpace(req.Note) == "" && errs["note"] == "" {
		errs["note"] = "is required: give " + d.noteMeaning
	}
	switch {
	case d.modeRequired && req.Mode == "" && errs["mode"] == "":
		errs["mode"] = "is required: say how the claim is applied (offset or refund)"
	case !d.modeRequired && req.Mode != "":
		errs["mode"] = "is not taken by this decision"
	}
	return invalid(errs)
}

// answerClaim re-reads the claim after a decision; if that fails the decision still
// stands, so the claim as loaded before is better than an error.
func (s *server) answerClaim(w http.ResponseWriter, r *http.Request, before claim.Claim) error {
	c, err := s.store.GetClaim(r.Context(), before.ID)
	if err != nil {
		s.log.WarnContext(r.Context(), "re-read claim after decision", "request_id", requestIDFrom(r.Context()),
			"claim_id", before.ID, "err", err)
		c = before
	}
	return writeJSON(w, http.StatusOK, s.claimAnswer(r, c))
}

// unavailableIfDown reports Temporal being unreachable as Unavailable (503, retry later)
// rather than as an internal failure.
func unavailableIfDown(err error) error {
	var down *serviceerror.Unavailable
	if errors.As(err, &down) || errors.Is(err, context.DeadlineExceeded) {
		return apperr.New(apperr.Unavailable, "the workflow service is unavailable; retry later")
	}
	return err
}
