package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// Security finding 2 over HTTP: the applicant changes its bank account after filing; the
// officer approves what the claim showed; nothing is paid to the new account until finance
// approves again, and then it is paid there once.
func TestAccountChangedBeforeApprovalIsApprovedAgainBeforePayment(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.CreditCode, "6222000011113030")
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "1000.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)

	r = e.Do(t, "PUT", "/v1/enterprises/"+e.CreditCode+"/bank-account", "applicant", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods", "account_number": "6222000011114040"})
	require.Equal(t, 200, r.Status, "%s", r.Body)

	decide(t, e, "officer", id, "approve", "waybills checked", 200)
	back := e.WaitStatus(t, id, "pending_approval", wait)
	require.Empty(t, back.JSON["approvals"], "the approval of the old account no longer counts")
	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Contains(t, string(trace.Body), "claim.payee_account_changed")
	require.Contains(t, string(trace.Body), "payment.withheld")

	decide(t, e, "officer2", id, "approve", "new account checked", 200)
	paid := e.WaitStatus(t, id, "paid", wait)
	require.Equal(t, "****4040", paid.JSON["payment"].(map[string]any)["account_number"])
	requireLedger(t, e, prg, "0.00", "500.00")
}
