package api_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// These tests drive the API over HTTP against the whole system (PostgreSQL, embedded
// Temporal, worker, simulated bank). They share one environment to spare the CPU; each
// subtest uses its own program or enterprise so they do not see each other's data.

const settle = 60 * time.Second

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: boots PostgreSQL databases and an embedded Temporal server")
	}
	e := apptest.Start(t)
	e.Enterprise(t, e.CreditCode, "6222000011112468") // the simulated bank pays this account

	t.Run("freight claim is filed, approved and paid", func(t *testing.T) { freightHappyPath(t, e) })
	t.Run("malformed requests are refused and store nothing", func(t *testing.T) { malformedStoreNothing(t, e) })
	t.Run("idempotent replay and key reuse", func(t *testing.T) { idempotency(t, e) })
	// Last: it registers the "other" enterprise, which the malformed cases need unregistered.
	t.Run("a corrected bank account resumes a failed payment", func(t *testing.T) { bankAccountFix(t, e) })
}

func freightHappyPath(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "1000000.00")
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "1000.00"), apptest.Shipment(2, "233.45"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	assert.Regexp(t, `^clm_[a-z2-7]{20}$`, id)
	assert.Equal(t, "/v1/claims/"+id, r.Header.Get("Location"))
	assert.Equal(t, "1233.45", r.JSON["requested"])
	assert.Equal(t, e.CreditCode, r.JSON["credit_code"])

	pending := e.WaitStatus(t, id, "pending_approval", settle)
	assert.Equal(t, "616.73", pending.JSON["amount"], "round(1233.45 × 0.50) = 616.725 → 616.73")
	assert.Len(t, pending.JSON["lines"], 2)

	approved := e.Do(t, "POST", "/v1/claims/"+id+"/approve", "officer", map[string]any{"note": "waybills checked"})
	require.Equal(t, 200, approved.Status, "%s", approved.Body)
	assert.NotEmpty(t, approved.JSON["approvals"])

	paid := waitPaid(t, e, id)
	assert.NotNil(t, paid["payment"])

	trace := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Equal(t, 200, trace.Status, "%s", trace.Body)
	trail := trace.JSON["trail"].([]any)
	require.NotEmpty(t, trail)
	first := trail[0].(map[string]any)
	assert.Equal(t, "claim.submitted", first["action"])
	assert.Equal(t, "claim/"+id, first["workflow_id"])
	assert.Len(t, first["hash"], 64)

	verify := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, 200, verify.Status)
	assert.Equal(t, true, verify.JSON["ok"], "%s", verify.Body)
	assert.Nil(t, verify.JSON["first_broken_seq"])
}

// waitPaid polls the claim over HTTP until it is paid, failing at the deadline.
func waitPaid(t *testing.T, e *apptest.Env, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(settle)
	for {
		r := e.Do(t, "GET", "/v1/claims/"+id, "applicant", nil)
		require.Equal(t, 200, r.Status, "%s", r.Body)
		if r.JSON["status"] == "paid" {
			return r.JSON
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim %s not paid within %s: %s", id, settle, r.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func malformedStoreNothing(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "1000000.00")
	fresh := apptest.MustCode("91540100MA6T00009")
	badCode := fresh[:17] + "0"
	if fresh[17] == '0' {
		badCode = fresh[:17] + "1"
	}
	filed := e.FileFreight(t, "applicant", prg, apptest.Shipment(100, "10.00"))
	require.Equal(t, 201, filed.Status, "%s", filed.Body)
	applicantsClaim := filed.JSON["id"].(string)

	enterprise := func(code, revenue string) map[string]any {
		return map[string]any{"credit_code": code, "name": "Nyingchi Yak Dairy", "industry": "industry",
			"employees": 12, "revenue": revenue, "assets": "100.00", "region": "540400",
			"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Nyingchi Yak Dairy", "account_number": "6222000022223333"}}
	}
	claim := func(program string, amount string) map[string]any {
		return map[string]any{"program_id": program, "freight": map[string]any{
			"shipments": []any{apptest.Shipment(200, amount)}}}
	}
	tests := []struct {
		name, method, path, who string
		body                    any
		status                  int
		field                   string
	}{
		{"bad credit code", "POST", "/v1/enterprises", "admin", enterprise(badCode, "10.00"), 422, "credit_code"},
		{"revenue with 3 decimals", "POST", "/v1/enterprises", "admin", enterprise(fresh, "10.005"), 422, "revenue"},
		{"negative revenue", "POST", "/v1/enterprises", "admin", enterprise(fresh, "-10.00"), 422, "revenue"},
		{"claim amount with 3 decimals", "POST", "/v1/claims", "applicant", claim(prg, "10.001"), 422, "freight.shipments[0].amount"},
		{"negative claim amount", "POST", "/v1/claims", "applicant", claim(prg, "-10.00"), 422, "freight.shipments[0].amount"},
		{"unknown program", "POST", "/v1/claims", "applicant", claim("prg_doesnotexist", "10.00"), 422, "program_id"},
		{"unregistered enterprise files", "POST", "/v1/claims", "other", claim(prg, "10.00"), 422, "credit_code"},
		{"unknown field", "POST", "/v1/claims", "applicant", map[string]any{"program_id": prg, "priority": "high",
			"freight": map[string]any{"shipments": []any{apptest.Shipment(201, "10.00")}}}, 400, "priority"},
		{"officer files a claim", "POST", "/v1/claims", "officer", claim(prg, "10.00"), 403, ""},
		{"applicant creates a program", "POST", "/v1/programs", "applicant", map[string]any{"kind": "freight"}, 403, ""},
		{"auditor registers an enterprise", "POST", "/v1/enterprises", "auditor", enterprise(fresh, "10.00"), 403, ""},
		{"someone else's claim is invisible", "GET", "/v1/claims/" + applicantsClaim, "other", nil, 404, ""},
		{"someone else's claim cannot be withdrawn", "POST", "/v1/claims/" + applicantsClaim + "/withdraw", "other", nil, 404, ""},
		{"someone else's trace is invisible", "GET", "/v1/claims/" + applicantsClaim + "/trace", "other", nil, 404, ""},
	}
	before := claimCount(t, e)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Do(t, tc.method, tc.path, tc.who, tc.body, "Idempotency-Key", apptest.Key())
			require.Equal(t, tc.status, r.Status, "%s", r.Body)
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			if tc.field != "" {
				assert.Contains(t, fieldNames(r.JSON), tc.field, "%s", r.Body)
			}
		})
	}
	assert.Equal(t, before, claimCount(t, e), "no claim was stored")
	for _, code := range []string{fresh, badCode} {
		assert.Equal(t, 404, e.Do(t, "GET", "/v1/enterprises/"+code, "admin", nil).Status, "enterprise %s must not exist", code)
	}
	still := e.Do(t, "GET", "/v1/claims/"+applicantsClaim, "applicant", nil)
	assert.NotEqual(t, "withdrawn", still.JSON["status"])
}

