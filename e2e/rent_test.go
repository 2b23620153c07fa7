package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// A rent waiver from filing to the fund: the administrator maintains the landlord and
// risk-area lists, the tenant files the lease, the landlord confirms, finance approves, and
// the waiver is charged to the fund without a bank payment (the landlord bears it). The
// ledger is checked to the fen after each step.
func TestRentWaiverConfirmedByTheLandlordIsRecordedAgainstTheFund(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	landlordCode := apptest.MustCode("11540100MB0000001")
	e.Token(t, "landlord", access.Principal{Subject: "landlord-zhou", Role: access.Landlord, CreditCode: landlordCode})
	e.Enterprise(t, e.CreditCode, "6222000011114444") // the tenant: small, in Chengguan 540102

	prg := e.RentProgram(t, "100000.00", map[string]any{})
	// The landlord is not listed yet: a claim now would be refused. The administrator adds
	// it and lists the premises' county as a risk area (6 months instead of 3).
	r := e.Do(t, "PATCH", "/v1/programs/"+prg+"/params", "officer", map[string]any{"landlords": []string{landlordCode}})
	require.Equal(t, 403, r.Status, "only administrators maintain the lists")
	r = e.Do(t, "PATCH", "/v1/programs/"+prg+"/params", "admin", map[string]any{"landlords": []string{"91540100MA6T00001X"}})
	require.Equal(t, 422, r.Status, "%s", r.Body)
	r = e.Do(t, "PATCH", "/v1/programs/"+prg+"/params", "admin",
		map[string]any{"landlords": []string{landlordCode}, "risk_counties": []string{"540102"}})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	params := r.JSON["params"].(map[string]any)
	require.Equal(t, []any{landlordCode}, params["landlords"])
	require.Equal(t, float64(6), params["risk_months"], "members not sent keep their values")

	bad := e.FileRent(t, "applicant", prg, map[string]any{"contract_no": "L-1"})
	require.Equal(t, 422, bad.Status, "%s", bad.Body)

	r = e.FileRent(t, "applicant", prg, apptest.Lease("ZL-2022-017", landlordCode, "3000.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	c := e.WaitStatus(t, id, "pending_landlord", wait)
	require.Equal(t, "18000.00", c.JSON["amount"], "3000.00 × 6 months (risk county), rounded once")
	requireLedger(t, e, prg, "18000.00", "0.00")

	// The landlord sees the claims on its leases, and only those.
	list := e.Do(t, "GET", "/v1/claims", "landlord", nil)
	require.Len(t, list.JSON["items"], 1)
	require.Equal(t, 404, e.Do(t, "GET", "/v1/claims/"+id, "other", nil).Status)

	decide(t, e, "officer", id, "approve", "", 409)
	decide(t, e, "applicant", id, "confirm", "", 403)
	missing := e.Do(t, "POST", "/v1/claims/"+id+"/confirm", "landlord", map[string]any{})
	require.Equal(t, 422, missing.Status, "%s", missing.Body)
	wrong := e.Do(t, "POST", "/v1/claims/"+id+"/confirm", "landlord", map[string]any{"mode": "cash"})
	require.Equal(t, 422, wrong.Status, "%s", wrong.Body)
	require.Contains(t, string(wrong.Body), `"field":"mode"`)
	ok := e.Do(t, "POST", "/v1/claims/"+id+"/confirm", "landlord", map[string]any{"mode": "offset"})
	require.Equal(t, 200, ok.Status, "%s", ok.Body)
	conf := ok.JSON["confirmation"].(map[string]any)
	require.Equal(t, "offset", conf["mode"])

	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "officer", id, "approve", "lease and waiver checked", 200)
	done := e.WaitStatus(t, id, "recorded", wait)
	require.Nil(t, done.JSON["payment"], "no bank payment: the landlord bears the waiver")
	requireLedger(t, e, prg, "0.00", "18000.00")

	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	for _, step := range []string{"claim.pending_confirmation", "claim.confirmed", "claim.recorded", "landlord-zhou"} {
		require.Contains(t, string(trace.Body), step)
	}
	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}

// A program that compensates landlords pays the landlord after approval; a lease already
// waived in another program is refused with the first claim's id; a dispute goes to
// finance with the landlord's reason and a rejection releases the money.
func TestRentWaiverCompensatedDisputedAndClaimedTwice(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	landlordCode := apptest.MustCode("11540100MB0000002")
	e.Token(t, "landlord", access.Principal{Subject: "landlord-wu", Role: access.Landlord, CreditCode: landlordCode})
	e.Enterprise(t, e.CreditCode, "6222000011115555")
	e.Enterprise(t, landlordCode, "6222000011116666") // the landlord is paid: it needs an account

	first := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}})
	second := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}, "compensate_landlord": true})

	r := e.FileRent(t, "applicant", first, apptest.Lease("ZL-7", landlordCode, "2500.50"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	held := r.JSON["id"].(string)
	c := e.WaitStatus(t, held, "pending_landlord", wait)
	require.Equal(t, "7501.50", c.JSON["amount"], "2500.50 × 3 months (not a risk county)")

	// The same lease in the compensating program: refused, naming the claim that holds it.
	r = e.FileRent(t, "applicant", second, apptest.Lease("zl-7 ", landlordCode, "2500.50"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	dup := e.WaitStatus(t, r.JSON["id"].(string), "rejected", wait)
	line := dup.JSON["lines"].([]any)[0].(map[string]any)
	require.Equal(t, "already_claimed", line["reason"])
	require.Equal(t, held, line["conflict"])
	requireLedger(t, e, second, "0.00", "0.00")

	// The landlord disputes the first claim; finance reads the reason and rejects.
	d := e.Do(t, "POST", "/v1/claims/"+held+"/dispute", "landlord", map[string]any{"note": "the lease was ended early in June"})
	require.Equal(t, 200, d.Status, "%s", d.Body)
	c = e.WaitStatus(t, held, "pending_approval", wait)
	conf := c.JSON["confirmation"].(map[string]any)
	require.Equal(t, true, conf["disputed"])
	require.Equal(t, "the lease was ended early in June", conf["reason"])
	decide(t, e, "officer", held, "reject", "lease ended early", 200)
	requireLedger(t, e, first, "0.00", "0.00")

	// Released, the lease can now be waived in the compensating program: paid to the landlord.
	r = e.FileRent(t, "applicant", second, apptest.Lease("ZL-7", landlordCode, "2500.50"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	paid := r.JSON["id"].(string)
	e.WaitStatus(t, paid, "pending_landlord", wait)
	confirm := e.Do(t, "POST", "/v1/claims/"+paid+"/confirm", "landlord", map[string]any{"mode": "refund"})
	require.Equal(t, 200, confirm.Status, "%s", confirm.Body)
	e.WaitStatus(t, paid, "pending_approval", wait)
	decide(t, e, "officer", paid, "approve", "", 200)
	done := e.WaitStatus(t, paid, "paid", wait)
	payment := done.JSON["payment"].(map[string]any)
	require.Equal(t, "****6666", payment["account_number"], "the landlord's account (masked once paid)")
	requireLedger(t, e, second, "0.00", "7501.50")
}

// A lease whose waiver no amount column can hold (an 18-digit rent times six months) ends
// rejected with a reason, instead of a write that fails and is retried for ever.
func TestAWaiverTooLargeToStoreIsRefusedNotWedged(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	landlordCode := apptest.MustCode("11540100MB0000009")
	e.Enterprise(t, e.CreditCode, "6222000011119090")
	prg := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}, "risk_counties": []string{"540102"}})
	r := e.FileRent(t, "applicant", prg, apptest.Lease("HUGE-1", landlordCode, "999999999999999999.99"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	c := e.WaitStatus(t, r.JSON["id"].(string), "rejected", wait)
	require.Equal(t, "amount_out_of_range", c.JSON["reason"], "%s", c.Body)
	requireLedger(t, e, prg, "0.00", "0.00")
}
