package rent

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestJudge(t *testing.T) {
	tenant := func(codeOf, class, region string) Tenant {
		return Tenant{CreditCode: codeOf, SizeClass: class, Region: region}
	}
	tests := []struct {
		name   string
		tenant Tenant
		edit   func(*Lease)
		want   claim.Reason // "" for eligible
		basis  string       // an eligible line's basis: rent × months, exact
	}{
		{"small tenant of a listed landlord in a risk county", lhasaFirm, nil, "", "30000"},
		{"micro tenant qualifies", tenant(smallTenant, "micro", "540102"), nil, "", "30000"},
		{"individual business qualifies", tenant(shopkeeper, "", "540102"), nil, "", "30000"},
		{"medium enterprise is refused", tenant(smallTenant, "medium", "540102"), nil, ReasonTenantNotSmallOrMicro, ""},
		{"large enterprise is refused", tenant(smallTenant, "large", "540102"), nil, ReasonTenantNotSmallOrMicro, ""},
		{"enterprise without a size class is refused", tenant(smallTenant, "", "540102"), nil, ReasonTenantNotSmallOrMicro, ""},
		{"tenant outside the program region", tenant(smallTenant, "small", "630100"), nil, ReasonTenantOutsideRegion, ""},
		{"landlord not on the list", lhasaFirm, func(l *Lease) { l.LandlordCreditCode = privateOwner },
			ReasonLandlordNotListed, ""},
		{"the other listed landlord", lhasaFirm, func(l *Lease) { l.LandlordCreditCode = otherLandlord }, "", "30000"},
		{"premises outside the program region", lhasaFirm, func(l *Lease) { l.County = "630102" },
			ReasonPremisesOutsideRegion, ""},
		{"lease ended before the year", lhasaFirm, term("2020-01-01", "2022-01-01"), ReasonLeaseOutsidePeriod, ""},
		{"lease starts after the year", lhasaFirm, term("2023-01-01", "2024-01-01"), ReasonLeaseOutsidePeriod, ""},
		{"lease shares less than a month of the year", lhasaFirm, term("2022-12-10", "2023-12-10"),
			ReasonNoWholeMonth, ""},
		{"lease covers only 2 whole months of the year", lhasaFirm, term("2022-10-20", "2023-06-01"), "", "10000"},
		{"other county gets 3 months", lhasaFirm, func(l *Lease) { l.County = "540103" }, "", "15000"},
		{"tenant is its own landlord", tenant(stateLandlord, "small", "540100"), nil, ReasonTenantIsLandlord, ""},
		{"first failing rule wins: size before region", tenant(smallTenant, "medium", "630100"), nil,
			ReasonTenantNotSmallOrMicro, ""},
		{"first failing rule wins: landlord before premises", lhasaFirm,
			func(l *Lease) { l.LandlordCreditCode, l.County = privateOwner, "630102" }, ReasonLandlordNotListed, ""},
		{"first failing rule wins: premises before period", lhasaFirm,
			func(l *Lease) { l.County, l.LeaseStart, l.LeaseEnd = "630102", day("2019-01-01"), day("2020-01-01") },
			ReasonPremisesOutsideRegion, ""},
		{"first failing rule wins: period before own landlord", tenant(stateLandlord, "small", "540100"),
			term("2019-01-01", "2020-01-01"), ReasonLeaseOutsidePeriod, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var edits []func(*Lease)
			if tt.edit != nil {
				edits = append(edits, tt.edit)
			}
			d := Judge(tibet2022, tibetParams(), tt.tenant, lease(edits...))
			require.Equal(t, 0, d.Index)
			require.Equal(t, tt.want, d.Reason, d.Text)
			require.Equal(t, tt.want == "", d.Eligible)
			require.NotEmpty(t, d.Text)
			if d.Eligible {
				require.True(t, d.Basis.Equal(dec(tt.basis)), "basis %s", d.Basis)
			} else {
				require.True(t, d.Basis.IsZero(), "basis %s", d.Basis)
			}
		})
	}
}

func TestJudgeTexts(t *testing.T) {
	tests := []struct {
		name   string
		tenant Tenant
		edit   func(*Lease)
		want   string
	}{
		{"eligible in a risk county", lhasaFirm, func(*Lease) {},
			"eligible: 6 months of rent of 5000.00 waived (6 for county 540102, on the risk list)"},
		{"eligible, limited by the lease", lhasaFirm, term("2022-10-20", "2023-06-01"),
			"eligible: 2 months of rent of 5000.00 waived (6 for county 540102, on the risk list, " +
				"limited to the lease's 2 whole months in the period)"},
		{"eligible elsewhere", lhasaFirm, func(l *Lease) { l.County = "540103" },
			"eligible: 3 months of rent of 5000.00 waived (3 for county 540103, not on the risk list)"},
		{"unclassified tenant", Tenant{CreditCode: smallTenant, Region: "540102"}, func(*Lease) {},
			"the tenant's size class is not known; only small and micro enterprises and individual businesses qualify"},
		{"landlord", lhasaFirm, func(l *Lease) { l.LandlordCreditCode = privateOwner },
			"landlord " + privateOwner + " is not on the program's list of state-owned landlords"},
		{"no whole month", lhasaFirm, term("2022-12-10", "2023-12-10"),
			"the lease 2022-12-10 – 2023-12-09 covers less than one whole month of the program period 2022-01-01 – 2022-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Judge(tibet2022, tibetParams(), tt.tenant, lease(tt.edit)).Text)
		})
	}
}

func TestJudgeWithoutLandlords(t *testing.T) {
	d := Judge(tibet2022, DefaultParams(), lhasaFirm, lease())
	require.Equal(t, ReasonLandlordNotListed, d.Reason, "an empty register admits nobody")
}
