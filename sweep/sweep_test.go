package sweep_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/sweep"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A claim stored by an API request that died before starting its workflow is picked up by
// the sweep and runs like any other; a claim whose workflow runs is left alone; answered
// idempotency keys older than KeepKeys are forgotten.
func TestSweepStartsStalledClaimsAndForgetsOldKeys(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	prg := e.FreightProgram(t, "100000.00")
	e.Enterprise(t, e.CreditCode, "6222000011110001")
	running := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "100.00")).JSON["id"].(string)
	e.WaitStatus(t, running, "pending_approval", 2*time.Minute)

	payload, err := json.Marshal(freight.Payload{Shipments: []freight.Shipment{{
		Carrier: "Tibet Transport Co", WaybillNo: "WB-STALL", InvoiceNo: "INV-STALL",
		ShipDate: time.Date(2023, 5, 10, 0, 0, 0, 0, time.UTC), OriginRegion: "540102",
		DestinationRegion: "510100", ProductCategory: "highland-barley", Mode: freight.Road,
		Amount: decimal.RequireFromString("100.00")}}})
	require.NoError(t, err)
	id := "clm_stalled0000000000001"
	stalled := claim.Claim{ID: id, ProgramID: prg, Kind: program.Freight, CreditCode: e.CreditCode,
		SubmittedBy: "ent-1", Status: claim.Submitted, Requested: decimal.RequireFromString("100.00"),
		Payload: payload, WorkflowID: contract.WorkflowID(id)}
	applicant := access.Principal{Subject: "ent-1", Role: access.Applicant, CreditCode: e.CreditCode}
	require.NoError(t, e.Parts.Store.InsertClaim(ctx, stalled, store.Meta{Actor: applicant}))

	sw := sweep.Sweeper{Store: e.Parts.Store, Temporal: e.Temporal,
		Now: func() time.Time { return time.Now().Add(time.Hour) }} // every claim looks stalled-old
	require.NoError(t, sw.Once(ctx))
	e.WaitStatus(t, id, "pending_approval", 2*time.Minute)
	require.NoError(t, sw.Once(ctx), "sweeping again changes nothing")

	var keys int
	count := func() {
		require.NoError(t, e.Parts.Store.Pool().QueryRow(ctx, "SELECT count(*) FROM idempotency_keys").Scan(&keys))
	}
	count()
	require.Positive(t, keys, "the requests above left answered keys, kept for a day")
	sw.KeepKeys = time.Minute // an hour on, they are older than that
	require.NoError(t, sw.Once(ctx))
	count()
	require.Zero(t, keys)
}

// Every worker process runs a sweeper, so N of them find the same stalled claims at once.
// Each claim's workflow runs once: the server keeps one workflow per claim id, ever
// (REJECT_DUPLICATE), so the others' starts find the running one, and every claim runs.
func TestSweepersOfManyWorkersStartEachStalledClaimOnce(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	prg := e.FreightProgram(t, "100000.00")
	e.Enterprise(t, e.CreditCode, "6222000011110001")
	applicant := access.Principal{Subject: "ent-1", Role: access.Applicant, CreditCode: e.CreditCode}
	var ids []string
	for i := range 5 {
		payload, err := json.Marshal(freight.Payload{Shipments: []freight.Shipment{{
			Carrier: "Tibet Transport Co", WaybillNo: fmt.Sprintf("WB-MANY-%d", i), InvoiceNo: fmt.Sprintf("INV-MANY-%d", i),
			ShipDate: time.Date(2023, 5, 10, 0, 0, 0, 0, time.UTC), OriginRegion: "540102",
			DestinationRegion: "510100", ProductCategory: "highland-barley", Mode: freight.Road,
			Amount: decimal.RequireFromString("100.00")}}})
		require.NoError(t, err)
		id := fmt.Sprintf("clm_manysweepers0000000%d", i)
		require.NoError(t, e.Parts.Store.InsertClaim(ctx, claim.Claim{ID: id, ProgramID: prg, Kind: program.Freight,
			CreditCode: e.CreditCode, SubmittedBy: "ent-1", Status: claim.Submitted,
			Requested: decimal.RequireFromString("100.00"), Payload: payload, WorkflowID: contract.WorkflowID(id)},
			store.Meta{Actor: applicant}))
		ids = append(ids, id)
	}

	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sw := sweep.Sweeper{Store: e.Parts.Store, Temporal: e.Temporal,
				Now: func() time.Time { return time.Now().Add(time.Hour) }}
			assert.NoError(t, sw.Once(ctx))
		}()
	}
	wg.Wait()
	for _, id := range ids {
		e.WaitStatus(t, id, "pending_approval", 2*time.Minute)
		// The server's own record: one execution of the claim's workflow id, ever.
		runs, err := e.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowId = '%s'", contract.WorkflowID(id))})
		require.NoError(t, err)
		assert.Len(t, runs.GetExecutions(), 1, "runs of %s", id)
	}
}
