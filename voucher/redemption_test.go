package voucher

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExpiresAt(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name   string
		issued time.Time
		days   int
		want   time.Time
	}{
		{"180 days from New Year: last day 2024-06-28", day("2024-01-01"), 180, day("2024-06-29")},
		{"time of issue does not matter", time.Date(2024, 1, 1, 23, 59, 0, 0, time.UTC), 180, day("2024-06-29")},
		{"a one-day voucher ends at the next midnight", time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), 1, day("2024-03-06")},
		{"crosses the leap day", day("2024-02-01"), 30, day("2024-03-02")},
		{"read in the issue's own zone", time.Date(2024, 1, 1, 7, 0, 0, 0, cst), 180,
			time.Date(2024, 6, 29, 0, 0, 0, 0, cst)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			p.ValidDays = tt.days
			require.Equal(t, tt.want, ExpiresAt(tt.issued, p))
		})
	}
}

func TestDeliveryDeadline(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, day("2024-08-14"), DeliveryDeadline(time.Date(2024, 6, 15, 16, 30, 0, 0, time.UTC), p),
		"60 days with 2024-06-15 as day 1: the last day is 2024-08-13")
	p.DeliveryDays = 15
	require.Equal(t, day("2025-01-11"), DeliveryDeadline(day("2024-12-27"), p), "crosses the year: last day 2025-01-10")
}

func TestPayee(t *testing.T) {
	r := redemption("1.00")
	p := DefaultParams()
	require.Equal(t, testLab, Payee(p, r, lhasaFirm), "default: the provider is paid")
	p.Payee = PayeeEnterprise
	require.Equal(t, lhasaFirm, Payee(p, r, lhasaFirm))
}

func TestRedemptionValidate(t *testing.T) {
	require.Nil(t, redemption("1.00").Validate())
	bad := Redemption{}
	require.Equal(t, map[string]string{
		"provider_credit_code": "must be a valid unified social credit code: must be 18 characters long (got 0)",
		"service_category":     "must not be empty",
		"contract_no":          "must not be empty",
		"invoice_no":           "must not be empty",
		"invoice_date":         `must be a date such as "2024-03-01"`,
		"invoice_amount":       "must be greater than 0",
	}, bad.Validate())
}

func TestScopeOfProgram(t *testing.T) {
	require.Equal(t, tibet2024, ScopeOf(tibetProgram(t, tibetParams())))
}
