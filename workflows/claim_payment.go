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
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// requestInfo puts the claim on hold until the applicant answers, withdraws, finance
// rejects, or the answer is overdue (expired).
func (r *claimRun) requestInfo(ctx workflow.Context, ev *event) error {
	q := ev.d.Note
	if err := r.record(ctx, claim.NeedsInfo, "claim.needs_info", ev.d.Actor, func(c *activities.Change) {
		c.InfoRequest = &q
	}); err != nil {
		return err
	}
	r.answer(ev, nil) // the officer's request is done; the wait below is the applicant's
	ok, err := workflow.AwaitWithTimeout(ctx, time.Duration(r.rules.InfoDays)*day, r.hasEvent)
	if err != nil {
		return err
	}
	if !ok {
		return r.exit(ctx, claim.Expired, access.System, ReasonInfoExpired,
			fmt.Sprintf("the information asked for was not given within %d days", r.rules.InfoDays))
	}
	next := r.nextEvent()
	if next == nil {
		return r.requestInfoAgain(ctx, ev)
	}
	var result error
	switch next.kind {
	case contract.UpdateRespond:
		resp := next.d.Note
		result = r.record(ctx, claim.PendingApproval, "claim.info_provided", next.d.Actor, func(c *activities.Change) {
			c.InfoResponse = &resp
		})
	case contract.UpdateWithdraw, contract.UpdateCancel:
		result = r.sideExit(ctx, next)
	case contract.UpdateReject:
		result = r.exit(ctx, claim.Rejected, next.d.Actor, ReasonRejected, next.d.Note)
	default:
		result = fmt.Errorf("decision %q reached the needs-info wait", next.kind)
	}
	return r.answer(next, result)
}

// requestInfoAgain keeps waiting when the only event was overtaken by the state.
func (r *claimRun) requestInfoAgain(ctx workflow.Context, ev *event) error {
	if r.status != claim.NeedsInfo {
		return nil
	}
	return r.requestInfo(ctx, &event{kind: ev.kind, d: ev.d, done: true})
}

// pay sends the approved amount and waits for the bank to settle it. A permanent failure
// parks the claim in payment_failed until the applicant corrects the bank account (a new
// payment with a new key) or the fix is overdue.
func (r *claimRun) pay(ctx workflow.Context) error {
	// Money may be at the bank from the first send on: sending and settling run in a
	// context a cancellation does not reach, so a cancelled claim is still paid or failed
	// for good before it ends. Only the wait for an account fix can be cancelled.
	sctx, cancel := workflow.NewDisconnectedContext(ctx)
	defer cancel()
	for {
		r.attempt++
		r.payKey = fmt.Sprintf("%s/pay/%d", r.in.ClaimID, r.attempt)
		key, attempt := r.payKey, r.attempt
		if err := r.record(sctx, claim.Disbursing, "claim.disbursing", access.System, func(c *activities.Change) {
			c.Payment = &activities.Payment{Key: key, Attempt: attempt, State: "sending"}
		}); err != nil {
			return err
		}
		fixesAtSend := r.accountFixes
		receipt, failed, err := r.sendAndSettle(sctx)
		if changed, ok := accountChange(err); ok {
			return r.backToApproval(sctx, changed)
		}
		if err != nil {
			return err
		}
		if !failed {
			return r.settled(sctx, receipt)
		}
		if err := r.awaitAccountFix(ctx, receipt, fixesAtSend); err != nil || r.ended() {
			return err
		}
	}
}

