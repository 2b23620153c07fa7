package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
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

// The payee binding for a party other than the filer: a compensated landlord's account is
// frozen with the claim and shown to finance; the landlord's account changes before the
// officer approves, so nothing is sent, the claim is back with finance showing the new
// account, and once approved again that account is paid, once.
func TestLandlordAccountChangedIsApprovedAgainBeforePayment(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	landlordCode := apptest.MustCode("11540100MB0000003")
	e.Token(t, "landlord", access.Principal{Subject: "landlord-li", Role: access.Landlord, CreditCode: landlordCode})
	e.Enterprise(t, e.CreditCode, "6222000011115555")
	e.Enterprise(t, landlordCode, "6222000011117001")
	prg := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}, "compensate_landlord": true})

	r := e.FileRent(t, "applicant", prg, apptest.Lease("ZL-9", landlordCode, "1000.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_landlord", wait)
	require.Equal(t, 200, e.Do(t, "POST", "/v1/claims/"+id+"/confirm", "landlord", map[string]any{"mode": "refund"}).Status)
	e.WaitStatus(t, id, "pending_approval", wait)
	require.Equal(t, "6222000011117001", payeeAccount(t, e, id), "finance sees the landlord's account with the claim")

	r = e.Do(t, "PUT", "/v1/enterprises/"+landlordCode+"/bank-account", "admin", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Lhasa Landlord", "account_number": "6222000011117002"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	decide(t, e, "officer", id, "approve", "lease checked", 200)
	back := e.WaitStatus(t, id, "pending_approval", wait)
	require.Empty(t, back.JSON["approvals"], "the approval of the old account no longer counts")
	require.Equal(t, "6222000011117002", payeeAccount(t, e, id), "the approvers now see the account that will be paid")

	decide(t, e, "officer2", id, "approve", "new account checked with the landlord", 200)
	paid := e.WaitStatus(t, id, "paid", wait)
	require.Equal(t, "****7002", paid.JSON["payment"].(map[string]any)["account_number"], "paid, masked to the auditor")
	requireLedger(t, e, prg, "0.00", "3000.00")
}

// payeeAccount is the payee's account number in the claim's snapshot, as its trace shows it.
func payeeAccount(t *testing.T, e *apptest.Env, id string) string {
	t.Helper()
	tr := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "officer", nil)
	require.Equal(t, 200, tr.Status, "%s", tr.Body)
	snap, _ := tr.JSON["snapshot"].(map[string]any)
	payee, _ := snap["payee"].(map[string]any)
	acct, _ := payee["bank_account"].(map[string]any)
	require.NotNil(t, acct, "no payee in the snapshot: %s", tr.Body)
	return acct["account_number"].(string)
}
