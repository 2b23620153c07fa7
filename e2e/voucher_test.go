package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// redeem posts a redemption and requires the given status code.
func redeem(t *testing.T, e *apptest.Env, who, id string, body any, want int) *apptest.Response {
	t.Helper()
	r := e.Do(t, "POST", "/v1/vouchers/"+id+"/redeem", who, body)
	require.Equal(t, want, r.Status, "redeem by %s: %s", who, r.Body)
	return r
}

func programMoney(t *testing.T, e *apptest.Env, prg string) (reserved, committed string) {
	t.Helper()
	p := e.Do(t, "GET", "/v1/programs/"+prg, "auditor", nil)
	require.Equal(t, 200, p.Status, "%s", p.Body)
	return p.JSON["reserved"].(string), p.JSON["committed"].(string)
}

func TestVoucherFromApplicationToPaymentToProvider(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.VoucherProgram(t, "100000.00", "provider")
	e.Enterprise(t, e.CreditCode, "6222000011117777")
	e.Provider(t, "6222000033334444")

	applied := e.ApplyVoucher(t, "applicant", prg)
	require.Equal(t, 201, applied.Status, "%s", applied.Body)
	id := applied.JSON["id"].(string)
	require.Regexp(t, `^vch_[a-z2-7]{20}$`, id)
	e.WaitStatus(t, id, "issued", wait)
	reserved, _ := programMoney(t, e, prg)
	require.Equal(t, "20000.00", reserved, "issuing reserves the face value")

	again := e.ApplyVoucher(t, "applicant", prg)
	require.Equal(t, 409, again.Status, "%s", again.Body)
	require.Equal(t, id, again.JSON["voucher_id"], "one voucher per enterprise per program, naming the first")

	bad := apptest.Redemption("INV-V-1", "1.234")
	redeem(t, e, "applicant", id, bad, 422)
	redeem(t, e, "other", id, apptest.Redemption("INV-V-1", "30000.00"), 404)
	unpayable := apptest.Redemption("INV-V-1", "30000.00")
	unpayable["redemption"].(map[string]any)["provider_credit_code"] = e.OtherCode // not registered
	refused := redeem(t, e, "applicant", id, unpayable, 422)
	require.Contains(t, string(refused.Body), "redemption.provider_credit_code")

	r := redeem(t, e, "applicant", id, apptest.Redemption("INV-V-1", "30000.00"), 200)
	require.Equal(t, "redeemed", r.JSON["status"])
	require.Equal(t, "15000.00", r.JSON["amount"], "S = min(20000.00, 30000.00 × 0.50)")
	reserved, _ = programMoney(t, e, prg)
	require.Equal(t, "15000.00", reserved, "face value − S is released at once")

	list := e.Do(t, "GET", "/v1/claims", "provider", nil)
	require.Contains(t, string(list.Body), id, "the provider lists the vouchers it serves")
	decide(t, e, "provider", id, "approve", "", 403)
	confirm := e.Do(t, "POST", "/v1/vouchers/"+id+"/confirm-delivery", "provider", map[string]any{"note": "acceptance record AR-1"})
	require.Equal(t, 200, confirm.Status, "%s", confirm.Body)
	e.WaitStatus(t, id, "pending_approval", wait)

	decide(t, e, "officer", id, "approve", "invoice and acceptance record checked", 200)
	paid := e.WaitStatus(t, id, "paid", wait)
	payment := paid.JSON["payment"].(map[string]any)
	require.Equal(t, "****4444", payment["account_number"], "paid to the provider's account (masked once paid)")
	reserved, committed := programMoney(t, e, prg)
	require.Equal(t, "0.00", reserved)
	require.Equal(t, "15000.00", committed)

	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}

func TestVoucherRedemptionRefusesEvidenceHeldByAFreightClaim(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	freightPrg := e.FreightProgram(t, "100000.00")
	prg := e.VoucherProgram(t, "100000.00", "enterprise")
	e.Enterprise(t, e.CreditCode, "6222000011118888")

	fc := e.FileFreight(t, "applicant", freightPrg, apptest.Shipment(1, "400.00"))
	require.Equal(t, 201, fc.Status, "%s", fc.Body)
	freightID := fc.JSON["id"].(string)
	e.WaitStatus(t, freightID, "pending_approval", wait)

	wrongKind := e.ApplyVoucher(t, "applicant", freightPrg)
	require.Equal(t, 422, wrongKind.Status, "%s", wrongKind.Body)

	id := e.ApplyVoucher(t, "applicant", prg).JSON["id"].(string)
	e.WaitStatus(t, id, "issued", wait)
	held := redeem(t, e, "applicant", id, apptest.Redemption("INV-000001", "30000.00"), 409)
	require.Contains(t, string(held.Body), freightID, "refused with the first claim's id")
	notListed := apptest.Redemption("INV-V-2", "30000.00")
	notListed["redemption"].(map[string]any)["provider_credit_code"] = e.OtherCode
	refused := redeem(t, e, "applicant", id, notListed, 422)
	require.Contains(t, string(refused.Body), "provider_not_listed")
	e.WaitStatus(t, id, "issued", wait)

	ret := e.Do(t, "POST", "/v1/vouchers/"+id+"/return", "applicant", nil)
	require.Equal(t, 200, ret.Status, "%s", ret.Body)
	e.WaitStatus(t, id, "withdrawn", wait)
	reserved, _ := programMoney(t, e, prg)
	require.Equal(t, "0.00", reserved)
	again := e.ApplyVoucher(t, "applicant", prg)
	require.Equal(t, 201, again.Status, "a returned voucher does not count: %s", again.Body)
}
