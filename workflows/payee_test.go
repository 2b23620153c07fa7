package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Security finding 2: the approver saw one account and the money went to another. Now a
// payment to an account other than the one approved is not sent: the claim goes back to
// finance, the approvals no longer count (four eyes again), and it is paid only once the
// new account is approved.
func TestAccountChangedAfterApprovalGoesBackToFinance(t *testing.T) {
	w := newWorld("150000.00") // four eyes
	w.account, w.accountNow = "6222000011111111", "6222000099990000"
	var reapproved *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
		update(env, 2*time.Hour, contract.UpdateApprove, decision(supervisor, ""))
		env.RegisterDelayedCallback(func() { w.account = w.accountNow }, 3*time.Hour) // the new account, now approved
		update(env, 4*time.Hour, contract.UpdateApprove, decision(officer2, "new account verified by phone"))
		reapproved = update(env, 5*time.Hour, contract.UpdateApprove, decision(supervisor, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.NoError(t, reapproved.err)
	require.Contains(t, w.actions(), "claim.payee_account_changed")
	require.Len(t, w.paid, 1, "one payment, after the second round of approvals")
	require.Equal(t, 2, countOf(w.actions(), "claim.approved"))
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
