package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// run executes the claim workflow in the test environment and returns its result.
func run(t *testing.T, w *world, script func(env *testsuite.TestWorkflowEnvironment)) (contract.Result, *testsuite.TestWorkflowEnvironment) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	w.register(env)
	if script != nil {
		script(env)
	}
	env.ExecuteWorkflow(ClaimWorkflow, input())
	require.True(t, env.IsWorkflowCompleted(), "workflow did not complete")
	require.NoError(t, env.GetWorkflowError())
	var res contract.Result
	require.NoError(t, env.GetWorkflowResult(&res))
	return res, env
}

func TestApprovedBelowThresholdIsPaidOnce(t *testing.T) {
	w := newWorld("4000.00")
	var first *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		first = update(env, time.Hour, contract.UpdateApprove, decision(officer, "checked waybills"))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, "4000.00", res.Amount.StringFixed(2))
	require.NoError(t, first.err)
	require.Equal(t, claim.Approved, first.state.Status, "the update returns once approval is recorded")
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.Reserved, claim.PendingApproval,
		claim.Approved, claim.Disbursing, claim.Paid}, w.statuses())
	require.Len(t, w.paid, 1)
	require.Equal(t, 1, w.commits)
	require.Zero(t, w.released)
}

func TestFourEyesNeedsADifferentSupervisor(t *testing.T) {
	w := newWorld("100000.00") // exactly the threshold: four eyes
	var same, notSupervisor, second *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
		same = update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, ""))
		notSupervisor = update(env, 3*time.Hour, contract.UpdateApprove, decision(officer2, ""))
		second = update(env, 4*time.Hour, contract.UpdateApprove, decision(supervisor, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, contract.ErrForbidden, errType(t, same.err))
	require.Equal(t, contract.ErrForbidden, errType(t, notSupervisor.err))
	require.NoError(t, second.err)
	require.Contains(t, w.actions(), "claim.first_approval")
	require.Len(t, second.state.Approvals, 2)
}

func TestNobodyApprovesTheirOwnClaim(t *testing.T) {
	w := newWorld("10.00")
	in := input()
	var own *updateCall
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	w.register(env)
	self := officer
	in.SubmittedBy = self // an officer filing on behalf of an enterprise
	own = update(env, time.Hour, contract.UpdateApprove, decision(self, ""))
	update(env, 2*time.Hour, contract.UpdateApprove, decision(officer2, ""))
	env.ExecuteWorkflow(ClaimWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, contract.ErrForbidden, errType(t, own.err))
}

func TestOnlyFinanceApproves(t *testing.T) {
	w := newWorld("10.00")
	var byApplicant *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byApplicant = update(env, time.Hour, contract.UpdateApprove, decision(applicant, ""))
		update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, contract.ErrForbidden, errType(t, byApplicant.err))
}

func TestRejectReleasesTheReservation(t *testing.T) {
	w := newWorld("10.00")
	var noReason *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		noReason = update(env, time.Hour, contract.UpdateReject, decision(officer, ""))
		update(env, 2*time.Hour, contract.UpdateReject, decision(officer, "invoice does not match waybill"))
	})
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, ReasonRejected, res.Reason)
	require.Equal(t, contract.ErrInvalid, errType(t, noReason.err))
	require.Equal(t, 1, w.released)
	require.Empty(t, w.paid)
}

func TestWithdrawWhilePendingApproval(t *testing.T) {
	w := newWorld("10.00")
	var byOther *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byOther = update(env, time.Hour, contract.UpdateWithdraw, decision(other, ""))
		update(env, 2*time.Hour, contract.UpdateWithdraw, decision(applicant, "sold the goods locally"))
	})
	require.Equal(t, claim.Withdrawn, res.Status)
	require.Equal(t, contract.ErrForbidden, errType(t, byOther.err), "someone else's claim")
	require.Equal(t, 1, w.released)
}

