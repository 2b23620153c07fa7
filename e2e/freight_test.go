package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// wait is generous: CI runs these beside other packages on two cores.
const wait = 2 * time.Minute

// decide posts a decision and requires the given status code.
func decide(t *testing.T, e *apptest.Env, who, claimID, action, note string, want int) *apptest.Response {
	t.Helper()
	r := e.Do(t, "POST", "/v1/claims/"+claimID+"/"+action, who, map[string]any{"note": note})
	require.Equal(t, want, r.Status, "%s by %s: %s", action, who, r.Body)
	return r
}

func TestFreightClaimFromSubmissionToSettlement(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.CreditCode, "6222000011112222")

	r := e.FileFreight(t, "applicant", prg,
		apptest.Shipment(1, "1000.01"), apptest.Shipment(2, "2000.00"),
		func() map[string]any {
			s := apptest.Shipment(3, "500.00")
			s["mode"] = "air"
			s["destination_region"] = "540100"
			return s
		}())
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)

	c := e.WaitStatus(t, id, "pending_approval", wait)
	require.Equal(t, "1500.01", c.JSON["amount"], "round(3000.01 × 0.50) = 1500.005 → 1500.01, rounded once")

	decide(t, e, "officer", id, "approve", "waybills checked", 200)
	paid := e.WaitStatus(t, id, "paid", wait)
	require.NotEmpty(t, paid.JSON["payment"])

	prog := e.Do(t, "GET", "/v1/programs/"+prg, "auditor", nil)
	require.Equal(t, "1500.01", prog.JSON["committed"])
	require.Equal(t, "0.00", prog.JSON["reserved"])

	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Equal(t, 200, trace.Status, "%s", trace.Body)
	require.Contains(t, string(trace.Body), "destination_inside_region")
	require.Contains(t, string(trace.Body), "claim.paid")
	require.Contains(t, string(trace.Body), "payment.settled")

	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}

func TestFourEyesOverHTTP(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.CreditCode, "6222000011113333")
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "250000.00")) // subsidy 125000.00 ≥ 100000.00
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)

	decide(t, e, "applicant", id, "approve", "", 403)
	decide(t, e, "auditor", id, "approve", "", 403)
	decide(t, e, "officer", id, "approve", "", 200)
	decide(t, e, "officer", id, "approve", "", 403)
	decide(t, e, "officer2", id, "approve", "", 403)
	second := decide(t, e, "supervisor", id, "approve", "", 200)
	require.Contains(t, []any{"approved", "disbursing", "paid"}, second.JSON["status"])
	e.WaitStatus(t, id, "paid", wait)
}

func TestBudgetQueueIsFirstInFirstOut(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000.00")
	e.Enterprise(t, e.CreditCode, "6222000011114444")
	e.Enterprise(t, e.OtherCode, "6222000011115555")

	first := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "1600.00")) // 800.00
	id1 := first.JSON["id"].(string)
	e.WaitStatus(t, id1, "pending_approval", wait)
	second := e.FileFreight(t, "other", prg, apptest.Shipment(2, "1000.00")) // 500.00: does not fit
	id2 := second.JSON["id"].(string)
	e.WaitStatus(t, id2, "waiting_for_budget", wait)
	third := e.FileFreight(t, "applicant", prg, apptest.Shipment(3, "200.00")) // 100.00 fits but must queue
	id3 := third.JSON["id"].(string)
	e.WaitStatus(t, id3, "waiting_for_budget", wait)

	decide(t, e, "officer", id1, "reject", "duplicate of a paper claim", 200)
	e.WaitStatus(t, id2, "pending_approval", wait)
	e.WaitStatus(t, id3, "pending_approval", wait)

	prog := e.Do(t, "GET", "/v1/programs/"+prg, "admin", nil)
	require.Equal(t, "600.00", prog.JSON["reserved"])
}

func TestBudgetRaiseReleasesWaitingClaim(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "100.00")
	e.Enterprise(t, e.CreditCode, "6222000011116666")
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "1000.00"))
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "waiting_for_budget", wait)
	raise := e.Do(t, "POST", "/v1/programs/"+prg+"/budget", "admin", map[string]any{"amount": "1000.00"},
		"Idempotency-Key", apptest.Key())
	require.Equal(t, 200, raise.Status, "%s", raise.Body)
	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "applicant", id, "withdraw", "no longer needed", 200)
	e.WaitStatus(t, id, "withdrawn", wait)
	prog := e.Do(t, "GET", "/v1/programs/"+prg, "admin", nil)
	require.Equal(t, "0.00", prog.JSON["reserved"])
	require.Equal(t, "1100.00", prog.JSON["available"])
}
