package voucher

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestJudgeRedemption(t *testing.T) {
	tests := []struct {
		name   string
		params func(*Params)
		holder string
		r      Redemption
		want   claim.Reason
	}{
		{"eligible testing service", nil, lhasaFirm, redemption("12000.00"), ""},
		{"provider not on the list", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.ProviderCreditCode = unlisted }), ReasonProviderNotListed},
		{"empty provider list refuses everyone", func(p *Params) { p.Providers = []string{} }, lhasaFirm,
			redemption("12000.00"), ReasonProviderNotListed},
		{"category not in the program's list", func(p *Params) { p.ServiceCategories = []string{Consulting} },
			lhasaFirm, redemption("12000.00"), ReasonCategoryNotListed},
		{"category match is exact", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.ServiceCategory = "Testing" }), ReasonCategoryNotListed},
		{"provider is the enterprise itself", func(p *Params) { p.Providers = append(p.Providers, lhasaFirm) },
			lhasaFirm, redemption("12000.00", func(r *Redemption) { r.ProviderCreditCode = lhasaFirm }),
			ReasonProviderIsApplicant},
		{"invoice dated on the period's first day", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.InvoiceDate = day("2024-01-01") }), ""},
		{"invoice dated late on the period's last day", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.InvoiceDate = time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC) }), ""},
		{"invoice dated on the period end", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.InvoiceDate = day("2025-01-01") }), ReasonInvoiceDateOutsidePeriod},
		{"invoice dated before the period", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.InvoiceDate = day("2023-12-31") }), ReasonInvoiceDateOutsidePeriod},
		{"first failing rule wins: provider before category", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.ProviderCreditCode, r.ServiceCategory = unlisted, "catering" }),
			ReasonProviderNotListed},
		{"first failing rule wins: category before date", nil, lhasaFirm,
			redemption("12000.00", func(r *Redemption) { r.ServiceCategory, r.InvoiceDate = "catering", day("2026-01-01") }),
			ReasonCategoryNotListed},
		{"first failing rule wins: self-dealing before date", func(p *Params) { p.Providers = []string{lhasaFirm} },
			lhasaFirm, redemption("12000.00", func(r *Redemption) {
				r.ProviderCreditCode, r.InvoiceDate = lhasaFirm, day("2026-01-01")
			}), ReasonProviderIsApplicant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			if tt.params != nil {
				tt.params(&p)
			}
			d := JudgeRedemption(tibet2024, p, tt.holder, tt.r)
			require.Equal(t, 0, d.Index)
			require.Equal(t, tt.want, d.Reason, d.Text)
			require.Equal(t, tt.want == "", d.Eligible)
			require.NotEmpty(t, d.Text)
			if d.Eligible {
				require.True(t, d.Basis.Equal(tt.r.InvoiceAmount), "basis %s", d.Basis)
			} else {
				require.True(t, d.Basis.IsZero(), "basis %s", d.Basis)
			}
		})
	}
}

func TestJudgeRedemptionTexts(t *testing.T) {
	p := tibetParams()
	d := JudgeRedemption(tibet2024, p, lhasaFirm, redemption("12000.50"))
	require.Equal(t, "eligible: an invoice of 12000.50 for testing from provider "+testLab, d.Text)

	d = JudgeRedemption(tibet2024, p, lhasaFirm, redemption("1.00", func(r *Redemption) { r.InvoiceDate = day("2025-01-01") }))
	require.Equal(t, "invoice date 2025-01-01 is outside the program period 2024-01-01 to 2024-12-31", d.Text)

	p.ServiceCategories = []string{Design, IP}
	d = JudgeRedemption(tibet2024, p, lhasaFirm, redemption("1.00"))
	require.Equal(t, `service category "testing" is not one of the program's: design, ip`, d.Text)
}
