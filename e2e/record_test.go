package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// TestRecordHistories runs claims down the main paths on the real server and saves their
// histories to workflows/testdata, where the replay test checks that the workflow code
// still produces them. Files of earlier workflow versions are kept as they were recorded:
// claims of every version may still be running. Run it with RECORD_HISTORIES=1 after an intended workflow change
// that is guarded by workflow.GetVersion — never to paper over a non-determinism error.
func TestRecordHistories(t *testing.T) {
	tag := os.Getenv("RECORD_HISTORIES")
	if tag == "" {
		t.Skip("set RECORD_HISTORIES=v<N> to record workflow histories into workflows/testdata as <name>_v<N>.json")
	}
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "300000.00")
	e.Enterprise(t, e.CreditCode, "6222000099999999") // ambiguous first attempt
	e.Enterprise(t, e.OtherCode, "6222000000000000")  // closed account

	paid := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "400.00"), apptest.Shipment(2, "10.01")).JSON["id"].(string)
	e.WaitStatus(t, paid, "pending_approval", wait)
	decide(t, e, "officer", paid, "request-info", "send the delivery note", 200)
	decide(t, e, "applicant", paid, "respond", "delivery note DN-17 attached", 200)
	decide(t, e, "officer", paid, "approve", "", 200)
	e.WaitStatus(t, paid, "paid", wait)

	fourEyes := e.FileFreight(t, "applicant", prg, apptest.Shipment(3, "220000.00")).JSON["id"].(string)
	e.WaitStatus(t, fourEyes, "pending_approval", wait)
	decide(t, e, "officer", fourEyes, "approve", "", 200)
	decide(t, e, "supervisor", fourEyes, "approve", "", 200)
	e.WaitStatus(t, fourEyes, "paid", wait)

	fixed := e.FileFreight(t, "other", prg, apptest.Shipment(4, "600.00")).JSON["id"].(string)
	e.WaitStatus(t, fixed, "pending_approval", wait)
	decide(t, e, "officer", fixed, "approve", "", 200)
	e.WaitStatus(t, fixed, "payment_failed", wait)
	r := e.Do(t, "PUT", "/v1/enterprises/"+e.OtherCode+"/bank-account", "other", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Other Foods", "account_number": "6222000011119999"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	e.WaitStatus(t, fixed, "paid", wait)

	waiting := e.FileFreight(t, "applicant", prg, apptest.Shipment(5, "700000.00")).JSON["id"].(string)
	e.WaitStatus(t, waiting, "waiting_for_budget", wait)
	decide(t, e, "applicant", waiting, "withdraw", "", 200)
	e.WaitStatus(t, waiting, "withdrawn", wait)

	refused := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "400.00")).JSON["id"].(string)
	e.WaitStatus(t, refused, "rejected", wait)

	for name, id := range map[string]string{"paid_after_info": paid, "four_eyes": fourEyes,
		"payment_failed_then_fixed": fixed, "withdrawn_while_waiting": waiting, "rejected_duplicate": refused} {
		save(t, e, id, filepath.Join("..", "workflows", "testdata", name+"_"+tag+".json"))
	}
}

func save(t *testing.T, e *apptest.Env, claimID, path string) {
	t.Helper()
	ctx := context.Background()
	it := e.Temporal.GetWorkflowHistory(ctx, contract.WorkflowID(claimID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, raw, 0o644))
	t.Logf("recorded %s (%d events)", path, len(h.Events))
}

// TestRecordVoucherHistories records voucher histories the same way, into
// workflows/testdata/voucher_<name>_<tag>.json: one redeemed (after a refused redemption),
// confirmed by the provider and paid, one returned unused.
func TestRecordVoucherHistories(t *testing.T) {
	tag := os.Getenv("RECORD_HISTORIES")
	if tag == "" {
		t.Skip("set RECORD_HISTORIES=v<N> to record voucher histories into workflows/testdata")
	}
	e := apptest.Start(t)
	prg := e.VoucherProgram(t, "100000.00", "provider")
	e.Enterprise(t, e.CreditCode, "6222000011117777")
	e.Enterprise(t, e.OtherCode, "6222000011118888")
	e.Provider(t, "6222000033334444")

	paid := e.ApplyVoucher(t, "applicant", prg).JSON["id"].(string)
	e.WaitStatus(t, paid, "issued", wait)
	notListed := apptest.Redemption("INV-R-1", "30000.00")
	notListed["redemption"].(map[string]any)["provider_credit_code"] = e.OtherCode
	redeem(t, e, "applicant", paid, notListed, 422)
	redeem(t, e, "applicant", paid, apptest.Redemption("INV-R-2", "30000.00"), 200)
	r := e.Do(t, "POST", "/v1/vouchers/"+paid+"/confirm-delivery", "provider", map[string]any{"note": "AR-1"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	e.WaitStatus(t, paid, "pending_approval", wait)
	decide(t, e, "officer", paid, "approve", "", 200)
	e.WaitStatus(t, paid, "paid", wait)

	returned := e.ApplyVoucher(t, "other", prg).JSON["id"].(string)
	e.WaitStatus(t, returned, "issued", wait)
	r = e.Do(t, "POST", "/v1/vouchers/"+returned+"/return", "other", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	e.WaitStatus(t, returned, "withdrawn", wait)

	for name, id := range map[string]string{"voucher_paid_to_provider": paid, "voucher_returned_unused": returned} {
		save(t, e, id, filepath.Join("..", "workflows", "testdata", name+"_"+tag+".json"))
	}
}
