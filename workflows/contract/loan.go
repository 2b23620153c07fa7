package contract

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/interest"
)

// LoanWorkflowType is the registered name of the loan workflow: one per registered loan, for
// the loan's whole life, on TaskQueue. Each period's payout is a child ClaimWorkflow.
const LoanWorkflowType = "LoanWorkflow"

// LoanIDPrefix starts the id of every loan ("loan_…").
const LoanIDPrefix = "loan"

// LoanWorkflowID is the workflow id of a loan.
func LoanWorkflowID(loanID string) string { return "loan/" + loanID }

// Updates the loan takes from its lender.
const (
	UpdateReport = "report" // the report of one period that has ended (ReportArgs)
	UpdateRepaid = "repaid" // the loan was repaid early (RepaidArgs)
)

// QueryLoan returns the loan's LoanState and the current run's history length.
const QueryLoan = "loan"

// Loan statuses.
const (
	LoanActive  = "active"
	LoanMatured = "matured" // ran to maturity; every period reported
	LoanRepaid  = "repaid"  // repaid early; every period up to the repayment reported
)

// Period statuses in the schedule.
const (
	PeriodOpen     = "open"     // the period has not ended yet, or its report has not come
	PeriodReported = "reported" // the report came; the period's claim is being opened
	PeriodClaimed  = "claimed"  // the period's claim runs (its status is the claim's)
)

// LoanPeriod is one period of the schedule as the loan's workflow keeps it.
type LoanPeriod struct {
	interest.Period
	Status    string           `json:"status"`
	Report    *interest.Report `json:"report,omitempty"`
	ClaimID   string           `json:"claim_id,omitempty"`
	Amount    *decimal.Decimal `json:"amount,omitempty"` // what the rules give the report; the claim pays it after approval
	Reason    string           `json:"reason,omitempty"` // why the period pays nothing
	Escalated bool             `json:"escalated,omitempty"`
}

// LoanState is the loan's workflow's whole state: its input, and what it carries through
// continue-as-new. A new loan starts with Periods empty; the workflow cuts them.
type LoanState struct {
	LoanID         string           `json:"loan_id"`
	ProgramID      string           `json:"program_id"`
	Loan           interest.Loan    `json:"loan"`
	Params         interest.Params  `json:"params"`
	RegisteredBy   access.Principal `json:"registered_by"`
	Periods        []LoanPeriod     `json:"periods"`
	Current        int              `json:"current"`         // the first period not yet claimed
	ExtendedBefore bool             `json:"extended_before"` // extended in a period before Current
	RepaidOn       *time.Time       `json:"repaid_on,omitempty"`
	RepaidRecorded bool             `json:"repaid_recorded,omitempty"` // the repayment is in the read model
	Subsidy        decimal.Decimal  `json:"subsidy"`                   // the sum of the claimed periods' amounts
	Status         string           `json:"status"`
	Step           int              `json:"step"` // the last write to the read model
	Run            int              `json:"run"`  // runs so far, counting continue-as-new
}

// LoanView is what QueryLoan returns.
type LoanView struct {
	State         LoanState `json:"state"`
	HistoryLength int       `json:"history_length"`
}

// ReportArgs is the lender's report of one period.
type ReportArgs struct {
	Actor  access.Principal `json:"actor"`
	Index  int              `json:"index"`
	Report interest.Report  `json:"report"`
	Signed
}

// fields is the report in the canonical form its proof covers.
func (r ReportArgs) fields() string {
	return fmt.Sprintf("%d|%s|%s|%t|%t", r.Index, r.Report.InterestPaid.String(),
		r.Report.OutstandingPrincipal.String(), r.Report.Overdue, r.Report.Extended)
}

// Sign returns the report with the API's proof for the loan workflowID.
func (r ReportArgs) Sign(workflowID string, now time.Time) (ReportArgs, error) {
	var err error
	r.Signed, err = signFields(workflowID, UpdateReport, r.Actor, r.fields(), now)
	return r, err
}

// Verify checks the API's proof on the report (see Decision's proof).
func (r ReportArgs) Verify(workflowID string, now time.Time) error {
	return verifyFields(workflowID, UpdateReport, r.Actor, r.fields(), r.Signed, now)
}

// RepaidArgs is the lender's word that the loan was repaid early, on Date (the first day
// without interest: the last period ends there).
type RepaidArgs struct {
	Actor access.Principal `json:"actor"`
	Date  time.Time        `json:"date"`
	Signed
}

// Sign returns the repayment with the API's proof for the loan workflowID.
func (r RepaidArgs) Sign(workflowID string, now time.Time) (RepaidArgs, error) {
	var err error
	r.Signed, err = signFields(workflowID, UpdateRepaid, r.Actor, r.Date.UTC().Format(time.DateOnly), now)
	return r, err
}

// Verify checks the API's proof on the repayment.
func (r RepaidArgs) Verify(workflowID string, now time.Time) error {
	return verifyFields(workflowID, UpdateRepaid, r.Actor, r.Date.UTC().Format(time.DateOnly), r.Signed, now)
}

// StartLoan starts the workflow of a stored loan, refusing a second start.
func StartLoan(ctx context.Context, c client.Client, st LoanState) error {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    LoanWorkflowID(st.LoanID),
		TaskQueue:             TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, LoanWorkflowType, st)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return apperr.New(apperr.Conflict, "loan %s is already running", st.LoanID)
	}
	return err
}

// LoanUpdate sends the lender's report or repayment to a loan and returns its state once the
// workflow has taken it. The latest run is addressed, so an update sent while the loan
// continues as new reaches the new run.
func LoanUpdate(ctx context.Context, c client.Client, loanID, update string, arg any) (LoanState, error) {
	var err error
	id, now := LoanWorkflowID(loanID), time.Now()
	switch a := arg.(type) { // signed like every decision, so only the API can send them
	case ReportArgs:
		arg, err = a.Sign(id, now)
	case RepaidArgs:
		arg, err = a.Sign(id, now)
	}
	if err != nil {
		return LoanState{}, err
	}
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: LoanWorkflowID(loanID), UpdateName: update, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return LoanState{}, loanError(loanID, err)
	}
	var st LoanState
	if err := h.Get(ctx, &st); err != nil {
		return LoanState{}, loanError(loanID, err)
	}
	return st, nil
}

// loanError is decisionError with a loan's wording for a workflow that has ended.
func loanError(loanID string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return apperr.New(apperr.Conflict, "loan %s has ended and takes no more reports", loanID)
	}
	return decisionError(loanID, err)
}
