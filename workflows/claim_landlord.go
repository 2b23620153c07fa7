package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// actionConfirmOverdue escalates a claim whose second party has not answered in time.
const actionConfirmOverdue = "claim.confirmation_overdue"

// awaitConfirmation holds a reserved claim until the party its kind names (a rent waiver's
// landlord) confirms it, choosing how it is applied, or disputes it with a reason. Either
// answer hands the claim to finance; a dispute is shown to finance with the reason. When
// the party has not answered within the kind's deadline the claim is escalated once and
// keeps waiting; meanwhile finance may reject it, the applicant withdraw it and an
// administrator cancel it.
func (r *claimRun) awaitConfirmation(ctx workflow.Context) error {
	c := r.confirm
	if err := r.record(ctx, claim.PendingLandlord, "claim.pending_confirmation", access.System, func(ch *activities.Change) {
		ch.Details = map[string]any{"party": c.Party, "role": c.Role, "days": c.Days}
	}); err != nil {
		return err
	}
	deadline := workflow.Now(ctx).Add(time.Duration(c.Days) * day)
	overdue := false
	for {
		if overdue {
			if err := workflow.Await(ctx, r.hasEvent); err != nil {
				return err
			}
		} else {
			ok, err := workflow.AwaitWithTimeout(ctx, deadline.Sub(workflow.Now(ctx)), r.hasEvent)
			if err != nil {
				return err
			}
			if !ok {
				overdue = true
				if err := r.recordOverdue(ctx); err != nil {
					return err
				}
				continue
			}
		}
		ev := r.nextEvent()
		if ev == nil {
			continue
		}
		return r.answer(ev, r.onConfirmation(ctx, ev))
	}
}

// recordOverdue escalates a claim whose party has not answered.
func (r *claimRun) recordOverdue(ctx workflow.Context) error {
	return r.record(ctx, claim.PendingLandlord, actionConfirmOverdue, access.System, func(ch *activities.Change) {
		t := true
		ch.Escalated = &t
		ch.Details = map[string]any{"party": r.confirm.Party, "days": r.confirm.Days}
	})
}

// onConfirmation acts on the one decision that ended the wait.
func (r *claimRun) onConfirmation(ctx workflow.Context, ev *event) error {
	switch ev.kind {
	case contract.UpdateConfirm, contract.UpdateDispute:
		answer := claim.Confirmation{Party: ev.d.Actor.CreditCode, Subject: ev.d.Actor.Subject,
			Disputed: ev.kind == contract.UpdateDispute, At: workflow.Now(ctx)}
		action := "claim.confirmed"
		if answer.Disputed {
			answer.Reason, action = ev.d.Note, "claim.disputed"
		} else {
			answer.Mode = ev.d.Mode
		}
		return r.record(ctx, claim.PendingLandlord, action, ev.d.Actor, func(ch *activities.Change) {
			ch.Confirmation = &answer
			ch.Details = map[string]any{"mode": answer.Mode, "disputed": answer.Disputed, "reason": answer.Reason,
				"note": ev.d.Note}
		})
	case contract.UpdateReject:
		return r.exit(ctx, claim.Rejected, ev.d.Actor, ReasonRejected, ev.d.Note)
	case contract.UpdateWithdraw, contract.UpdateCancel:
		return r.sideExit(ctx, ev)
	}
	return fmt.Errorf("decision %q reached the confirmation wait", ev.kind)
}

// checkConfirmation validates the second party's decisions: only the named party, only
// while the claim waits for it, with a mode the kind offers or a reason for a dispute.
func (r *claimRun) checkConfirmation(kind string, d contract.Decision) error {
	if kind != contract.UpdateConfirm && kind != contract.UpdateDispute {
		return invalid("unknown decision %q", kind)
	}
	c := r.confirm
	if c == nil {
		return conflict("this claim waits for nobody's confirmation")
	}
	if d.Actor.Role != c.Role || d.Actor.CreditCode != c.Party {
		return forbidden("only the %s %s named in the claim may answer it", c.Role, c.Party)
	}
	if err := r.expectStatus(kind, claim.PendingLandlord); err != nil {
		return err
	}
	if kind == contract.UpdateDispute {
		if d.Note == "" {
			return invalid("a dispute needs the reason")
		}
		return nil
	}
	if !slices.Contains(c.Modes, d.Mode) {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("must be one of %s", strings.Join(c.Modes, ", ")), contract.ErrInvalid, nil, "mode")
	}
	return nil
}
