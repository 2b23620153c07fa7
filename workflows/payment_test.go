package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

func approved(env *testsuite.TestWorkflowEnvironment) {
	update(env, time.Hour, contract.UpdateApprove, decision(officer, ""))
}

func TestTransientBankErrorsAreRetried(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"transient", "transient", "ok"}
	res, _ := run(t, w, approved)
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, 3, w.payCalls)
	require.Len(t, w.paid, 1)
}

func TestAmbiguousOutcomeIsResolvedByStatusNotResent(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"ambiguous"}
	res, _ := run(t, w, approved)
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, 1, w.payCalls, "the retry found the payment at the bank and did not send it again")
	require.Len(t, w.paid, 1)
	require.Equal(t, "B-C1/pay/1", res.BankRef)
}

func TestPermanentFailureWaitsForAccountFix(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"permanent", "ok"}
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		approved(env)
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(contract.SignalBankAccount, nil) }, 3*24*time.Hour)
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.Reserved, claim.PendingApproval,
		claim.Approved, claim.Disbursing, claim.PaymentFailed, claim.Disbursing, claim.Paid}, w.statuses())
	require.Len(t, w.paid, 1)
	require.Contains(t, w.paid, "C1/pay/2", "the corrected account gets a payment under a new key")
	for _, c := range w.changes {
		if c.Status == claim.PaymentFailed {
			require.Equal(t, "ACCOUNT_CLOSED", c.Payment.FailureCode)
		}
	}
}

func TestPaymentFailedExpiresWithoutFix(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"permanent"}
	res, _ := run(t, w, approved)
	require.Equal(t, claim.Expired, res.Status)
	require.Equal(t, ReasonPaymentFailed, res.Reason)
	require.Equal(t, 1, w.released)
	require.Empty(t, w.paid)
}

func TestWithdrawAfterPaymentFailed(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"permanent"}
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		approved(env)
		update(env, 2*24*time.Hour, contract.UpdateWithdraw, decision(applicant, "account closed for good"))
	})
	require.Equal(t, claim.Withdrawn, res.Status)
	require.Equal(t, 1, w.released)
}

func TestNoWithdrawOnceApproved(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"transient", "transient", "transient", "ok"}
	var late *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		approved(env)
		late = update(env, time.Hour+time.Second, contract.UpdateWithdraw, decision(applicant, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, contract.ErrConflict, errType(t, late.err))
}

func TestAccountFixedWhileAttemptWasFailingRetriesAtOnce(t *testing.T) {
	w := newWorld("10.00")
	w.bankScript = []string{"permanent", "ok"}
	var start time.Time
	res, env := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		start = env.Now()
		approved(env)
		signalled := false
		env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
			if info.ActivityType.Name == "Pay" && !signalled {
				signalled = true // the applicant fixes the account while the doomed attempt is out
				env.SignalWorkflow(contract.SignalBankAccount, nil)
			}
		})
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Contains(t, w.paid, "C1/pay/2")
	require.Less(t, env.Now().Sub(start), 24*time.Hour, "no wait for a signal that already came")
}
