package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

func TestVoucherIssuedRedeemedConfirmedByEnterpriseAndPaidToProvider(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	var redeem, confirm *updateCall
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		redeem = update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		confirm = update(env, 2*time.Hour, contract.UpdateConfirmDelivery, decision(applicant, "report received"))
		update(env, 3*time.Hour, contract.UpdateApprove, decision(officer, "invoice checked"))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, "15000.00", res.Amount.StringFixed(2))
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.Reserved, claim.Issued,
		claim.Redeemed, claim.Redeemed, claim.PendingApproval, claim.Approved, claim.Disbursing, claim.Paid}, w.statuses())

	require.NoError(t, redeem.err)
	require.Equal(t, claim.Redeemed, redeem.state.Status, "the update returns once the redemption is recorded")
	require.Equal(t, "15000.00", redeem.state.Amount.StringFixed(2))
	require.NoError(t, confirm.err)

	require.Equal(t, "20000.00", w.change(t, "claim.reserved").Amount.StringFixed(2), "issuing reserves the face value")
	require.Len(t, w.shrunk, 1)
	require.Equal(t, "15000.00", w.shrunk[0].StringFixed(2), "face value − S goes back at redemption")
	redeemed := w.change(t, "voucher.redeemed")
	require.Equal(t, []string{provider.CreditCode}, redeemed.Parties, "the provider joins the voucher")
	require.Equal(t, "5000.00", redeemed.Details["released"])
	require.Equal(t, []string{provider.CreditCode}, w.payees, "paid to the provider")
	require.Zero(t, w.released)
	require.Equal(t, 1, w.commits)
}

func TestVoucherPaidToEnterpriseWhenProgramSaysSo(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeEnterprise)
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		update(env, 2*time.Hour, contract.UpdateConfirmDelivery, decision(provider, "acceptance record AR-7"))
		update(env, 3*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	require.Equal(t, []string{applicant.CreditCode}, w.payees)
}

func TestVoucherDeliveryConfirmedByProviderNotByStrangers(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	otherProvider := access.Principal{Subject: "p2", Role: access.Provider, CreditCode: "91540000000000008X"}
	var stranger, wrongProvider, officerTry, byProvider *updateCall
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		stranger = update(env, 2*time.Hour, contract.UpdateConfirmDelivery, decision(other, ""))
		wrongProvider = update(env, 3*time.Hour, contract.UpdateConfirmDelivery, decision(otherProvider, ""))
		officerTry = update(env, 4*time.Hour, contract.UpdateConfirmDelivery, decision(officer, ""))
		byProvider = update(env, 5*time.Hour, contract.UpdateConfirmDelivery, decision(provider, "delivered"))
		update(env, 6*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, claim.Paid, res.Status)
	for _, c := range []*updateCall{stranger, wrongProvider, officerTry} {
		require.Equal(t, contract.ErrForbidden, errType(t, c.err))
	}
	require.NoError(t, byProvider.err)
	require.Equal(t, provider.Subject, w.change(t, "voucher.delivery_confirmed").Meta.Actor.Subject)
}

func TestVoucherRedemptionByOthersOrTwiceIsRefused(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	var byOther, byProvider, twice, returnAfter *updateCall
	runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byOther = update(env, time.Hour, contract.UpdateRedeem, redeemBy(other))
		byProvider = update(env, 2*time.Hour, contract.UpdateRedeem, redeemBy(provider))
		update(env, 3*time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		twice = update(env, 4*time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		returnAfter = update(env, 5*time.Hour, contract.UpdateReturn, decision(applicant, ""))
		update(env, 6*time.Hour, contract.UpdateConfirmDelivery, decision(applicant, ""))
		update(env, 7*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, contract.ErrForbidden, errType(t, byOther.err))
	require.Equal(t, contract.ErrForbidden, errType(t, byProvider.err))
	require.Equal(t, contract.ErrConflict, errType(t, twice.err))
	require.Equal(t, contract.ErrConflict, errType(t, returnAfter.err), "a redeemed voucher is no longer unused")
}

// A refused redemption answers with the reason and keeps the voucher issued with its face
// value; the holder then redeems a correct purchase.
func TestVoucherRefusedRedemptionKeepsItIssued(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	w.assessment = refusedRedemption(voucher.ReasonProviderNotListed, "")
	var refused, held, ok *updateCall
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		refused = update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		env.RegisterDelayedCallback(func() {
			w.setAssessment(refusedRedemption(voucher.ReasonAlreadyClaimed, "clm_first"))
		}, 90*time.Minute)
		held = update(env, 2*time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		env.RegisterDelayedCallback(func() { w.setAssessment(eligibleRedemption()) }, 150*time.Minute)
		ok = update(env, 3*time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		update(env, 4*time.Hour, contract.UpdateConfirmDelivery, decision(applicant, ""))
		update(env, 5*time.Hour, contract.UpdateApprove, decision(officer, ""))
	})
	require.Equal(t, contract.ErrInvalid, errType(t, refused.err))
	require.Contains(t, refused.err.Error(), string(voucher.ReasonProviderNotListed))
	require.Equal(t, contract.ErrConflict, errType(t, held.err))
	require.Contains(t, held.err.Error(), "clm_first", "the refusal names the claim holding the evidence")
	require.NoError(t, ok.err)
	require.Equal(t, claim.Paid, res.Status)
	require.Len(t, w.shrunk, 1, "only the eligible redemption shrinks the reservation")
}

func TestVoucherDeliveryOverdueEscalatesThenOfficerCancels(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	var early, byApplicant, noNote, late *updateCall
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		early = update(env, 2*time.Hour, contract.UpdateCancel, decision(officer, "no delivery yet"))
		byApplicant = update(env, 61*day, contract.UpdateCancel, decision(applicant, "changed my mind"))
		noNote = update(env, 62*day, contract.UpdateCancel, decision(officer, ""))
		late = update(env, 63*day, contract.UpdateCancel, decision(officer, "provider never delivered"))
	})
	require.Equal(t, claim.Cancelled, res.Status)
	require.Equal(t, contract.ErrConflict, errType(t, early.err), "finance cancels only once delivery is overdue")
	require.Equal(t, contract.ErrForbidden, errType(t, byApplicant.err))
	require.Equal(t, contract.ErrInvalid, errType(t, noNote.err))
	require.NoError(t, late.err)
	overdue := w.change(t, "voucher.delivery_overdue")
	require.True(t, *overdue.Escalated)
	require.Equal(t, 1, countActions(w.actions(), "voucher.delivery_overdue"), "escalated once")
	require.Equal(t, 1, w.released, "S goes back to the budget")
	require.Equal(t, ReasonDeliveryOverdue, *w.changes[len(w.changes)-1].Reason)
	require.Empty(t, w.paid)
}

