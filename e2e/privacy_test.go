package e2e

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// Security finding "personal data" over HTTP: an applicant registers itself with its own
// figures and account. Everyone but finance deciding on the payment reads the account's
// last four digits; finance sees it in full and sees that the enterprise is unverified
// until an administrator verifies it; the audit log never holds the number, only its
// masked form and a keyed hash an auditor can reproduce.
func TestSelfRegisteredEnterpriseAccountMaskedVerifiedAndNeverAudited(t *testing.T) {
	t.Parallel()
	const full, masked = "6222000055556666", "****6666"
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "1000000.00")
	r := e.Do(t, "POST", "/v1/enterprises", "applicant", map[string]any{
		"credit_code": e.CreditCode, "name": "Lhasa Highland Foods", "industry": "industry",
		"employees": 45, "revenue": "1800.00", "assets": "2500.00", "region": "540102",
		"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods",
			"account_number": full},
	}, "Idempotency-Key", apptest.Key())
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.NotContains(t, string(r.Body), full, "not even to the applicant who entered it")
	ver := r.JSON["verification"].(map[string]any)
	require.Equal(t, false, ver["verified"])
	require.Equal(t, "ent-1", ver["declared_by"])
	require.Equal(t, []any{"figures", "bank_account"}, ver["declared"])
	declaredAt := ver["declared_at"].(string)

	id := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "1000.00")).JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)

	// Finance approving sees the whole account and the mark; nobody else sees the number.
	got := e.Do(t, "GET", "/v1/claims/"+id, "officer", nil)
	ent := got.JSON["enterprise"].(map[string]any)
	require.Equal(t, full, ent["bank_account"].(map[string]any)["account_number"])
	require.Equal(t, false, ent["verification"].(map[string]any)["verified"])
	require.Equal(t, "ent-1", ent["verification"].(map[string]any)["declared_by"])
	for _, who := range []string{"applicant", "auditor", "admin"} {
		for _, path := range []string{"/v1/claims/" + id, "/v1/claims/" + id + "/trace", "/v1/enterprises/" + e.CreditCode} {
			r := e.Do(t, "GET", path, who, nil)
			require.Equal(t, 200, r.Status, "%s %s: %s", who, path, r.Body)
			require.NotContains(t, string(r.Body), full, "%s reads %s", who, path)
			require.Contains(t, string(r.Body), masked, "%s reads %s", who, path)
		}
	}

	// Verification: administrators only, field errors, and only the declaration checked.
	require.Equal(t, 403, e.Do(t, "POST", "/v1/enterprises/"+e.CreditCode+"/verify", "officer",
		map[string]any{"declared_at": declaredAt, "note": "x"}).Status)
	bad := e.Do(t, "POST", "/v1/enterprises/"+e.CreditCode+"/verify", "admin", map[string]any{"declared_at": "yesterday", "note": " "})
	require.Equal(t, 422, bad.Status, "%s", bad.Body)
	require.Contains(t, string(bad.Body), "declared_at")
	require.Contains(t, string(bad.Body), `"note"`)
	stale := e.Do(t, "POST", "/v1/enterprises/"+e.CreditCode+"/verify", "admin",
		map[string]any{"declared_at": "2020-01-01T00:00:00Z", "note": "licence checked"})
	require.Equal(t, 409, stale.Status, "%s", stale.Body)
	ok := e.Do(t, "POST", "/v1/enterprises/"+e.CreditCode+"/verify", "admin",
		map[string]any{"declared_at": declaredAt, "note": "business licence and bank letter checked"})
	require.Equal(t, 200, ok.Status, "%s", ok.Body)
	require.Equal(t, true, ok.JSON["verification"].(map[string]any)["verified"])
	got = e.Do(t, "GET", "/v1/claims/"+id, "officer", nil)
	require.Equal(t, true, got.JSON["enterprise"].(map[string]any)["verification"].(map[string]any)["verified"])

	decide(t, e, "officer", id, "approve", "waybills checked", 200)
	e.WaitStatus(t, id, "paid", wait)
	paid := e.Do(t, "GET", "/v1/claims/"+id, "officer", nil)
	require.NotContains(t, string(paid.Body), full, "once paid, finance reads the last four digits too")

	// The applicant changes its account: unverified again.
	r = e.Do(t, "PUT", "/v1/enterprises/"+e.CreditCode+"/bank-account", "applicant", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods", "account_number": "6222000055557777"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, false, r.JSON["verification"].(map[string]any)["verified"])
	require.Equal(t, []any{"bank_account"}, r.JSON["verification"].(map[string]any)["declared"])

	// No audit row written by any path holds either number; the payment's row holds the
	// hash an auditor gets for the number they hold.
	details := auditRows(t, e)
	hash := e.Do(t, "POST", "/v1/audit/account-hash", "auditor", map[string]any{"account_number": full})
	require.Equal(t, 200, hash.Status, "%s", hash.Body)
	require.Equal(t, masked, hash.JSON["account_number_masked"])
	sent := false
	for action, ds := range details {
		for _, d := range ds {
			require.NotContains(t, d, full, action)
			require.NotContains(t, d, "6222000055557777", action)
			if action == "payment.sent" {
				require.Contains(t, d, hash.JSON["account_number_hmac"].(string))
				sent = true
			}
		}
	}
	require.True(t, sent, "the payment was audited")
	require.Contains(t, details, "enterprise.registered")
	require.Contains(t, details, "enterprise.verified")
	require.Contains(t, details, "enterprise.bank_account_updated")
	require.Equal(t, 403, e.Do(t, "POST", "/v1/audit/account-hash", "applicant", map[string]any{"account_number": full}).Status)
	require.Equal(t, 422, e.Do(t, "POST", "/v1/audit/account-hash", "auditor", map[string]any{"account_number": "12ab"}).Status)
}

// auditRows reads every audit row's details by action, straight from the database.
func auditRows(t *testing.T, e *apptest.Env) map[string][]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.DatabaseURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT action, details::text FROM audit_log ORDER BY seq")
	require.NoError(t, err)
	out := map[string][]string{}
	for rows.Next() {
		var a, d string
		require.NoError(t, rows.Scan(&a, &d))
		out[a] = append(out[a], d)
	}
	require.NoError(t, rows.Err())
	return out
}
