package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

var admin = access.Principal{Subject: "admin-zhang", Role: access.Admin}

// runCancelled executes the workflow, cancels it from outside after delay, and returns the
// environment once it has ended.
func runCancelled(t *testing.T, w *world, delay time.Duration, script func(env *testsuite.TestWorkflowEnvironment)) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	w.register(env)
	if script != nil {
		script(env)
	}
	env.RegisterDelayedCallback(env.CancelWorkflow, delay)
	env.ExecuteWorkflow(ClaimWorkflow, input())
	require.True(t, env.IsWorkflowCompleted())
	return env
}

func TestCancelledWhilePendingApprovalReleasesAndEndsCancelled(t *testing.T) {
	w := newWorld("2500.00")
	env := runCancelled(t, w, time.Hour, nil)
	require.True(t, temporal.IsCanceledError(env.GetWorkflowError()), "the run ends as cancelled: %v", env.GetWorkflowError())
	require.Equal(t, 1, w.released, "money and evidence are released")
	require.Equal(t, claim.Cancelled, last(w.statuses()))
	require.Equal(t, ReasonCancelled, *w.changes[len(w.changes)-1].Reason)
	require.Empty(t, w.paid)
}

func TestCancelledWhileWaitingForBudgetLeavesTheQueue(t *testing.T) {
	w := newWorld("2500.00")
	w.reserveSeq = []string{activities.OutcomeWaiting}
	runCancelled(t, w, 2*time.Hour, nil)
	require.Equal(t, 1, w.released)
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.WaitingForBudget, claim.Cancelled}, w.statuses())
}

func TestCancelledWhilePaymentFailedReleases(t *testing.T) {
	w := newWorld("2500.00")
	w.bankScript = []string{"permanent"}
	runCancelled(t, w, 3*day, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, 1, w.released)
	require.Equal(t, claim.Cancelled, last(w.statuses()))
	require.Zero(t, w.commits)
}

// A cancellation that arrives while money is at the bank does not abandon the payment: it
// settles, is committed, and the claim ends paid, never released.
func TestCancelledWhileDisbursingStillSettles(t *testing.T) {
	w := newWorld("2500.00")
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	w.register(env)
	update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == "Pay" {
			env.CancelWorkflow()
		}
	})
	env.ExecuteWorkflow(ClaimWorkflow, input())
	require.True(t, env.IsWorkflowCompleted())
	require.Equal(t, claim.Paid, last(w.statuses()))
	require.Equal(t, 1, w.commits)
	require.Zero(t, w.released)
}

func TestAdministratorCancelsWithANote(t *testing.T) {
	w := newWorld("2500.00")
	var byOfficer, noNote, byAdmin *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byOfficer = update(env, time.Hour, contract.UpdateCancel, decision(officer, "duplicate"))
		noNote = update(env, 2*time.Hour, contract.UpdateCancel, decision(admin, ""))
		byAdmin = update(env, 3*time.Hour, contract.UpdateCancel, decision(admin, "filed under the wrong program"))
	})
	require.Equal(t, claim.Cancelled, res.Status)
	require.Equal(t, contract.ErrForbidden, errType(t, byOfficer.err))
	require.Equal(t, contract.ErrInvalid, errType(t, noNote.err))
	require.NoError(t, byAdmin.err)
	require.Equal(t, claim.Cancelled, byAdmin.state.Status)
	require.Equal(t, 1, w.released)
	ch := w.changes[len(w.changes)-1]
	require.Equal(t, admin.Subject, ch.Meta.Actor.Subject, "the trail names the administrator")
}

func TestNoCancelOnceApproved(t *testing.T) {
	w := newWorld("2500.00")
	var late *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
		env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
			if info.ActivityType.Name == "Pay" && late == nil {
				late = &updateCall{}
				env.UpdateWorkflow(contract.UpdateCancel, "late-cancel", &testsuite.TestUpdateCallback{
					OnReject: func(err error) { late.err, late.done = err, true }, OnAccept: func() {},
					OnComplete: func(_ any, err error) { late.err, late.done = err, true },
				}, signed(env, contract.UpdateCancel, decision(admin, "too late")))
			}
		})
	})
	require.Equal(t, claim.Paid, res.Status)
	require.NotNil(t, late)
	require.Equal(t, contract.ErrConflict, errType(t, late.err))
}

func last(s []claim.Status) claim.Status {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}
