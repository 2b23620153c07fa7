package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Reasons the workflow itself gives for ending a claim.
const (
	ReasonNotRegistered claim.Reason = "not_registered"
	ReasonCapReached                 = contract.ReasonCapReached
	ReasonRejected      claim.Reason = "rejected_by_finance"
	ReasonInfoExpired   claim.Reason = "info_not_provided"
	ReasonPaymentFailed claim.Reason = "payment_not_fixed"
	ReasonWithdrawn     claim.Reason = "withdrawn_by_applicant"
	ReasonCancelled     claim.Reason = "cancelled"
	ReasonUnassessable  claim.Reason = "cannot_be_assessed"
	ReasonProgramGone   claim.Reason = "program_not_found"
	ReasonKindMismatch  claim.Reason = "kind_mismatch"
	ReasonNotAvailable  claim.Reason = "kind_not_implemented"
)

// refusals maps the activities' non-retryable refusals to the reason a claim is rejected
// with. NotFound is the one type older runs recorded for all of them.
var refusals = map[string]claim.Reason{
	activities.ErrTypeNotRegistered:  ReasonNotRegistered,
	activities.ErrTypeProgramGone:    ReasonProgramGone,
	activities.ErrTypeKindMismatch:   ReasonKindMismatch,
	activities.ErrTypeUndecodable:    ReasonUnassessable,
	activities.ErrTypeNotImplemented: ReasonNotAvailable,
}

// refusalOf reports the reason of an activity's refusal; legacy is the reason the single
// NotFound type meant at that step.
func refusalOf(err error, legacy claim.Reason) (claim.Reason, string, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return "", "", false
	}
	if appErr.Type() == activities.ErrTypeNotFound {
		return legacy, appErr.Message(), true
	}
	reason, ok := refusals[appErr.Type()]
	return reason, appErr.Message(), ok
}

// budgetPoll is how often a waiting claim re-asks the ledger even without a signal, in case
// a signal was lost between a release and its delivery.
const budgetPoll = 6 * time.Hour

const day = 24 * time.Hour

// validate freezes the enterprise and program the claim will be judged on.
func (r *claimRun) validate(ctx workflow.Context) (activities.Snapshot, error) {
	var snap activities.Snapshot
	err := r.exec(ctx, storeOptions, a.Snapshot, r.in, &snap)
	if reason, text, ok := refusalOf(err, ReasonNotRegistered); ok {
		return snap, r.exit(ctx, claim.Rejected, access.System, reason, text)
	}
	if err != nil {
		return snap, err
	}
	r.rules = snap.Program.Approval
	r.account = snap.Enterprise.Bank.AccountNumber // frozen with the claim: what finance sees
	r.snap = snap
	return snap, r.record(ctx, claim.Validated, "claim.validated", access.System, func(c *activities.Change) {
		c.Snapshot = &snap
	})
}

// assess judges every line and calculates the amount, then reserves nothing yet.
func (r *claimRun) assess(ctx workflow.Context, snap activities.Snapshot) error {
	var out activities.AssessOutput
	in := activities.AssessInput{ClaimID: r.in.ClaimID, Snapshot: snap, Payload: r.in.Payload}
	err := r.exec(ctx, storeOptions, a.Assess, in, &out)
	if reason, text, ok := refusalOf(err, ReasonUnassessable); ok {
		// The claim cannot be judged (its payload does not fit the program's rules, or the
		// kind has no rules): a decision, not a crash.
		return r.exit(ctx, claim.Rejected, access.System, reason, text)
	}
	if err != nil {
		return err
	}
	r.amount, r.cap = out.Assessment.Amount, out.Cap
	r.payee, r.noPayment, r.confirm = out.Payee, out.NoPayment, out.Confirm
	withPayee := r.bindPayee(out)
	as := out.Assessment
	if err := r.record(ctx, claim.Calculated, "claim.calculated", access.System, func(c *activities.Change) {
		c.Assessment, c.Amount = &as, &as.Amount
		c.Snapshot = withPayee
		if out.Payee != "" || out.NoPayment {
			c.Details = map[string]any{"payee": r.payeeCode(), "no_payment": out.NoPayment}
		}
	}); err != nil {
		return err
	}
	if !as.Eligible() {
		reason, text := as.Reason, as.Text
		if reason == "" {
			reason, text = "no_eligible_line", "no line of the claim is eligible"
		}
		return r.exit(ctx, claim.Rejected, access.System, reason, text)
	}
	return nil
}