// sendAndSettle sends the payment and polls until it settles; failed reports a permanent
// refusal by the bank.
func (r *claimRun) sendAndSettle(ctx workflow.Context) (activities.Payment, bool, error) {
	in := activities.PayInput{ClaimID: r.in.ClaimID, Key: r.payKey, CreditCode: r.payeeCode(),
		ApprovedAccount: r.approvedAccount(),
		Amount:          r.amount, Meta: r.metaOf(access.System)}
	var receipt activities.Payment
	err := r.exec(ctx, payOptions, a.Pay, in, &receipt)
	if err == nil && receipt.State != "settled" {
		err = r.exec(ctx, settleOptions, a.CheckPayment, in, &receipt)
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeBankPermanent {
		var details activities.Payment
		if appErr.HasDetails() {
			_ = appErr.Details(&details)
		}
		if details.Key == "" {
			details = activities.Payment{Key: r.payKey, Attempt: r.attempt, State: "failed", FailureText: appErr.Message()}
		}
		return details, true, nil
	}
	return receipt, false, err
}

// recordWithoutPayment charges an approved claim to the fund with no bank payment (a rent
// waiver the landlord bears): the money is committed, so budget and reports show it used,
// and the claim ends recorded.
func (r *claimRun) recordWithoutPayment(ctx workflow.Context) error {
	ref := activities.ClaimRef{ClaimID: r.in.ClaimID, Meta: r.metaOf(access.System)}
	if err := r.exec(ctx, storeOptions, a.Commit, ref, nil); err != nil {
		return err
	}
	return r.record(ctx, claim.Recorded, "claim.recorded", access.System, func(c *activities.Change) {
		c.Amount = &r.amount
		c.Details = map[string]any{"payment": "none: charged to the fund, borne by the payee"}
	})
}

func (r *claimRun) settled(ctx workflow.Context, receipt activities.Payment) error {
	ref := activities.ClaimRef{ClaimID: r.in.ClaimID, Meta: r.metaOf(access.System)}
	if err := r.exec(ctx, storeOptions, a.Commit, ref, nil); err != nil {
		return err
	}
	r.bankRef = receipt.BankRef
	receipt.Attempt = r.attempt
	return r.record(ctx, claim.Paid, "claim.paid", access.System, func(c *activities.Change) {
		c.Payment = &receipt
		c.Amount = &r.amount
	})
}

// awaitAccountFix parks the claim in payment_failed until the account is corrected.
// fixesAtSend is the count of account changes when the failed attempt was sent: a fix that
// arrived while the attempt was under way counts, so the claim retries at once.
func (r *claimRun) awaitAccountFix(ctx workflow.Context, receipt activities.Payment, fixesAtSend int) error {
	receipt.Attempt = r.attempt
	if err := r.record(ctx, claim.PaymentFailed, "claim.payment_failed", access.System, func(c *activities.Change) {
		c.Payment = &receipt
		reason, text := claim.Reason(receipt.FailureCode), receipt.FailureText
		c.Reason, c.ReasonText = &reason, &text
	}); err != nil {
		return err
	}
	fixes := r.accountFixes
	// Version 1: count fixes from the start of the attempt. Claims recorded before it keep
	// counting from the failure, as they did when they ran.
	if workflow.GetVersion(ctx, versionFixDuringAttempt, workflow.DefaultVersion, 1) >= 1 {
		fixes = fixesAtSend
	}
	ok, err := workflow.AwaitWithTimeout(ctx, time.Duration(r.rules.PaymentFixDays)*day, func() bool {
		return r.accountFixes != fixes || r.hasEvent()
	})
	if err != nil {
		return err
	}
	if !ok {
		return r.exit(ctx, claim.Expired, access.System, ReasonPaymentFailed,
			fmt.Sprintf("the bank account was not corrected within %d days", r.rules.PaymentFixDays))
	}
	if ev := r.nextEvent(); ev != nil { // only a withdrawal or a cancellation passes the validator here
		return r.answer(ev, r.sideExit(ctx, ev))
	}
	// The account was fixed: POLICIES.md sends the claim straight back to disbursing, so the
	// corrected account is paid without a new approval (a known gap, README "Security").
	r.account = ""
	return nil
}

// errAccountChanged ends a payment phase that sent nothing because the payee's account is
// no longer the one finance approved.
var errAccountChanged = errors.New("the payee's account changed after approval")

// approvedAccount is the account the payment must go to: the account of the payee finance
// saw on the claim, the filer's or another party's (a voucher's provider, a compensated
// landlord). Claims assessed before other parties' accounts were bound carry none for them
// and are paid to that party's account on record, as they were when they started.
func (r *claimRun) approvedAccount() string {
	if r.payeeCode() != r.in.CreditCode {
		return r.payeeAccount
	}
	return r.account
}

// bindPayee freezes the account of a payee other than the filer from the assessment and
// returns the snapshot the approvers are to see with it (nil when there is none to bind).
func (r *claimRun) bindPayee(out activities.AssessOutput) *activities.Snapshot {
	if out.PayeeRecord == nil {
		return nil
	}
	r.payeeAccount = out.PayeeRecord.Bank.AccountNumber
	r.snap.Payee = out.PayeeRecord
	snap := r.snap
	return &snap
}

// accountChange reports a payment held back because the account changed, with the account
// now on record.
func accountChange(err error) (activities.AccountChange, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != activities.ErrTypeAccountChanged {
		return activities.AccountChange{}, false
	}
	var ch activities.AccountChange
	if appErr.HasDetails() {
		_ = appErr.Details(&ch)
	}
	return ch, true
}

// backToApproval sends a claim whose payee account changed after approval back to finance:
// earlier approvals no longer count (four eyes again where the amount needs it), the new
// account is what they now see and what will be paid, and the trail says what changed.
func (r *claimRun) backToApproval(ctx workflow.Context, ch activities.AccountChange) error {
	r.approvals = nil
	r.payKey = ""
	// What the approvers now see is the account that will be paid. Changes recorded before
	// the whole account came with them (Bank empty) leave the snapshot as it was.
	var shown *activities.Snapshot
	if r.payeeCode() != r.in.CreditCode {
		r.payeeAccount = ch.Account
		if ch.Bank.AccountNumber != "" && r.snap.Payee != nil {
			r.snap.Payee.Bank = ch.Bank
			snap := r.snap
			shown = &snap
		}
	} else {
		r.account = ch.Account
		if ch.Bank.AccountNumber != "" && r.snap.Enterprise.CreditCode != "" {
			r.snap.Enterprise.Bank = ch.Bank
			snap := r.snap
			shown = &snap
		}
	}
	if err := r.record(ctx, claim.PendingApproval, "claim.payee_account_changed", access.System, func(c *activities.Change) {
		c.Approvals = []claim.Approval{}
		c.Snapshot = shown
		c.Details = map[string]any{"approved_account": pii.Mask(ch.Approved), "account_now": pii.Mask(ch.Account)}
	}); err != nil {
		return err
	}
	return errAccountChanged
}
