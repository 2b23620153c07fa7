package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/bank"
)

// TestDryRunAndReconciliationE2E boots one whole system for both features (CPU is scarce)
// and runs the dry run first: it must see a ledger and evidence nobody else touches.
func TestDryRunAndReconciliationE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: boots PostgreSQL databases and an embedded Temporal server")
	}
	e := apptest.Start(t)
	e.Enterprise(t, e.CreditCode, "6222000011112468") // the simulated bank pays this account

	t.Run("a dry run answers what the claim then gets and stores nothing", func(t *testing.T) { dryRunMatchesClaim(t, e) })
	t.Run("a paid claim is in the day's settlements and reconciles", func(t *testing.T) { paidClaimReconciles(t, e) })
}

func dryRunMatchesClaim(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "300000.00")
	first := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "100.00"))
	require.Equal(t, 201, first.Status, "%s", first.Body)
	holder := first.JSON["id"].(string)
	e.WaitStatus(t, holder, "pending_approval", settle) // holds waybill 1 and 50.00 of the cap

	notListed := apptest.Shipment(3, "10.00")
	notListed["product_category"] = "yak-wool"
	body := map[string]any{"program_id": prg, "freight": map[string]any{"shipments": []any{
		apptest.Shipment(1, "80.00"), apptest.Shipment(2, "1100000.00"), notListed}}}

	before := rowCounts(t, e)
	dry := e.Do(t, "POST", "/v1/claims/dry-run", "applicant", body) // no Idempotency-Key: it creates nothing
	require.Equal(t, 200, dry.Status, "%s", dry.Body)
	assert.Equal(t, before, rowCounts(t, e), "a dry run stores nothing")
	assert.Equal(t, "550000.00", dry.JSON["calculated"], "1100000.00 × 0.50")
	assert.Equal(t, "499950.00", dry.JSON["amount"], "500000.00 cap − 50.00 held")
	assert.Equal(t, true, dry.JSON["capped"])
	assert.Equal(t, map[string]any{"limit": "500000.00", "held": "50.00", "left": "499950.00"}, dry.JSON["cap"])
	assert.Equal(t, "299950.00", dry.JSON["available_budget"])
	assert.Equal(t, true, dry.JSON["would_wait_for_budget"])
	lines := dry.JSON["lines"].([]any)
	require.Len(t, lines, 3)
	assert.Equal(t, "already_claimed", lines[0].(map[string]any)["reason"])
	assert.Equal(t, holder, lines[0].(map[string]any)["conflict"])
	assert.Equal(t, true, lines[1].(map[string]any)["eligible"])
	assert.Equal(t, "category_not_listed", lines[2].(map[string]any)["reason"])
	assert.Equal(t, 403, e.Do(t, "POST", "/v1/claims/dry-run", "officer", body).Status)

	// Another enterprise learns that the waybill is claimed, not by which claim (finding 8).
	e.Enterprise(t, e.OtherCode, "6222000011117070")
	theirs := e.Do(t, "POST", "/v1/claims/dry-run", "other", map[string]any{"program_id": prg,
		"freight": map[string]any{"shipments": []any{apptest.Shipment(1, "80.00")}}})
	require.Equal(t, 200, theirs.Status, "%s", theirs.Body)
	line := theirs.JSON["lines"].([]any)[0].(map[string]any)
	assert.Equal(t, "already_claimed", line["reason"])
	assert.Nil(t, line["conflict"])
	assert.NotContains(t, string(theirs.Body), holder)

	// The real claim with the same body: it waits for budget as foretold, then gets the amount.
	filed := e.Do(t, "POST", "/v1/claims", "applicant", body, "Idempotency-Key", apptest.Key())
	require.Equal(t, 201, filed.Status, "%s", filed.Body)
	id := filed.JSON["id"].(string)
	e.WaitStatus(t, id, "waiting_for_budget", settle)
	raised := e.Do(t, "POST", "/v1/programs/"+prg+"/budget", "admin", map[string]any{"amount": "1000000.00"},
		"Idempotency-Key", apptest.Key())
	require.Equal(t, 200, raised.Status, "%s", raised.Body)
	pending := e.WaitStatus(t, id, "pending_approval", settle)
	assert.Equal(t, dry.JSON["amount"], pending.JSON["amount"])
	assert.Equal(t, dry.JSON["lines"], pending.JSON["lines"])
	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Equal(t, 200, trace.Status, "%s", trace.Body)
	as := trace.JSON["assessment"].(map[string]any)
	assert.Equal(t, dry.JSON["steps"], as["steps"])
	assert.Equal(t, dry.JSON["rule_version"], as["rule_version"])
	assert.Equal(t, dry.JSON["calculated"], as["amount"])
}