// reserve holds the claim's money, waiting in the program's FIFO queue when the budget
// cannot cover it. The applicant may withdraw while waiting.
func (r *claimRun) reserve(ctx workflow.Context) error {
	waiting := false
	for {
		in := activities.ReserveInput{ClaimID: r.in.ClaimID, ProgramID: r.in.ProgramID,
			CreditCode: r.in.CreditCode, Requested: r.amount, Cap: r.cap, Meta: r.metaOf(access.System)}
		var out activities.ReserveOutcome
		if err := r.exec(ctx, storeOptions, a.Reserve, in, &out); err != nil {
			return err
		}
		switch out.Outcome {
		case activities.OutcomeCapExhausted:
			return r.exit(ctx, claim.Rejected, access.System, ReasonCapReached, contract.ReasonCapReachedText)
		case activities.OutcomeReserved:
			r.amount = out.Amount
			return r.record(ctx, claim.Reserved, "claim.reserved", access.System, func(c *activities.Change) {
				c.Amount = &out.Amount
				c.Details = map[string]any{"capped": out.Capped}
			})
		}
		if !waiting {
			waiting = true
			if err := r.record(ctx, claim.WaitingForBudget, "claim.waiting_for_budget", access.System, func(c *activities.Change) {
				c.Details = map[string]any{"position": out.Position}
			}); err != nil {
				return err
			}
		}
		nudges := r.budgetNudges
		if _, err := workflow.AwaitWithTimeout(ctx, budgetPoll, func() bool {
			return r.budgetNudges != nudges || r.hasEvent()
		}); err != nil {
			return err
		}
		if ev := r.nextEvent(); ev != nil { // only a withdrawal or a cancellation passes the validator here
			return r.answer(ev, r.sideExit(ctx, ev))
		}
	}
}

// sideExit ends the claim on a withdrawal or an administrator's cancellation, the two
// decisions every waiting phase takes.
func (r *claimRun) sideExit(ctx workflow.Context, ev *event) error {
	if ev.kind == contract.UpdateCancel {
		return r.exit(ctx, claim.Cancelled, ev.d.Actor, ReasonCancelled, ev.d.Note)
	}
	if ev.kind == contract.UpdateWithdraw {
		return r.exit(ctx, claim.Withdrawn, ev.d.Actor, ReasonWithdrawn, ev.d.Note)
	}
	return fmt.Errorf("decision %q reached a phase that only ends claims", ev.kind)
}

// needsSecond reports whether the amount needs a supervisor's second approval.
func (r *claimRun) needsSecond() bool {
	return r.amount.GreaterThanOrEqual(r.rules.FourEyesThreshold)
}

// decide waits for finance: approval (one or two), rejection, a request for information, or
// the applicant's withdrawal. A claim left waiting past the deadline is escalated once.
func (r *claimRun) decide(ctx workflow.Context) error {
	if err := r.record(ctx, claim.PendingApproval, "claim.pending_approval", access.System, nil); err != nil {
		return err
	}
	deadline := workflow.Now(ctx).Add(time.Duration(r.rules.DeadlineDays) * day)
	for {
		if err := r.awaitDecision(ctx, deadline); err != nil {
			return err
		}
		ev := r.nextEvent()
		if ev == nil {
			continue
		}
		done, err := r.onDecision(ctx, ev)
		if err := r.answer(ev, err); err != nil {
			return err
		}
		if done || r.ended() {
			return nil
		}
		if ev.kind == contract.UpdateRequestInfo { // answered: the deadline starts again
			deadline = workflow.Now(ctx).Add(time.Duration(r.rules.DeadlineDays) * day)
		}
	}
}

// awaitDecision waits for a decision, escalating when the deadline passes first.
func (r *claimRun) awaitDecision(ctx workflow.Context, deadline time.Time) error {
	if r.escalated {
		return workflow.Await(ctx, r.hasEvent)
	}
	ok, err := workflow.AwaitWithTimeout(ctx, deadline.Sub(workflow.Now(ctx)), r.hasEvent)
	if err != nil || ok {
		return err
	}
	r.escalated = true
	return r.record(ctx, claim.PendingApproval, "claim.escalated", access.System, func(c *activities.Change) {
		t := true
		c.Escalated = &t
		c.Details = map[string]any{"deadline_days": r.rules.DeadlineDays}
	})
}

// onDecision acts on one decision; done means the claim is approved for payment.
func (r *claimRun) onDecision(ctx workflow.Context, ev *event) (bool, error) {
	switch ev.kind {
	case contract.UpdateApprove:
		return r.approve(ctx, ev.d)
	case contract.UpdateReject:
		return false, r.exit(ctx, claim.Rejected, ev.d.Actor, ReasonRejected, ev.d.Note)
	case contract.UpdateWithdraw, contract.UpdateCancel:
		return false, r.sideExit(ctx, ev)
	case contract.UpdateRequestInfo:
		return false, r.requestInfo(ctx, ev)
	}
	return false, fmt.Errorf("decision %q reached the approval loop", ev.kind)
}

func (r *claimRun) approve(ctx workflow.Context, d contract.Decision) (bool, error) {
	ap := claim.Approval{Subject: d.Actor.Subject, Role: string(d.Actor.Role), At: workflow.Now(ctx), Note: d.Note}
	approvals := append(append([]claim.Approval{}, r.approvals...), ap)
	complete := len(approvals) >= 2 || !r.needsSecond()
	status, action := claim.PendingApproval, "claim.first_approval"
	if complete {
		status, action = claim.Approved, "claim.approved"
	}
	r.approvals = approvals // like the status: the workflow's state first, then the write
	err := r.record(ctx, status, action, d.Actor, func(c *activities.Change) { c.Approvals = approvals })
	return complete, err
}
