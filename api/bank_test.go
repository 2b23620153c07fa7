package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
)

// newBankTestAPI is newTestAPI with a bank.
func newBankTestAPI(t *testing.T, b bank.Bank) *testAPI {
	t.Helper()
	st := newFakeStore()
	s := newServer(Deps{Logger: slog.New(slog.DiscardHandler), Bank: b}, st)
	return &testAPI{t: t, s: s, h: s.handler(), store: st, log: &syncBuffer{}}
}

func decodeBody(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestBankEndpointsRefuse(t *testing.T) {
	withBank := newBankTestAPI(t, &fakeBank{})
	noBank := newTestAPI(t)
	tests := []struct {
		name   string
		api    *testAPI
		path   string
		token  string
		status int
		field  string
	}{
		{"applicant may not read settlements", withBank, "/v1/bank/settlements?date=2024-06-03", "applicant", 403, ""},
		{"applicant may not reconcile", withBank, "/v1/reconciliation?date=2024-06-03", "applicant", 403, ""},
		{"no token", withBank, "/v1/reconciliation?date=2024-06-03", "", 401, ""},
		{"no bank: settlements", noBank, "/v1/bank/settlements?date=2024-06-03", "officer", 503, ""},
		{"no bank: reconciliation", noBank, "/v1/reconciliation?date=2024-06-03", "auditor", 503, ""},
		{"date missing", withBank, "/v1/reconciliation", "officer", 422, "date"},
		{"date malformed", withBank, "/v1/bank/settlements?date=2024-6-3", "officer", 422, "date"},
		{"date given twice", withBank, "/v1/bank/settlements?date=2024-06-03&date=2024-06-04", "officer", 422, "date"},
		{"unknown parameter", withBank, "/v1/reconciliation?date=2024-06-03&from=x", "officer", 422, "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.api.do("GET", tt.path, tt.token, "")
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			doc := decodeBody(t, rec.Body.Bytes())
			if tt.status == 503 {
				assert.Equal(t, "bank not configured", doc["detail"])
			}
			if tt.field != "" {
				errs := doc["errors"].([]any)
				assert.Equal(t, tt.field, errs[0].(map[string]any)["field"], rec.Body.String())
			}
		})
	}
}

func TestBankSettlementsAndReconciliation(t *testing.T) {
	at := time.Date(2024, 6, 3, 10, 0, 0, 0, time.UTC)
	fb := &fakeBank{settled: []bank.Settlement{{Key: "clm_x/pay/1", BankRef: "B1", Reference: "clm_x",
		AccountNumber: "6222000011112468", Amount: decimal.RequireFromString("616.73"), SettledAt: at}}}
	api := newBankTestAPI(t, fb)

	rec := api.do("GET", "/v1/bank/settlements?date=2024-06-03", "auditor", "")
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"date": "2024-06-03", "total": "616.73", "items": [{"key": "clm_x/pay/1", "bank_ref": "B1",
		"reference": "clm_x", "account_number": "****2468", "amount": "616.73",
		"settled_at": "2024-06-03T10:00:00.000000Z"}]}`, rec.Body.String())
	assert.Equal(t, time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), fb.from, "the UTC day")
	assert.Equal(t, time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC), fb.to)

	// The fake store knows no paid claim: the settlement names an unknown claim.
	rec = api.do("GET", "/v1/reconciliation?date=2024-06-03", "officer", "")
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"date": "2024-06-03", "matched": 0, "total_settled": "616.73", "ok": false,
		"mismatches": [{"kind": "unknown_claim", "claim_id": "clm_x", "key": "clm_x/pay/1", "bank_amount": "616.73",
		"claim_amount": null, "detail": "no claim has id \"clm_x\" or payment key \"clm_x/pay/1\""}]}`, rec.Body.String())

	fb.settled = nil
	rec = api.do("GET", "/v1/reconciliation?date=2024-06-04", "admin", "")
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"date": "2024-06-04", "matched": 0, "total_settled": "0.00", "ok": true, "mismatches": []}`, rec.Body.String())

	fb.err = errors.New("connection refused")
	rec = api.do("GET", "/v1/bank/settlements?date=2024-06-04", "officer", "")
	require.Equal(t, 503, rec.Code, rec.Body.String())
	assert.NotContains(t, rec.Body.String(), "connection refused", "the bank's failure stays in the log")
	assert.Empty(t, api.store.Writes())
}
