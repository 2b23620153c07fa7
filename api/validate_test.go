package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/program"
)

// TestValidationMessages pins the sentences clients see: they must say what is wrong in
// words, under the JSON name of the field.
func TestValidationMessages(t *testing.T) {
	badCheck := ownCode[:17] + flip(ownCode[17])
	tests := []struct {
		name  string
		req   any
		field string
		want  string
	}{
		{"bad credit code", &createEnterpriseRequest{CreditCode: badCheck}, "credit_code",
			"must be a valid unified social credit code: check character mismatch (expected " + ownCode[17:] + ")"},
		{"short credit code", &createEnterpriseRequest{CreditCode: "91540000"}, "credit_code",
			"must be a valid unified social credit code: must be 18 characters long (got 8)"},
		{"3 decimals", &raiseBudgetRequest{Amount: "10.001"}, "amount", "must have at most 2 decimal places"},
		{"negative amount", &raiseBudgetRequest{Amount: "-10.00"}, "amount", "must be greater than 0"},
		{"negative figure", &createEnterpriseRequest{Revenue: "-1"}, "revenue", "must not be negative"},
		{"amount with a comma", &raiseBudgetRequest{Amount: "1,000.00"}, "amount", `must be a decimal number such as "1234.50"`},
		{"missing amount", &raiseBudgetRequest{}, "amount", "is required"},
		{"bad region", &createEnterpriseRequest{Region: "5400"}, "region", `must be exactly 6 digits, such as "540000"`},
		{"region outside China's province codes", &createEnterpriseRequest{Region: "990000"}, "region",
			"must start with a province code between 11 and 82 (got 99)"},
		{"bad date", &createProgramRequest{PeriodStart: "2024-1-1"}, "period_start", `must be a date such as "2024-03-01"`},
		{"bad rate", &freight.ParamsRequest{Rate: ptr("0.123456789")}, "rate", "must have at most 8 decimal places"},
		{"nested shipment field", claimTarget(t, `{"program_id": "p", "freight": {"shipments": [{"amount": "1.001"}]}}`),
			"freight.shipments[0].amount", "must have at most 2 decimal places"},
		{"unknown mode", claimTarget(t, `{"program_id": "p", "freight": {"shipments": [{"mode": "ship"}]}}`),
			"freight.shipments[0].mode", "must be one of road, rail, air, multimodal"},
		{"duplicate excluded modes", &freight.ParamsRequest{ExcludedModes: []string{"rail", "rail"}}, "excluded_modes",
			"must not list the same value twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := checkStruct(tt.req, "")
			assert.Equal(t, tt.want, errs[tt.field], "all errors: %v", errs)
		})
	}
}

func TestUnknownFieldMessage(t *testing.T) {
	var req raiseBudgetRequest
	err := decodeBytes([]byte(`{"amount": "1.00", "currency": "CNY"}`), &req, false)
	assert.Equal(t, 400, statusOf(err))
	doc := problemOf(err, statusOf(err), "")
	assert.Equal(t, []fieldError{{"currency", "is not a known field"}}, doc["errors"])
}

// claimTarget decodes a claim request the way POST /v1/claims does and returns what the
// validator checks.
func claimTarget(t *testing.T, body string) any {
	req := newClaimRequest()
	require.NoError(t, decodeBytes([]byte(body), req.target(), false))
	return req.target()
}

func TestShipmentsBecomeFreightPayload(t *testing.T) {
	req := newClaimRequest()
	require.NoError(t, decodeBytes([]byte(`{"program_id": "p", "freight": {"shipments": [
		{"carrier": "C", "waybill_no": "W1", "ship_date": "2024-03-01", "origin_region": "540100", "destination_region": "510100",
		 "product_category": "barley", "mode": "road", "amount": "100.10", "invoice_no": "I1"},
		{"carrier": "C", "waybill_no": "W2", "ship_date": "2024-03-02", "origin_region": "540100", "destination_region": "510100",
		 "product_category": "barley", "mode": "rail", "amount": "0.01", "invoice_no": "I2"}]}}`), req.target(), false))
	req.collect()
	lines, err := req.lines(program.Freight)
	assert.NoError(t, err)
	assert.Equal(t, "100.11", lines.requested.StringFixed(2), "the exact sum of the lines")
	assert.Contains(t, string(lines.payload), `"ship_date":"2024-03-01T00:00:00Z"`)
	assert.Contains(t, string(lines.payload), `{"shipments":[`)
}

func TestClaimIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := newClaimID()
		assert.Regexp(t, `^clm_[a-z2-7]{20}$`, id)
		assert.False(t, seen[id])
		seen[id] = true
	}
}

func ptr[T any](v T) *T { return &v }
