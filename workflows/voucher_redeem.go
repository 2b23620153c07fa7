package workflows

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// redeem judges the purchase the holder records. A refused redemption answers the update
// with the line's reason and leaves the voucher issued, so the holder can redeem a correct
// purchase; an eligible one keeps only the subsidy S reserved and gives face value − S
// back to the budget at once. Only a failure of the run itself is returned.
func (v *voucherRun) redeem(ctx workflow.Context, ev *event) error {
	body, err := decodeRedemption(ev.d.Payload)
	if err != nil {
		v.answer(ev, invalid("the redemption cannot be read: %v", err))
		return nil
	}
	var out activities.AssessOutput
	in := activities.AssessInput{ClaimID: v.in.ClaimID, Snapshot: v.snap, Payload: ev.d.Payload}
	err = v.exec(ctx, storeOptions, a.Assess, in, &out)
	if _, text, ok := refusalOf(err, ReasonUnassessable); ok {
		v.answer(ev, invalid("%s", text))
		return nil
	}
	if err != nil {
		return v.answer(ev, err)
	}
	as := out.Assessment
	if !as.Eligible() {
		return v.refuseRedemption(ctx, ev, as)
	}
	s := as.Amount
	if err := v.exec(ctx, storeOptions, a.Shrink, activities.ShrinkInput{
		ClaimID: v.in.ClaimID, Amount: s, Meta: v.metaOf(ev.d.Actor)}, nil); err != nil {
		return v.answer(ev, err)
	}
	r := body.Redemption
	v.amount, v.redemption = s, &r
	v.payee = voucher.Payee(v.params, r, v.in.CreditCode)
	withPayee := v.bindPayee(out)
	return v.answer(ev, v.record(ctx, claim.Redeemed, "voucher.redeemed", ev.d.Actor, func(c *activities.Change) {
		c.Assessment, c.Amount = &as, &s
		c.Snapshot = withPayee
		c.Parties = []string{r.ProviderCreditCode}
		c.Payload = ev.d.Payload // the claim's line is the redemption: pages and traces show it
		// The redemption itself goes to the trail, so an auditor sees what was bought.
		c.Details = map[string]any{"payee": v.payee, "payee_kind": v.params.Payee,
			"released": money.Format(voucher.Released(v.params.FaceValue, s)), "redemption": r}
	}))
}

// decodeRedemption reads the redemption the update carries. Decoding a byte slice into a
// struct of fixed fields gives the same value on every replay; workflowcheck only sees the
// reflection caches of encoding/json, hence the ignore.
//
//workflowcheck:ignore
func decodeRedemption(b []byte) (voucher.Payload, error) {
	var body voucher.Payload
	err := json.Unmarshal(b, &body)
	return body, err
}

// refuseRedemption records the refusal for the trail and answers the holder with the
// reason: evidence another claim holds is a conflict naming that claim, anything else is
// invalid input. The voucher stays issued and keeps its face value.
func (v *voucherRun) refuseRedemption(ctx workflow.Context, ev *event, as claim.Assessment) error {
	reason, text, conflictWith := as.Reason, as.Text, ""
	if len(as.Lines) > 0 {
		conflictWith = as.Lines[0].Conflict
	}
	if err := v.record(ctx, claim.Issued, "voucher.redemption_refused", ev.d.Actor, func(c *activities.Change) {
		c.Details = map[string]any{"reason": reason, "text": text, "conflict": conflictWith}
	}); err != nil {
		return v.answer(ev, err)
	}
	msg := fmt.Sprintf("%s: %s", reason, text)
	if conflictWith != "" && !strings.Contains(text, conflictWith) {
		msg += fmt.Sprintf(" (claim %s holds its evidence)", conflictWith)
	}
	if conflictWith != "" && reason == voucher.ReasonAlreadyClaimed {
		v.answer(ev, conflict("%s", msg))
	} else {
		v.answer(ev, invalid("%s", msg))
	}
	return nil
}

// awaitDelivery waits for the holder or the provider to confirm that the service was
// delivered. When the deadline passes the voucher is escalated once and keeps waiting;
// from then on the program's finance officers may cancel it (and an administrator always).
func (v *voucherRun) awaitDelivery(ctx workflow.Context) error {
	deadline := voucher.DeliveryDeadline(workflow.Now(ctx), v.params)
	for v.status == claim.Redeemed {
		if !v.escalated {
			ok, err := v.awaitUntil(ctx, deadline)
			if err != nil {
				return err
			}
			if !ok {
				if err := v.deliveryOverdue(ctx); err != nil {
					return err
				}
				continue
			}
		} else if err := workflow.Await(ctx, v.hasEvent); err != nil {
			return err
		}
		ev := v.nextEvent()
		if ev == nil {
			continue
		}
		if ev.kind == contract.UpdateConfirmDelivery {
			return v.answer(ev, v.delivered(ctx, ev))
		}
		if err := v.answer(ev, v.cancelRedeemed(ctx, ev)); err != nil || ev.kind != contract.UpdateCancel {
			return err
		}
	}
	return nil
}

// awaitUntil waits for a decision until the instant given; ok is false when the instant
// came first (at once when it has already passed).
func (v *voucherRun) awaitUntil(ctx workflow.Context, at time.Time) (bool, error) {
	left := at.Sub(workflow.Now(ctx))
	if left <= 0 {
		return v.hasEvent(), nil
	}
	return workflow.AwaitWithTimeout(ctx, left, v.hasEvent)
}

// deliveryOverdue escalates the voucher to the program officer, once.
func (v *voucherRun) deliveryOverdue(ctx workflow.Context) error {
	v.escalated = true
	return v.record(ctx, claim.Redeemed, "voucher.delivery_overdue", access.System, func(c *activities.Change) {
		t := true
		c.Escalated = &t
		c.Details = map[string]any{"delivery_days": v.params.DeliveryDays}
	})
}

// delivered records the confirmation. The delivery escalation is settled by it, so the
// approval phase starts with its own, fresh escalation.
func (v *voucherRun) delivered(ctx workflow.Context, ev *event) error {
	wasEscalated := v.escalated
	v.escalated = false
	note := ev.d.Note
	return v.record(ctx, claim.Redeemed, "voucher.delivery_confirmed", ev.d.Actor, func(c *activities.Change) {
		if wasEscalated {
			f := false
			c.Escalated = &f
		}
		c.Details = map[string]any{"confirmed_by": string(ev.d.Actor.Role), "note": note,
			"confirmed_at": workflow.Now(ctx).Format(time.RFC3339)}
	})
}

// cancelRedeemed ends a redeemed voucher on a cancellation: S goes back to the budget
// and the evidence is freed.
func (v *voucherRun) cancelRedeemed(ctx workflow.Context, ev *event) error {
	if ev.kind != contract.UpdateCancel {
		return fmt.Errorf("decision %q reached the delivery wait", ev.kind)
	}
	reason := ReasonCancelled
	if ev.d.Actor.Role.IsFinance() {
		reason = ReasonDeliveryOverdue
	}
	return v.exit(ctx, claim.Cancelled, ev.d.Actor, reason, strings.TrimSpace(ev.d.Note))
}
