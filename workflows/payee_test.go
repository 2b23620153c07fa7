package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/voucher"
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

// The same binding for a payee other than the filer: a compensated landlord's account is
// frozen with the assessment and shown to finance; changed after approval, nothing is sent,
// the approvers see the new account and must approve again, and only it is paid.
func TestLandlordAccountChangedAfterApprovalGoesBackToFinance(t *testing.T) {
	w := rentWorld(true)
	w.outcome.PayeeRecord = &enterprise.Enterprise{CreditCode: landlordCode, Name: "Lhasa State Assets",
		Bank: enterprise.BankAccount{BankName: "ICBC", AccountName: "Lhasa State Assets", AccountNumber: "6222000077770001"}}
	w.accountNow = "6222000077770002"
	var reapproved *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateConfirm, confirmAs(landlord, "refund"))
		update(env, 2*time.Hour, contract.UpdateApprove, decision(officer, "lease checked"))
		reapproved = update(env, 4*time.Hour, contract.UpdateApprove, decision(officer2, "new account checked"))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.NoError(t, reapproved.err)
	require.Equal(t, "6222000077770001", w.change(t, "claim.calculated").Snapshot.Payee.Bank.AccountNumber,
		"finance first sees the landlord's account as assessed")
	back := w.change(t, "claim.payee_account_changed")
	require.Equal(t, claim.PendingApproval, back.Status)
	require.Empty(t, back.Approvals, "the approval of the old account no longer counts")
	require.Equal(t, "6222000077770002", back.Snapshot.Payee.Bank.AccountNumber, "then the account that will be paid")
	require.Equal(t, []string{"6222000077770001", "6222000077770002"}, w.approvedTo)
	require.Equal(t, []string{landlordCode}, w.payees, "one payment, to the landlord")
}

// A voucher's provider is bound the same way.
func TestProviderAccountIsTheOneApproved(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	w.outcome.Payee = provider.CreditCode
	w.outcome.PayeeRecord = &enterprise.Enterprise{CreditCode: provider.CreditCode,
		Bank: enterprise.BankAccount{AccountNumber: "6222000055550001"}}
	w.accountNow = "6222000055550009"
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		update(env, 2*time.Hour, contract.UpdateConfirmDelivery, decision(applicant, "report received"))
		update(env, 3*time.Hour, contract.UpdateApprove, decision(officer, "invoice checked"))
		update(env, 5*time.Hour, contract.UpdateApprove, decision(officer2, "provider's new account checked"))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, "6222000055550001", w.change(t, "voucher.redeemed").Snapshot.Payee.Bank.AccountNumber)
	require.Equal(t, []string{"6222000055550001", "6222000055550009"}, w.approvedTo)
	require.Equal(t, "6222000055550009", w.change(t, "claim.payee_account_changed").Snapshot.Payee.Bank.AccountNumber)
	require.Equal(t, []string{provider.CreditCode}, w.world.payees, "one payment, to the provider")
}