// rowCounts counts the rows of every table a claim writes to.
func rowCounts(t *testing.T, e *apptest.Env) map[string]int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.DatabaseURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	out := map[string]int{}
	for _, table := range []string{"claims", "evidence", "audit_log", "reservations", "budget_queue",
		"ledger_entries", "idempotency_keys"} {
		var n int
		require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n), table)
		out[table] = n
	}
	return out
}

func paidClaimReconciles(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "1000000.00")
	filed := e.FileFreight(t, "applicant", prg, apptest.Shipment(10, "1000.00"))
	require.Equal(t, 201, filed.Status, "%s", filed.Body)
	id := filed.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", settle)
	approved := e.Do(t, "POST", "/v1/claims/"+id+"/approve", "officer", map[string]any{"note": "checked"})
	require.Equal(t, 200, approved.Status, "%s", approved.Body)
	paid := e.WaitStatus(t, id, "paid", settle)
	payment := paid.JSON["payment"].(map[string]any)
	// The day the payment settled, by the claim's own record (today, unless midnight passed).
	day := payment["settled_at"].(string)[:10]

	list := e.Do(t, "GET", "/v1/bank/settlements?date="+day, "officer", nil)
	require.Equal(t, 200, list.Status, "%s", list.Body)
	items := list.JSON["items"].([]any)
	require.Len(t, items, 1, "the only paid claim of this system: %s", list.Body)
	item := items[0].(map[string]any)
	assert.Equal(t, id, item["reference"])
	assert.Equal(t, payment["key"], item["key"])
	assert.Equal(t, payment["bank_ref"], item["bank_ref"])
	assert.Equal(t, "500.00", item["amount"])
	assert.Equal(t, "****2468", item["account_number"], "masked: reconciling goes by key and amount")
	assert.Equal(t, "500.00", list.JSON["total"])

	rec := e.Do(t, "GET", "/v1/reconciliation?date="+day, "supervisor", nil)
	require.Equal(t, 200, rec.Status, "%s", rec.Body)
	assert.Equal(t, true, rec.JSON["ok"], "%s", rec.Body)
	assert.Equal(t, float64(1), rec.JSON["matched"])
	assert.Equal(t, "500.00", rec.JSON["total_settled"])
	assert.Empty(t, rec.JSON["mismatches"])
	for _, who := range []string{"auditor", "admin"} {
		assert.Equal(t, 200, e.Do(t, "GET", "/v1/reconciliation?date="+day, who, nil).Status, who)
	}

	quiet := e.Do(t, "GET", "/v1/reconciliation?date=2000-01-01", "officer", nil)
	require.Equal(t, 200, quiet.Status, "%s", quiet.Body)
	assert.Equal(t, true, quiet.JSON["ok"])
	assert.Equal(t, float64(0), quiet.JSON["matched"])

	for _, path := range []string{"/v1/bank/settlements?date=" + day, "/v1/reconciliation?date=" + day} {
		denied := e.Do(t, "GET", path, "applicant", nil)
		assert.Equal(t, 403, denied.Status, "%s: %s", path, denied.Body)
		assert.Equal(t, "application/problem+json", denied.Header.Get("Content-Type"))
	}

	// Money sent past the workflow (by hand, at the bank) is listed for a person to resolve.
	stray := bankPaysStray(t, e)
	rec = e.Do(t, "GET", "/v1/reconciliation?date="+stray, "officer", nil)
	require.Equal(t, 200, rec.Status, "%s", rec.Body)
	assert.Equal(t, false, rec.JSON["ok"])
	mismatches := rec.JSON["mismatches"].([]any)
	require.Len(t, mismatches, 1, "%s", rec.Body)
	m := mismatches[0].(map[string]any)
	assert.Equal(t, "unknown_claim", m["kind"])
	assert.Equal(t, "clm_nobody", m["claim_id"])
	assert.Equal(t, "12.34", m["bank_amount"])
	assert.Nil(t, m["claim_amount"])
}

// bankPaysStray has the simulated bank pay and settle a payment no claim made, and
// returns the day it settled.
func bankPaysStray(t *testing.T, e *apptest.Env) string {
	t.Helper()
	ctx := context.Background()
	_, err := e.Parts.Bank.Pay(ctx, bank.Payment{Key: "manual/1", BankName: "Bank of Tibet", AccountName: "Someone",
		AccountNumber: "6222000099991234", Amount: decimal.RequireFromString("12.34"), Reference: "clm_nobody"})
	require.NoError(t, err)
	deadline := time.Now().Add(settle)
	for {
		r, err := e.Parts.Bank.Status(ctx, "manual/1")
		require.NoError(t, err)
		if r.SettledAt != nil {
			return r.SettledAt.UTC().Format(time.DateOnly)
		}
		require.True(t, time.Now().Before(deadline), "the bank did not settle")
		time.Sleep(100 * time.Millisecond)
	}
}
