package activities

import (
	"context"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// PeriodClaimInput asks for one period's claim to be stored. The loan's workflow chose the
// claim id (recorded in its history), so a retry stores the same claim.
type PeriodClaimInput struct {
	ClaimID     string                 `json:"claim_id"`
	ProgramID   string                 `json:"program_id"`
	Payload     interest.PeriodPayload `json:"payload"`
	SubmittedBy access.Principal       `json:"submitted_by"`
	SubmittedAt time.Time              `json:"submitted_at"`
	Meta        Meta                   `json:"meta"`
}

// OpenPeriodClaim stores a period's claim as submitted, for the borrower, filed by the
// lender, and returns the input its ClaimWorkflow starts with. The loan's workflow starts
// that workflow itself as its child. The payload is encoded here, not in workflow code.
func (a *Activities) OpenPeriodClaim(ctx context.Context, in PeriodClaimInput) (contract.Input, error) {
	payload, err := json.Marshal(in.Payload)
	if err != nil {
		return contract.Input{}, err
	}
	l := in.Payload.Loan
	c := claim.Claim{ID: in.ClaimID, ProgramID: in.ProgramID, Kind: program.Interest,
		CreditCode: l.BorrowerCreditCode, SubmittedBy: in.SubmittedBy.Subject, Status: claim.Submitted,
		Requested: in.Payload.Report.InterestPaid, Payload: payload,
		WorkflowID: contract.WorkflowID(in.ClaimID), Parties: []string{l.LenderCreditCode}}
	err = a.Store.InsertClaim(ctx, c, a.storeMeta(in.Meta))
	if apperr.Is(err, apperr.Conflict) {
		// A retry after a lost reply: the claim is there already.
		activity.GetLogger(ctx).Info("period claim already stored", "claim_id", in.ClaimID)
	} else if err != nil {
		return contract.Input{}, err
	}
	return contract.Input{ClaimID: c.ID, ProgramID: c.ProgramID, Kind: c.Kind, CreditCode: c.CreditCode,
		SubmittedBy: in.SubmittedBy, Payload: payload, SubmittedAt: in.SubmittedAt}, nil
}

// LoanRecord is one write of a loan's workflow to the read model and the audit log.
type LoanRecord struct {
	State   contract.LoanState `json:"state"`
	Action  string             `json:"action"`
	Details map[string]any     `json:"details,omitempty"`
	Meta    Meta               `json:"meta"`
}

// RecordLoan writes the loan's status and schedule with an audit row naming what happened
// (a report taken, a report overdue, a period claimed, the loan ended). The store applies a
// step once, so a retry changes nothing.
func (a *Activities) RecordLoan(ctx context.Context, r LoanRecord) error {
	st := r.State
	periods, err := json.Marshal(st.Periods)
	if err != nil {
		return err
	}
	det := map[string]any{"loan_id": st.LoanID, "status": st.Status, "current": st.Current}
	for k, v := range r.Details {
		det[k] = v
	}
	raw, err := json.Marshal(det)
	if err != nil {
		return err
	}
	escalated := false
	for _, p := range st.Periods {
		escalated = escalated || (p.Escalated && p.Report == nil)
	}
	_, err = a.Store.ApplyLoanChange(ctx, store.LoanChange{ID: st.LoanID, Step: st.Step, Status: st.Status,
		Periods: periods, Escalated: escalated, Action: r.Action, Details: raw}, a.storeMeta(r.Meta))
	return err
}
