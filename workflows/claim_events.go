package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/plaintext"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// event is a human decision that passed its validator and waits for the main loop. The main
// loop is the only writer of the read model, so step numbers stay in order; the update
// handler returns once the loop has written the decision, so the caller sees it at once.
type event struct {
	kind  string
	d     contract.Decision
	done  bool
	err   error
	state contract.State // the claim right after the decision was recorded
}

// registerUpdate installs the handler and validator of one decision.
func (r *claimRun) registerUpdate(ctx workflow.Context, kind string) error {
	handler := func(ctx workflow.Context, d contract.Decision) (contract.State, error) {
		ev := &event{kind: kind, d: d}
		r.events = append(r.events, ev)
		if err := workflow.Await(ctx, func() bool { return ev.done }); err != nil {
			return contract.State{}, err
		}
		if ev.err != nil {
			return contract.State{}, ev.err
		}
		return ev.state, nil
	}
	validator := func(ctx workflow.Context, d contract.Decision) error {
		// Only decisions the API issued for an authenticated principal are taken, whoever
		// can reach the Temporal frontend. Validators do not run on replay.
		id := workflow.GetInfo(ctx).WorkflowExecution.ID
		if err := contract.Verify(id, kind, d, workflow.Now(ctx)); err != nil {
			return forbidden("%v", err)
		}
		return r.check(kind, d)
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, kind, handler,
		workflow.UpdateHandlerOptions{Validator: validator})
}

// hasEvent is a wait condition: a decision is waiting.
func (r *claimRun) hasEvent() bool { return len(r.events) > 0 }

// nextEvent takes the oldest waiting decision that is still allowed now; decisions that the
// state has overtaken since their validation are answered with the reason.
func (r *claimRun) nextEvent() *event {
	for len(r.events) > 0 {
		ev := r.events[0]
		r.events = r.events[1:]
		if err := r.check(ev.kind, ev.d); err != nil {
			ev.err, ev.done = err, true
			continue
		}
		return ev
	}
	return nil
}

// dropOvertaken answers, at once, the waiting decisions the claim's new status no longer
// allows (a withdrawal queued behind the approval that started the payment), so their
// callers are not kept waiting for a phase that will never take them.
func (r *claimRun) dropOvertaken() {
	kept := r.events[:0]
	for _, ev := range r.events {
		if err := r.check(ev.kind, ev.d); err != nil {
			ev.err, ev.done = err, true
			continue
		}
		kept = append(kept, ev)
	}
	r.events = kept
}

// closeEvents answers every decision still waiting when the run ends.
func (r *claimRun) closeEvents() {
	for _, ev := range r.events {
		ev.err = conflict("the claim is %s and takes no more decisions", r.status)
		ev.done = true
	}
	r.events = nil
}

// check is the validator of every decision: who may decide what, in which status.
func (r *claimRun) check(kind string, d contract.Decision) error {
	// Text the read model cannot store (a NUL) would make the step that writes it retry for
	// ever; refused here, it never enters history, whoever sent it.
	if err := plaintext.Check(d.Note, true); err != nil {
		return invalid("the note %v", err)
	}
	if err := plaintext.Check(d.Mode, false); err != nil {
		return invalid("the mode %v", err)
	}
	switch kind {
	case contract.UpdateApprove:
		return r.checkApprove(d.Actor)
	case contract.UpdateReject, contract.UpdateRequestInfo:
		if err := r.checkFinance(d.Actor); err != nil {
			return err
		}
		if d.Note == "" {
			return invalid("a %s needs a note saying why", kind)
		}
		if kind == contract.UpdateReject { // finance may give up waiting for an answer
			return r.expectStatus(kind, claim.PendingApproval, claim.NeedsInfo, claim.PendingLandlord)
		}
		return r.expectStatus(kind, claim.PendingApproval)
	case contract.UpdateRespond:
		if err := r.checkOwner(d.Actor); err != nil {
			return err
		}
		if d.Note == "" {
			return invalid("a response needs the information asked for")
		}
		return r.expectStatus(kind, claim.NeedsInfo)
	case contract.UpdateWithdraw:
		if err := r.checkOwner(d.Actor); err != nil {
			return err
		}
		if !r.status.Withdrawable() {
			return conflict("a %s claim cannot be withdrawn", r.status)
		}
		return nil
	case contract.UpdateCancel:
		if d.Actor.Role != access.Admin {
			if r.checkCancel != nil { // a kind may let others cancel in its own phases (a voucher's officer)
				return r.checkCancel(d)
			}
			return forbidden("only an administrator cancels claims")
		}
		if d.Note == "" {
			return invalid("a cancellation needs a note saying why")
		}
		if !r.status.Cancellable() {
			return conflict("a %s claim cannot be cancelled", r.status)
		}
		return nil
	}
	if r.checkMore != nil { // the decisions a kind's own phase takes (a landlord's, a voucher's)
		return r.checkMore(kind, d)
	}
	return invalid("unknown decision %q", kind)
}

func (r *claimRun) checkApprove(a access.Principal) error {
	if err := r.checkFinance(a); err != nil {
		return err
	}
	if err := r.expectStatus(contract.UpdateApprove, claim.PendingApproval); err != nil {
		return err
	}
	for _, ap := range r.approvals {
		if ap.Subject == a.Subject {
			return forbidden("four eyes: %s already approved this claim; a different person must give the second approval", a.Subject)
		}
	}
	if len(r.approvals) == 1 && a.Role != access.FinanceSupervisor {
		return forbidden("four eyes: the second approval of an amount of %s or more needs a finance supervisor", r.rules.FourEyesThreshold.StringFixed(2))
	}
	return nil
}

func (r *claimRun) checkFinance(a access.Principal) error {
	if !a.Role.IsFinance() {
		return forbidden("only finance officers and supervisors decide on payouts")
	}
	if a.Subject == r.in.SubmittedBy.Subject {
		return forbidden("nobody decides on a claim they submitted")
	}
	return nil
}

func (r *claimRun) checkOwner(a access.Principal) error {
	if !a.Role.Files() || a.CreditCode != r.in.CreditCode {
		return forbidden("only the enterprise that filed the claim may do this")
	}
	return nil
}

func (r *claimRun) expectStatus(kind string, allowed ...claim.Status) error {
	for _, s := range allowed {
		if r.status == s {
			return nil
		}
	}
	return conflict("cannot %s a claim that is %s", kind, r.status)
}

func forbidden(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), contract.ErrForbidden, nil)
}

func conflict(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), contract.ErrConflict, nil)
}

func invalid(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), contract.ErrInvalid, nil)
}