func TestVoucherExpiresByTimerAndReleases(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	var started time.Time
	res, env := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) { started = env.Now() })
	require.Equal(t, claim.Expired, res.Status)
	require.Equal(t, ReasonVoucherExpired, res.Reason)
	require.Equal(t, 1, w.released)
	require.GreaterOrEqual(t, env.Now().Sub(started), 179*day, "not before the validity ends")
	require.Less(t, env.Now().Sub(started), 181*day)
}

func TestVoucherReturnedUnused(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	var byOther, returned *updateCall
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		byOther = update(env, time.Hour, contract.UpdateReturn, decision(other, ""))
		returned = update(env, 2*time.Hour, contract.UpdateReturn, decision(applicant, ""))
	})
	require.Equal(t, claim.Withdrawn, res.Status)
	require.Equal(t, ReasonReturnedUnused, res.Reason)
	require.Equal(t, contract.ErrForbidden, errType(t, byOther.err))
	require.NoError(t, returned.err)
	require.Equal(t, claim.Withdrawn, returned.state.Status)
	require.Equal(t, 1, w.released)
}

func TestVoucherApplicationRefused(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	w.judged.Reason, w.judged.Text = voucher.ReasonApplicantNotSME, "large"
	res, _ := runVoucher(t, w, nil)
	require.Equal(t, claim.Rejected, res.Status)
	require.Equal(t, voucher.ReasonApplicantNotSME, res.Reason)
	require.Zero(t, w.reserveCall, "nothing is reserved for a refused application")
}

func TestVoucherWaitsForBudgetBeforeIssue(t *testing.T) {
	w := newVoucherWorld(voucher.PayeeProvider)
	w.reserveSeq = []string{activities.OutcomeWaiting, activities.OutcomeReserved}
	res, _ := runVoucher(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(contract.SignalBudget, nil) }, time.Hour)
		update(env, 2*time.Hour, contract.UpdateReturn, decision(applicant, ""))
	})
	require.Equal(t, claim.Withdrawn, res.Status)
	require.Equal(t, []claim.Status{claim.Validated, claim.Calculated, claim.WaitingForBudget, claim.Reserved,
		claim.Issued, claim.Withdrawn}, w.statuses())
}

func TestVoucherWorkflowCancelledReleases(t *testing.T) {
	for name, script := range map[string]func(env *testsuite.TestWorkflowEnvironment){
		"while issued": nil,
		"after redeemed": func(env *testsuite.TestWorkflowEnvironment) {
			update(env, time.Hour, contract.UpdateRedeem, redeemBy(applicant))
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newVoucherWorld(voucher.PayeeProvider)
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			w.register(env)
			if script != nil {
				script(env)
			}
			env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Hour)
			env.ExecuteWorkflow(VoucherWorkflow, voucherInput())
			require.True(t, env.IsWorkflowCompleted())
			require.True(t, temporal.IsCanceledError(env.GetWorkflowError()), "%v", env.GetWorkflowError())
			require.Equal(t, 1, w.released)
			require.Equal(t, claim.Cancelled, last(w.statuses()))
		})
	}
}

func countActions(actions []string, action string) int {
	n := 0
	for _, a := range actions {
		if a == action {
			n++
		}
	}
	return n
}
