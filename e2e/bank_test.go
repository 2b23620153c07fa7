package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// paidOnce requires that the bank settled exactly one payment for the claim.
func paidOnce(t *testing.T, e *apptest.Env, claimID, amount string) {
	t.Helper()
	receipts, err := e.Parts.Bank.List(context.Background())
	require.NoError(t, err)
	n := 0
	for _, r := range receipts {
		if r.Reference == claimID && r.State != "failed" {
			n++
			require.Equal(t, amount, r.Amount.StringFixed(2))
		}
	}
	require.Equal(t, 1, n, "claim %s must be paid exactly once: %+v", claimID, receipts)
}

func fileAndApprove(t *testing.T, e *apptest.Env, account string) string {
	t.Helper()
	prg := e.FreightProgram(t, "100000.00")
	e.Enterprise(t, e.CreditCode, account)
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "300.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "officer", id, "approve", "", 200)
	return id
}

func TestAmbiguousBankTimeoutPaysOnce(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := fileAndApprove(t, e, "6222000099999999")
	e.WaitStatus(t, id, "paid", wait)
	paidOnce(t, e, id, "150.00")
	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Contains(t, string(trace.Body), "payment.outcome_unknown")
	require.Contains(t, string(trace.Body), "payment.status_checked")
}

func TestTransientBankErrorsAreRetried(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := fileAndApprove(t, e, "6222000088888888")
	e.WaitStatus(t, id, "paid", wait)
	paidOnce(t, e, id, "150.00")
}

func TestClosedAccountFailsUntilFixed(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := fileAndApprove(t, e, "6222000000000000")
	failed := e.WaitStatus(t, id, "payment_failed", wait)
	require.Equal(t, "ACCOUNT_CLOSED", failed.JSON["reason"])

	fix := e.Do(t, "PUT", "/v1/enterprises/"+e.CreditCode+"/bank-account", "applicant", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods", "account_number": "6222000011112345"})
	require.Equal(t, 200, fix.Status, "%s", fix.Body)
	paid := e.WaitStatus(t, id, "paid", wait)
	require.Nil(t, paid.JSON["reason"], "a paid claim no longer carries the failure's reason")
	require.Nil(t, paid.JSON["reason_text"])
	paidOnce(t, e, id, "150.00")
}
