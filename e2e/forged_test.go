package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Security finding 1: a client talking straight to the Temporal frontend sent two approve
// Updates with invented supervisors and the claim was paid. Now the workflow refuses any
// decision the API did not sign, and nothing is paid or recorded.
func TestForgedUpdateStraightToTemporalIsRefused(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.CreditCode, "6222000011112020")
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "300000.00")) // 150000.00: four eyes
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)

	for _, ghost := range []string{"ghost-1", "ghost-2"} {
		h, err := e.Temporal.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{
			WorkflowID: contract.WorkflowID(id), UpdateName: contract.UpdateApprove,
			Args:         []any{contract.Decision{Actor: access.Principal{Subject: ghost, Role: access.FinanceSupervisor}}},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(context.Background(), nil)
		}
		require.Error(t, err, "an unsigned approval must be refused")
		require.Contains(t, err.Error(), "no proof")
	}
	c := e.Do(t, "GET", "/v1/claims/"+id, "auditor", nil)
	require.Equal(t, "pending_approval", c.JSON["status"])
	require.Empty(t, c.JSON["approvals"])
	requireLedger(t, e, prg, "150000.00", "0.00")
	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.NotContains(t, string(trace.Body), "ghost")

	// The same decisions through the API, by real people, are taken.
	decide(t, e, "officer", id, "approve", "", 200)
	decide(t, e, "supervisor", id, "approve", "", 200)
	e.WaitStatus(t, id, "paid", wait)
}