func idempotency(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "1000000.00")
	key := apptest.Key()
	body := map[string]any{"program_id": prg, "freight": map[string]any{
		"shipments": []any{apptest.Shipment(300, "88.00")}}}
	before := claimCount(t, e)

	first := e.Do(t, "POST", "/v1/claims", "applicant", body, "Idempotency-Key", key)
	require.Equal(t, 201, first.Status, "%s", first.Body)
	again := e.Do(t, "POST", "/v1/claims", "applicant", body, "Idempotency-Key", key)
	require.Equal(t, 201, again.Status, "%s", again.Body)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, first.JSON["id"], again.JSON["id"])
	assert.Equal(t, string(first.Body), string(again.Body))
	assert.Equal(t, first.Header.Get("Location"), again.Header.Get("Location"))

	changed := map[string]any{"program_id": prg, "freight": map[string]any{
		"shipments": []any{apptest.Shipment(300, "99.00")}}}
	conflict := e.Do(t, "POST", "/v1/claims", "applicant", changed, "Idempotency-Key", key)
	require.Equal(t, 409, conflict.Status, "%s", conflict.Body)
	assert.Equal(t, before+1, claimCount(t, e), "one claim for one key")

	missing := e.Do(t, "POST", "/v1/claims", "applicant", body)
	require.Equal(t, 422, missing.Status)
	assert.Contains(t, fieldNames(missing.JSON), "Idempotency-Key")

	// A refusal is an answer too: the same broken request gets the same 422 again.
	bad := map[string]any{"amount": "1.001"}
	k2 := apptest.Key()
	r1 := e.Do(t, "POST", "/v1/programs/"+prg+"/budget", "admin", bad, "Idempotency-Key", k2)
	r2 := e.Do(t, "POST", "/v1/programs/"+prg+"/budget", "admin", bad, "Idempotency-Key", k2)
	require.Equal(t, 422, r1.Status)
	require.Equal(t, 422, r2.Status)
	assert.Equal(t, "true", r2.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, "1000000.00", e.Do(t, "GET", "/v1/programs/"+prg, "admin", nil).JSON["budget"])
}

func bankAccountFix(t *testing.T, e *apptest.Env) {
	prg := e.FreightProgram(t, "1000000.00")
	e.Enterprise(t, e.OtherCode, "6222000011117777") // the simulated bank refuses: name mismatch
	r := e.FileFreight(t, "other", prg, apptest.Shipment(400, "50.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", settle)
	require.Equal(t, 200, e.Do(t, "POST", "/v1/claims/"+id+"/approve", "officer", nil).Status)
	e.WaitStatus(t, id, "payment_failed", settle)

	acct := map[string]any{"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods", "account_number": "6222000011112469"}
	assert.Equal(t, 404, e.Do(t, "PUT", "/v1/enterprises/"+e.OtherCode+"/bank-account", "applicant", acct).Status,
		"another enterprise's account is invisible")
	fixed := e.Do(t, "PUT", "/v1/enterprises/"+e.OtherCode+"/bank-account", "other", acct)
	require.Equal(t, 200, fixed.Status, "%s", fixed.Body)
	assert.Equal(t, "****2469", fixed.JSON["bank_account"].(map[string]any)["account_number"], "masked, even to who entered it")
	e.WaitStatus(t, id, "paid", settle)
}

// claimCount counts every claim, following the cursor.
func claimCount(t *testing.T, e *apptest.Env) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		path := "/v1/claims?limit=200"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := e.Do(t, "GET", path, "auditor", nil)
		require.Equal(t, 200, r.Status, "%s", r.Body)
		n += len(r.JSON["items"].([]any))
		next, _ := r.JSON["next_cursor"].(string)
		if next == "" {
			return n
		}
		cursor = next
	}
}

func fieldNames(doc map[string]any) []string {
	var out []string
	list, _ := doc["errors"].([]any)
	for _, item := range list {
		out = append(out, item.(map[string]any)["field"].(string))
	}
	return out
}
