package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Reasons a voucher ends without being paid, beyond the shared ones.
const (
	ReasonVoucherExpired  claim.Reason = "voucher_expired"
	ReasonReturnedUnused  claim.Reason = "returned_unused"
	ReasonDeliveryOverdue claim.Reason = "delivery_not_confirmed"
)

// VoucherWorkflow carries one service voucher (POLICIES.md, "1. Service vouchers"): judge
// the application, reserve the face value, issue, wait for a redemption (or a return, a
// cancellation, the expiry), keep only the subsidy, wait for the delivery to be confirmed,
// then the shared approval and payment. Its id is contract.WorkflowID(voucher id). The
// shared phases are claimRun's; the voucher adds its own phases and decisions around them.
func VoucherWorkflow(ctx workflow.Context, in contract.VoucherInput) (contract.Result, error) {
	v := &voucherRun{claimRun: &claimRun{in: in.ClaimInput(), status: claim.Submitted}}
	v.checkMore, v.checkCancel = v.check, v.checkOfficerCancel
	if err := v.setup(ctx); err != nil {
		return contract.Result{}, err
	}
	err := v.run(ctx)
	if temporal.IsCanceledError(err) && !v.ended() {
		// Cancelled from outside: released like every other exit, then ended as cancelled.
		if cerr := v.exit(ctx, claim.Cancelled, access.System, ReasonCancelled,
			"the voucher's workflow was cancelled"); cerr != nil {
			err = cerr
		}
	}
	v.closeEvents()
	_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	if err != nil {
		return contract.Result{}, err
	}
	return contract.Result{Status: v.status, Amount: v.amount, BankRef: v.bankRef, Reason: v.reason}, nil
}

// voucherRun is a claim run plus what only a voucher knows.
type voucherRun struct {
	*claimRun
	params     voucher.Params
	expiresAt  time.Time           // the first instant the voucher can no longer be redeemed
	redemption *voucher.Redemption // set once redeemed
}

// setup registers the shared decisions, then the voucher's own, before anything blocks.
func (v *voucherRun) setup(ctx workflow.Context) error {
	if err := v.claimRun.setup(ctx); err != nil {
		return err
	}
	for _, kind := range []string{contract.UpdateRedeem, contract.UpdateConfirmDelivery, contract.UpdateReturn} {
		if err := v.registerUpdate(ctx, kind); err != nil {
			return err
		}
	}
	return nil
}

// run is the voucher's life, top to bottom; each phase moves it on or ends it.
func (v *voucherRun) run(ctx workflow.Context) error {
	if _, err := v.validate(ctx); err != nil || v.ended() {
		return err
	}
	for _, phase := range []func(workflow.Context) error{
		v.judge, v.reserve, v.issue, v.awaitRedemption, v.awaitDelivery,
	} {
		if err := phase(ctx); err != nil || v.ended() {
			return err
		}
	}
	return v.approveAndPay(ctx)
}

// judge decides whether the enterprise may hold a voucher of the program; the voucher
// then asks for its face value, with no cap beyond it.
func (v *voucherRun) judge(ctx workflow.Context) error {
	var out activities.JudgeOutput
	err := v.exec(ctx, storeOptions, a.JudgeApplication, activities.JudgeInput{Snapshot: v.snap}, &out)
	if reason, text, ok := refusalOf(err, ReasonUnassessable); ok {
		return v.exit(ctx, claim.Rejected, access.System, reason, text)
	}
	if err != nil {
		return err
	}
	if out.Reason != "" {
		return v.exit(ctx, claim.Rejected, access.System, out.Reason, out.Text)
	}
	v.params, v.amount, v.cap = out.Params, out.Params.FaceValue, out.Cap
	return v.record(ctx, claim.Calculated, "voucher.application_judged", access.System, func(c *activities.Change) {
		c.Amount = &out.Params.FaceValue
		c.Details = map[string]any{"text": out.Text, "face_value": money.Format(out.Params.FaceValue)}
	})
}

// issue records the voucher as issued once its face value is held. The validity runs from
// the day of issue, not of application: a voucher that waited for budget loses no days.
func (v *voucherRun) issue(ctx workflow.Context) error {
	v.expiresAt = voucher.ExpiresAt(workflow.Now(ctx), v.params)
	return v.record(ctx, claim.Issued, "voucher.issued", access.System, func(c *activities.Change) {
		c.Details = map[string]any{"expires_at": v.expiresAt.Format(time.RFC3339),
			"valid_days": v.params.ValidDays, "face_value": money.Format(v.params.FaceValue)}
	})
}

// awaitRedemption waits for the holder to redeem or return the voucher, for a withdrawal
// or an administrator's cancellation, or for the expiry timer.
func (v *voucherRun) awaitRedemption(ctx workflow.Context) error {
	for v.status == claim.Issued {
		ok, err := v.awaitUntil(ctx, v.expiresAt)
		if err != nil {
			return err
		}
		if !ok {
			return v.exit(ctx, claim.Expired, access.System, ReasonVoucherExpired, fmt.Sprintf(
				"the voucher was not redeemed within %d days; it expired at %s",
				v.params.ValidDays, v.expiresAt.Format(time.RFC3339)))
		}
		if err := v.onIssuedDecision(ctx); err != nil {
			return err
		}
	}
	return nil
}

// onIssuedDecision acts on the next decision taken while the voucher is issued.
func (v *voucherRun) onIssuedDecision(ctx workflow.Context) error {
	ev := v.nextEvent()
	if ev == nil {
		return nil
	}
	switch ev.kind {
	case contract.UpdateRedeem:
		return v.redeem(ctx, ev) // answers the update itself: a refusal is not the run's error
	case contract.UpdateReturn:
		return v.answer(ev, v.exit(ctx, claim.Withdrawn, ev.d.Actor, ReasonReturnedUnused,
			orText(ev.d.Note, "the holder returned the voucher unused")))
	case contract.UpdateWithdraw, contract.UpdateCancel:
		return v.answer(ev, v.sideExit(ctx, ev))
	}
	return v.answer(ev, fmt.Errorf("decision %q reached the issued voucher", ev.kind))
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
