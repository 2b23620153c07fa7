package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

const landlordCode = "11540100MB0000000X"

var (
	landlord      = access.Principal{Subject: "landlord-zhou", Role: access.Landlord, CreditCode: landlordCode}
	otherLandlord = access.Principal{Subject: "landlord-wu", Role: access.Landlord, CreditCode: "11540100MB0000001X"}
)

// rentWorld is a rent waiver of 9000.00 waiting for its landlord, who is paid only when the
// program compensates landlords.
func rentWorld(compensate bool) *world {
	w := newWorld("9000.00")
	w.outcome.Confirm = &kind.Confirm{Party: landlordCode, Role: access.Landlord, Days: 15, Modes: []string{"offset", "refund"}}
	w.outcome.NoPayment = !compensate
	if compensate {
		w.outcome.Payee = landlordCode
	}
	return w
}

func confirmAs(p access.Principal, mode string) contract.Decision {
	return contract.Decision{Actor: p, Mode: mode}
}

func TestLandlordConfirmsOffsetAndTheWaiverIsRecordedWithoutPayment(t *testing.T) {
	w := rentWorld(false)
	var byTenant, byOther, badMode, ok *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byTenant = update(env, time.Hour, contract.UpdateConfirm, confirmAs(applicant, "offset"))
		byOther = update(env, 2*time.Hour, contract.UpdateConfirm, confirmAs(otherLandlord, "offset"))
		badMode = update(env, 3*time.Hour, contract.UpdateConfirm, confirmAs(landlord, "cash"))
		ok = update(env, 4*time.Hour, contract.UpdateConfirm, confirmAs(landlord, "offset"))
		update(env, 5*time.Hour, contract.UpdateApprove, decision(officer, "lease checked"))
	})
	require.Equal(t, claim.Recorded, res.Status)
	require.Equal(t, contract.ErrForbidden, errType(t, byTenant.err))
	require.Equal(t, contract.ErrForbidden, errType(t, byOther.err))
	require.Equal(t, contract.ErrInvalid, errType(t, badMode.err))
	require.NoError(t, ok.err)
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.Reserved, claim.PendingLandlord,
		claim.PendingLandlord, claim.PendingApproval, claim.Approved, claim.Recorded}, w.statuses())
	require.Contains(t, w.actions(), "claim.confirmed")
	require.Equal(t, 1, w.commits, "the waiver is charged to the fund")
	require.Empty(t, w.paid, "no bank payment: the landlord bears the waiver")
	c := w.changes[4].Confirmation
	require.Equal(t, "offset", c.Mode)
	require.Equal(t, landlordCode, c.Party)
}

func TestLandlordConfirmsRefundAndIsPaidWhenCompensated(t *testing.T) {
	w := rentWorld(true)
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateConfirm, confirmAs(landlord, "refund"))
		update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, []string{landlordCode}, w.payees, "the fund pays the landlord")
	require.Equal(t, 1, w.commits)
}

func TestDisputeReturnsTheClaimToFinanceWithTheReason(t *testing.T) {
	w := rentWorld(false)
	var noReason *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		noReason = update(env, time.Hour, contract.UpdateDispute, decision(landlord, ""))
		update(env, 2*time.Hour, contract.UpdateDispute, decision(landlord, "the lease ended in March"))
		update(env, 3*time.Hour, contract.UpdateReject, decision(officer, "landlord's records show the lease ended"))
	})
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, contract.ErrInvalid, errType(t, noReason.err))
	require.Contains(t, w.actions(), "claim.disputed")
	require.Equal(t, claim.PendingApproval, w.statuses()[5], "the dispute hands the claim to finance")
	c := w.changes[4].Confirmation
	require.True(t, c.Disputed)
	require.Equal(t, "the lease ended in March", c.Reason)
	require.Equal(t, 1, w.released)
}

func TestDisputedClaimMayStillBeApprovedByFinance(t *testing.T) {
	w := rentWorld(false)
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateDispute, decision(landlord, "rent was 2800, not 3000"))
		update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, "contract shows 3000"))
	})
	require.Equal(t, claim.Recorded, res.Status)
}

func TestUnconfirmedClaimIsEscalatedAndStillWaits(t *testing.T) {
	w := rentWorld(false)
	var late *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		late = update(env, 20*day, contract.UpdateConfirm, confirmAs(landlord, "refund"))
		update(env, 21*day, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Recorded, res.Status)
	require.NoError(t, late.err, "a late confirmation is still taken")
	actions := w.actions()
	require.Contains(t, actions, actionConfirmOverdue)
	require.Less(t, indexOf(actions, actionConfirmOverdue), indexOf(actions, "claim.confirmed"))
}

func TestNoEscalationBeforeTheConfirmationDeadline(t *testing.T) {
	w := rentWorld(false)
	run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, 14*day, contract.UpdateConfirm, confirmAs(landlord, "offset"))
		update(env, 15*day, contract.UpdateApprove, decision(officer, ""))
	})
	require.NotContains(t, w.actions(), actionConfirmOverdue)
}

func TestFinanceRejectsWhileWaitingForTheLandlord(t *testing.T) {
	w := rentWorld(false)
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, 16*day, contract.UpdateReject, decision(officer, "landlord unreachable"))
	})
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, 1, w.released)
}

func TestRentWaiverCancelledWhileWaitingForTheLandlord(t *testing.T) {
	w := rentWorld(false)
	runCancelled(t, w, 2*day, nil)
	require.Equal(t, 1, w.released)
	require.Equal(t, claim.Cancelled, last(w.statuses()))
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