func TestRequestInfoAnswered(t *testing.T) {
	w := newWorld("10.00")
	var respond, approveEarly *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRequestInfo, decision(officer, "send the signed delivery note"))
		approveEarly = update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, ""))
		respond = update(env, 3*24*time.Hour, contract.UpdateRespond, decision(applicant, "attached: note 17"))
		update(env, 4*24*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, contract.ErrConflict, errType(t, approveEarly.err), "no approval while information is missing")
	require.NoError(t, respond.err)
	require.Equal(t, claim.PendingApproval, respond.state.Status)
	require.Contains(t, w.statuses(), claim.NeedsInfo)
}

func TestRequestInfoExpires(t *testing.T) {
	w := newWorld("10.00")
	var late *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRequestInfo, decision(officer, "which truck?"))
		late = update(env, 16*24*time.Hour, contract.UpdateRespond, decision(applicant, "too late"))
	})
	require.Equal(t, claim.Expired, res.Status)
	require.Equal(t, ReasonInfoExpired, res.Reason)
	require.Equal(t, 1, w.released)
	require.False(t, late.done && late.err == nil, "an answer after expiry changes nothing")
}

func TestEscalationAfterDeadlineStaysApprovable(t *testing.T) {
	w := newWorld("10.00")
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, 6*24*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Contains(t, w.actions(), "claim.escalated")
	for _, c := range w.changes {
		if c.Action == "claim.escalated" {
			require.True(t, *c.Escalated)
			require.Equal(t, claim.PendingApproval, c.Status)
		}
	}
}

func TestNoEscalationBeforeDeadline(t *testing.T) {
	w := newWorld("10.00")
	run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, 4*24*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.NotContains(t, w.actions(), "claim.escalated")
}

func TestWaitsForBudgetThenProceeds(t *testing.T) {
	w := newWorld("10.00")
	w.reserveSeq = []string{activities.OutcomeWaiting, activities.OutcomeReserved}
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(contract.SignalBudget, nil) }, time.Hour)
		update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.WaitingForBudget, claim.Reserved,
		claim.PendingApproval, claim.Approved, claim.Disbursing, claim.Paid}, w.statuses())
}

func TestWithdrawWhileWaitingForBudget(t *testing.T) {
	w := newWorld("10.00")
	w.reserveSeq = []string{activities.OutcomeWaiting}
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateWithdraw, decision(applicant, ""))
	})
	require.Equal(t, claim.Withdrawn, res.Status)
	require.Equal(t, 1, w.released, "leaving the queue releases the claim's place")
}

func TestCapExhaustedIsRejected(t *testing.T) {
	w := newWorld("10.00")
	w.reserveSeq = []string{activities.OutcomeCapExhausted}
	res, _ := run(t, w, nil)
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, ReasonCapReached, res.Reason)
	require.Equal(t, 1, w.released)
}

func TestIneligibleClaimIsRejectedWithReason(t *testing.T) {
	w := newWorld("0")
	w.assessment.Reason, w.assessment.Text = "no_eligible_line", "every line refused"
	res, _ := run(t, w, nil)
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, claim.Reason("no_eligible_line"), res.Reason)
}

func TestUnknownEnterpriseIsRejected(t *testing.T) {
	w := newWorld("10.00")
	w.missing = true
	res, _ := run(t, w, nil)
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, ReasonNotRegistered, res.Reason)
}

func decision(p access.Principal, note string) contract.Decision {
	return contract.Decision{Actor: p, Note: note}
}

func TestRejectWhileWaitingForInformation(t *testing.T) {
	w := newWorld("10.00")
	var again *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRequestInfo, decision(officer, "which truck?"))
		again = update(env, 2*time.Hour, contract.UpdateRequestInfo, decision(officer2, "and which driver?"))
		update(env, 3*time.Hour, contract.UpdateReject, decision(officer, "no answer is coming"))
	})
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, contract.ErrConflict, errType(t, again.err), "one question at a time")
	require.Equal(t, 1, w.released)
}
