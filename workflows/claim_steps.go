package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
)

// a is used only to name activity methods; the worker registers a real instance.
var a *activities.Activities

// storeOptions are for activities that talk to our own PostgreSQL: retried without limit,
// because a database outage must delay a claim, never lose it.
var storeOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrTypeNotFound, activities.ErrTypeNotRegistered,
			activities.ErrTypeProgramGone, activities.ErrTypeKindMismatch, activities.ErrTypeUndecodable,
			activities.ErrTypeNotImplemented},
	},
}

// payOptions send a payment: transient bank errors and timeouts are retried with backoff
// (each attempt first asks the bank whether the key already arrived); a permanent refusal
// is not.
var payOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        5 * time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrTypeBankPermanent},
	},
}

// settleOptions poll the bank until an accepted payment settles. The activity fails with a
// retryable BankPending error while it waits, so polling adds nothing to the history.
var settleOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     1.5,
		MaximumInterval:        5 * time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrTypeBankPermanent},
	},
}

func (r *claimRun) exec(ctx workflow.Context, opts workflow.ActivityOptions, fn, arg, result any) error {
	f := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, arg)
	return f.Get(ctx, result)
}

func (r *claimRun) metaOf(actor access.Principal) activities.Meta {
	m := r.meta
	m.Actor = actor
	return m
}

// record takes a step of the claim's life as the workflow's own state and writes it to the
// read model and the audit log. The workflow's state changes first: the read model may show
// the new status the moment the write commits, and a decision sent on the strength of it
// must find the workflow already there, not one workflow task behind.
func (r *claimRun) record(ctx workflow.Context, status claim.Status, action string, actor access.Principal, edit func(*activities.Change)) error {
	r.step++
	prev := r.status
	r.status = status
	if workflow.GetVersion(ctx, versionDropOvertaken, workflow.DefaultVersion, 1) >= 1 {
		r.dropOvertaken()
	}
	// The workflow logger stays silent during replay, so each step is logged once.
	r.logger.Info("claim step", "Step", r.step, "Status", status, "Action", action, "Actor", actor.Subject)
	ch := activities.Change{ClaimID: r.in.ClaimID, Step: r.step, Status: status, Action: action, Meta: r.metaOf(actor)}
	if recovered(prev, status) {
		// Moving on from a side exit it recovered from, the claim no longer carries that
		// exit's reason (a paid claim does not say ACCOUNT_CLOSED).
		none := ""
		cleared := claim.Reason("")
		ch.Reason, ch.ReasonText = &cleared, &none
	}
	if edit != nil {
		edit(&ch)
	}
	return r.exec(ctx, storeOptions, a.Record, ch, nil)
}

// exit ends the claim in a final status other than paid. Whatever the claim held (budget,
// evidence) is released first, so a claim shown as ended never still holds money.
func (r *claimRun) exit(ctx workflow.Context, status claim.Status, actor access.Principal, reason claim.Reason, text string) error {
	ref := activities.ClaimRef{ClaimID: r.in.ClaimID, Meta: r.metaOf(actor)}
	// A disconnected context lets the release run even if the workflow is being cancelled.
	dctx, cancel := workflow.NewDisconnectedContext(ctx)
	defer cancel()
	if err := r.exec(dctx, storeOptions, a.Release, ref, nil); err != nil {
		return err
	}
	r.reason = reason
	return r.record(dctx, status, "claim."+string(status), actor, func(c *activities.Change) {
		if reason != "" {
			c.Reason, c.ReasonText = &reason, &text
		}
	})
}

// answer finishes a decision event after the main loop has acted on it. The update's caller
// gets the claim as the decision left it, even if the loop has moved on by the time the
// handler resumes. Answering twice keeps the first answer.
func (r *claimRun) answer(ev *event, err error) error {
	if !ev.done {
		ev.done, ev.err, ev.state = true, err, r.state()
	}
	return err
}

// recovered reports a step out of a side exit the claim came back from: an account fixed
// after a failed payment, information given after a request.
func recovered(prev, next claim.Status) bool {
	return (prev == claim.PaymentFailed || prev == claim.NeedsInfo) && next != prev && !next.Final()
}
