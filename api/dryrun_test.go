package api

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
)

// The dry run shares POST /v1/claims' validation; these cases prove it refuses the same
// way and, being no creation, asks for no Idempotency-Key.
func TestDryRunRefuses(t *testing.T) {
	api := newTestAPI(t)
	tests := []struct {
		name   string
		token  string
		body   string
		status int
		field  string
	}{
		{"officer", "officer", js(claimBody(shipment(nil))), 403, ""},
		{"auditor", "auditor", js(claimBody(shipment(nil))), 403, ""},
		{"unknown member", "applicant", `{"program_id": "prg_freight", "priority": 1}`, 400, "priority"},
		{"amount with 3 decimals", "applicant", js(claimBody(shipment(func(m map[string]any) { m["amount"] = "1.001" }))),
			422, "freight.shipments[0].amount"},
		{"unknown program", "applicant", `{"program_id": "prg_nope", "freight": {"shipments": [` + js(shipment(nil)) + `]}}`,
			422, "program_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := api.do("POST", "/v1/claims/dry-run", tt.token, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.field != "" {
				assert.Contains(t, rec.Body.String(), `"field":"`+tt.field+`"`)
			}
		})
	}
	assert.Empty(t, api.store.Writes())
}

func TestDryRunCapAndQueue(t *testing.T) {
	d := decimal.RequireFromString
	limit := d("500000.00")
	eligible := func(amount string) claim.Assessment {
		return claim.Assessment{RuleVersion: "freight/v1", Amount: d(amount)}
	}
	tests := []struct {
		name      string
		as        claim.Assessment
		outlook   store.BudgetOutlook
		amount    string
		capped    bool
		left      string
		wouldWait bool
	}{
		{"fits", eligible("616.73"), store.BudgetOutlook{Held: d("0"), Available: d("1000")}, "616.73", false, "500000.00", false},
		{"capped by what is held", eligible("1000.00"), store.BudgetOutlook{Held: d("499500.00"), Available: d("5000")},
			"500.00", true, "500.00", false},
		{"cap used up pays nothing and never waits", eligible("10.00"), store.BudgetOutlook{Held: d("500000.00"), Available: d("0")},
			"0.00", true, "0.00", false},
		{"budget short", eligible("100.00"), store.BudgetOutlook{Held: d("0"), Available: d("99.99")}, "100.00", false, "500000.00", true},
		{"someone queued ahead", eligible("1.00"), store.BudgetOutlook{Held: d("0"), Available: d("1000"), Queued: 1},
			"1.00", false, "500000.00", true},
		{"nothing eligible asks for nothing", claim.Assessment{Amount: d("0"), Reason: "no_eligible_line"},
			store.BudgetOutlook{Held: d("0"), Available: d("0"), Queued: 3}, "0.00", false, "500000.00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := dryRunOf(tt.as, limit, tt.outlook)
			assert.Equal(t, tt.amount, v.Amount)
			assert.Equal(t, tt.capped, v.Capped)
			assert.Equal(t, tt.left, v.Cap.Left)
			assert.Equal(t, tt.wouldWait, v.WouldWaitForBudget)
			assert.Equal(t, "500000.00", v.Cap.Limit)
			assert.NotNil(t, v.Lines)
		})
	}
}
