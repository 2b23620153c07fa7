package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A claim cancelled by an administrator, or whose workflow is cancelled in Temporal, gives
// its money and its evidence back and ends cancelled; the trail names who cancelled.
func TestCancelledClaimsReleaseMoneyAndEvidence(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.CreditCode, "6222000011113333")

	byAdmin := fileOne(t, e, prg, 1, "2000.00")
	inTemporal := fileOne(t, e, prg, 2, "4000.00")
	e.WaitStatus(t, byAdmin, "pending_approval", wait)
	e.WaitStatus(t, inTemporal, "pending_approval", wait)
	requireLedger(t, e, prg, "3000.00", "0.00")

	decide(t, e, "officer", byAdmin, "cancel", "not mine to cancel", 403)
	decide(t, e, "admin", byAdmin, "cancel", "", 422)
	r := decide(t, e, "admin", byAdmin, "cancel", "filed under the wrong program", 200)
	require.Equal(t, "cancelled", r.JSON["status"], "%s", r.Body)
	requireLedger(t, e, prg, "2000.00", "0.00")

	require.NoError(t, e.Temporal.CancelWorkflow(context.Background(), contract.WorkflowID(inTemporal), ""))
	c := e.WaitStatus(t, inTemporal, "cancelled", wait)
	require.Equal(t, "cancelled", c.JSON["reason"], "%s", c.Body)
	requireLedger(t, e, prg, "0.00", "0.00")

	decide(t, e, "admin", byAdmin, "cancel", "again", 409)

	// The evidence is free again: the same waybills can back a new claim.
	again := fileOne(t, e, prg, 1, "2000.00")
	e.WaitStatus(t, again, "pending_approval", wait)

	trace := e.Do(t, "GET", "/v1/claims/"+byAdmin+"/trace", "auditor", nil)
	require.Contains(t, string(trace.Body), "claim.cancelled")
	require.Contains(t, string(trace.Body), "admin-1")
	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}

func fileOne(t *testing.T, e *apptest.Env, prg string, n int, amount string) string {
	t.Helper()
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(n, amount))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	return r.JSON["id"].(string)
}

// requireLedger checks the program's reserved and committed money to the fen.
func requireLedger(t *testing.T, e *apptest.Env, prg, reserved, committed string) {
	t.Helper()
	p := e.Do(t, "GET", "/v1/programs/"+prg, "auditor", nil)
	require.Equal(t, reserved, p.JSON["reserved"], "reserved")
	require.Equal(t, committed, p.JSON["committed"], "committed")
}
