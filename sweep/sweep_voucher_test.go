package sweep_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/sweep"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A voucher stored by a request that died before starting its workflow is started with the
// voucher workflow, not the claim workflow, and is issued like any other.
func TestSweepStartsStalledVoucherWithItsOwnWorkflow(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	prg := e.VoucherProgram(t, "100000.00", "provider")
	e.Enterprise(t, e.CreditCode, "6222000011110002")

	id := "vch_stalled0000000000001"
	stalled := claim.Claim{ID: id, ProgramID: prg, Kind: program.Voucher, CreditCode: e.CreditCode,
		SubmittedBy: "ent-1", Status: claim.Submitted, Requested: decimal.RequireFromString("20000.00"),
		WorkflowID: contract.WorkflowID(id)}
	applicant := access.Principal{Subject: "ent-1", Role: access.Applicant, CreditCode: e.CreditCode}
	require.NoError(t, e.Parts.Store.InsertClaim(ctx, stalled, store.Meta{Actor: applicant}))

	sw := sweep.Sweeper{Store: e.Parts.Store, Temporal: e.Temporal,
		Now: func() time.Time { return time.Now().Add(time.Hour) }}
	require.NoError(t, sw.Once(ctx))
	e.WaitStatus(t, id, "issued", 2*time.Minute)
	d, err := e.Temporal.DescribeWorkflowExecution(ctx, "voucher/"+id, "")
	require.NoError(t, err)
	require.Equal(t, contract.VoucherWorkflowType, d.GetWorkflowExecutionInfo().GetType().GetName())
}
