// Package workflows holds the durable processes of subsidyflow. ClaimWorkflow carries one
// claim of any program kind from submission to payment or to a side exit; the kind decides
// only how the claim is assessed (an activity), so the approval, budget and payment path is
// shared by all five programs.
package workflows

import (
	"errors"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Change ids for workflow.GetVersion: each names a change to the commands a running claim
// issues, so claims started before the change replay as they ran.
const (
	versionFixDuringAttempt = "account-fix-during-attempt"
	versionDropOvertaken    = "answer-overtaken-decisions"
)

// ClaimWorkflow runs one claim. Its id is contract.WorkflowID(claim id).
func ClaimWorkflow(ctx workflow.Context, in contract.Input) (contract.Result, error) {
	r := &claimRun{in: in, status: claim.Submitted}
	r.checkMore = r.checkConfirmation
	if err := r.setup(ctx); err != nil {
		return contract.Result{}, err
	}
	err := r.run(ctx)
	if temporal.IsCanceledError(err) && !r.ended() {
		// Cancelled from outside (the Temporal CLI or UI): the same cleanup as every other
		// exit, in a context the cancellation does not reach, then end as cancelled.
		if cerr := r.exit(ctx, claim.Cancelled, access.System, ReasonCancelled,
			"the claim's workflow was cancelled"); cerr != nil {
			err = cerr
		}
	}
	r.closeEvents()
	// Let update handlers that were already answered return before the run ends.
	_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	if err != nil {
		return contract.Result{}, err
	}
	return contract.Result{Status: r.status, Amount: r.amount, BankRef: r.bankRef, Reason: r.reason}, nil
}

// claimRun is the state of one claim workflow run.
type claimRun struct {
	in     contract.Input
	logger log.Logger
	meta   activities.Meta // workflow and run ids for the audit trail

	status  claim.Status
	step    int // last change written to the read model
	amount  decimal.Decimal
	cap     decimal.Decimal
	payee   string // credit code paid after approval; empty: the filing enterprise
	account string // the filer's account number the approvers saw; paid only to it
	// payeeAccount is the account of a payee other than the filer the approvers saw; empty
	// for claims assessed before such payees' accounts were bound.
	payeeAccount string
	snap         activities.Snapshot // what the claim is judged on, shown to the approvers
	noPayment    bool                // charged to the fund without a bank payment (ends recorded)
	confirm      *kind.Confirm       // a second party's confirmation the claim waits for first
	rules        program.Approval
	approvals    []claim.Approval
	escalated    bool
	reason       claim.Reason

	attempt int    // payment attempt; a new key only after a permanent failure
	payKey  string // idempotency key of the current payment
	bankRef string

	events []*event // human decisions waiting for the main loop
	// checkMore validates the decisions a kind's own phases register beyond the shared ones
	// (a landlord's confirmation, a voucher's redemption); nil when there are none.
	checkMore func(kind string, d contract.Decision) error
	// checkCancel validates a cancellation by anyone but an administrator, whom the shared
	// rules admit (a voucher's officer once its delivery is overdue); nil refuses them all.
	checkCancel  func(d contract.Decision) error
	budgetNudges int // budget-allocated signals received
	accountFixes int // bank-account-changed signals received
}

// setup registers the query, update and signal handlers before anything blocks.
func (r *claimRun) setup(ctx workflow.Context) error {
	info := workflow.GetInfo(ctx)
	r.meta = activities.Meta{WorkflowID: info.WorkflowExecution.ID, RunID: info.WorkflowExecution.RunID}
	r.logger = log.With(workflow.GetLogger(ctx), "ClaimID", r.in.ClaimID)
	if err := workflow.SetQueryHandler(ctx, contract.QueryState, func() (contract.State, error) {
		return r.state(), nil
	}); err != nil {
		return err
	}
	for _, kind := range []string{contract.UpdateApprove, contract.UpdateReject,
		contract.UpdateRequestInfo, contract.UpdateRespond, contract.UpdateWithdraw, contract.UpdateCancel,
		contract.UpdateConfirm, contract.UpdateDispute} {
		if err := r.registerUpdate(ctx, kind); err != nil {
			return err
		}
	}
	r.countSignals(ctx, contract.SignalBudget, &r.budgetNudges)
	r.countSignals(ctx, contract.SignalBankAccount, &r.accountFixes)
	return nil
}

// countSignals counts the signals of one name; the phases wait for the count to change.
func (r *claimRun) countSignals(ctx workflow.Context, name string, counter *int) {
	ch := workflow.GetSignalChannel(ctx, name)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			ch.Receive(ctx, nil)
			*counter++
		}
	})
}

// run is the claim's life, top to bottom. Each phase either moves the claim on or ends it
// in a final status; ended() tells which.
func (r *claimRun) run(ctx workflow.Context) error {
	snap, err := r.validate(ctx)
	if err != nil || r.ended() {
		return err
	}
	if err := r.assess(ctx, snap); err != nil || r.ended() {
		return err
	}
	if err := r.reserve(ctx); err != nil || r.ended() {
		return err
	}
	if r.confirm != nil {
		if err := r.awaitConfirmation(ctx); err != nil || r.ended() {
			return err
		}
	}
	return r.approveAndPay(ctx)
}

// approveAndPay takes the claim through finance's decision and the payment. A payment held
// back because the payee's account changed since it was approved goes back to finance.
func (r *claimRun) approveAndPay(ctx workflow.Context) error {
	for {
		if err := r.decide(ctx); err != nil || r.ended() {
			return err
		}
		if r.noPayment {
			return r.recordWithoutPayment(ctx)
		}
		err := r.pay(ctx)
		if !errors.Is(err, errAccountChanged) {
			return err
		}
	}
}

// payeeCode is the credit code the payment goes to.
func (r *claimRun) payeeCode() string {
	if r.payee != "" {
		return r.payee
	}
	return r.in.CreditCode
}

func (r *claimRun) ended() bool { return r.status.Final() }

func (r *claimRun) state() contract.State {
	return contract.State{
		ClaimID: r.in.ClaimID, Status: r.status, Amount: r.amount, Approvals: r.approvals,
		NeedsSecond: r.needsSecond(), Escalated: r.escalated, PaymentKey: r.payKey, Payee: r.payeeCode(),
		BankRef: r.bankRef, Step: r.step,
	}
}
