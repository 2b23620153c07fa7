package freight

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestJudge(t *testing.T) {
	qinghai := Scope{Region: "630000", PeriodStart: day("2023-01-01"), PeriodEnd: day("2024-01-01")}
	qinghaiParams := Params{Rate: dec("0.50"), YearlyCap: dec("500000.00"),
		ProductCategories: []string{"wolfberry"}, ExcludedModes: []string{Rail}}
	xiningFirm := Applicant{Industry: "industry", Region: "630100"}
	inQinghai := func(s *Shipment) {
		s.ShipDate, s.OriginRegion, s.DestinationRegion, s.ProductCategory = day("2023-05-01"), "630104", "610100", "wolfberry"
	}

	tests := []struct {
		name      string
		scope     Scope
		params    Params
		applicant Applicant
		lines     []Shipment
		want      []claim.Reason // "" for eligible
	}{
		{"eligible road shipment out of Tibet", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00")}, []claim.Reason{""}},
		{"rail excluded", tibet2024, excl(Rail), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.Mode = Rail })},
			[]claim.Reason{ReasonModeExcluded}},
		{"rail allowed when nothing is excluded", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.Mode = Rail })},
			[]claim.Reason{""}},
		{"destination inside region", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.DestinationRegion = "540200" })},
			[]claim.Reason{ReasonDestinationInsideRegion}},
		{"origin outside region", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.OriginRegion = "630100" })},
			[]claim.Reason{ReasonOriginOutsideRegion}},
		{"ship date on period start is inside", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ShipDate = day("2024-01-01") })},
			[]claim.Reason{""}},
		{"ship date on last day is inside", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) {
				s.ShipDate = time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC)
			})},
			[]claim.Reason{""}},
		{"ship date on period end is outside", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ShipDate = day("2025-01-01") })},
			[]claim.Reason{ReasonShipDateOutsidePeriod}},
		{"ship date the day before the period is outside", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ShipDate = day("2023-12-31") })},
			[]claim.Reason{ReasonShipDateOutsidePeriod}},
		{"category not listed", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ProductCategory = "cement" })},
			[]claim.Reason{ReasonCategoryNotListed}},
		{"category match is exact", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ProductCategory = "Yak_Meat" })},
			[]claim.Reason{ReasonCategoryNotListed}},
		{"duplicate waybill in same claim", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00"), shipment(" w1 ", "I2", "500.00")},
			[]claim.Reason{"", ReasonDuplicateInClaim}},
		{"same waybill number from another carrier is not a duplicate", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00"),
				shipment("W1", "I2", "500.00", func(s *Shipment) { s.Carrier = "SF Express" })},
			[]claim.Reason{"", ""}},
		{"duplicate invoice in same claim", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "INV-7", "1000.00"), shipment("W2", "inv-7", "500.00")},
			[]claim.Reason{"", ReasonDuplicateInClaim}},
		{"duplicate of a refused earlier line is still a duplicate", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ProductCategory = "cement" }),
				shipment("W1", "I2", "1000.00")},
			[]claim.Reason{ReasonCategoryNotListed, ReasonDuplicateInClaim}},
		{"first failing rule wins: date before destination", tibet2024, tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) {
				s.ShipDate, s.DestinationRegion = day("2025-02-01"), "540100"
			})},
			[]claim.Reason{ReasonShipDateOutsidePeriod}},
		{"first failing rule wins: category before mode", tibet2024, excl(Rail), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.ProductCategory, s.Mode = "cement", Rail })},
			[]claim.Reason{ReasonCategoryNotListed}},
		{"applicant not industrial refuses every line", tibet2024, tibetParams(),
			Applicant{Industry: "retail", Region: "540102"},
			[]Shipment{shipment("W1", "I1", "1000.00"), shipment("W2", "I2", "1.00")},
			[]claim.Reason{ReasonApplicantNotIndustrial, ReasonApplicantNotIndustrial}},
		{"applicant outside region refuses every line", tibet2024, tibetParams(),
			Applicant{Industry: "industry", Region: "630100"},
			[]Shipment{shipment("W1", "I1", "1000.00"), shipment("W2", "I2", "1.00")},
			[]claim.Reason{ReasonApplicantOutsideRegion, ReasonApplicantOutsideRegion}},
		{"partial claim", tibet2024, excl(Air), lhasaFirm,
			[]Shipment{
				shipment("W1", "I1", "1000.00"),
				shipment("W2", "I2", "2000.00", func(s *Shipment) { s.Mode = Air }),
				shipment("W3", "I3", "300.50", func(s *Shipment) { s.Mode = Multimodal }),
				shipment("W4", "I4", "10.00", func(s *Shipment) { s.DestinationRegion = "540100" }),
			},
			[]claim.Reason{"", ReasonModeExcluded, "", ReasonDestinationInsideRegion}},
		{"Qinghai-style program excluding rail", qinghai, qinghaiParams, xiningFirm,
			[]Shipment{
				shipment("Q1", "QI1", "800.00", inQinghai),
				shipment("Q2", "QI2", "900.00", inQinghai, func(s *Shipment) { s.Mode = Rail }),
				shipment("Q3", "QI3", "700.00", inQinghai, func(s *Shipment) { s.Mode = Multimodal }),
			},
			[]claim.Reason{"", ReasonModeExcluded, ""}},
		{"a Tibet shipment in a Qinghai program", qinghai, qinghaiParams, xiningFirm,
			[]Shipment{shipment("Q1", "QI1", "800.00", inQinghai, func(s *Shipment) { s.OriginRegion = "540102" })},
			[]claim.Reason{ReasonOriginOutsideRegion}},
		{"city-level program: a shipment to another Tibetan city leaves the region",
			Scope{Region: "540100", PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01")},
			tibetParams(), lhasaFirm,
			[]Shipment{shipment("W1", "I1", "1000.00", func(s *Shipment) { s.DestinationRegion = "540200" })},
			[]claim.Reason{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Judge(tt.scope, tt.params, tt.applicant, tt.lines)
			require.Len(t, got, len(tt.want))
			for i, d := range got {
				require.Equal(t, i, d.Index)
				require.Equal(t, tt.want[i], d.Reason, "line %d: %s", i, d.Text)
				require.Equal(t, tt.want[i] == "", d.Eligible, "line %d", i)
				require.NotEmpty(t, d.Text, "line %d", i)
				if d.Eligible {
					require.True(t, d.Basis.Equal(tt.lines[i].Amount), "line %d basis", i)
				} else {
					require.True(t, d.Basis.IsZero(), "line %d basis", i)
				}
			}
		})
	}
}

func TestJudgeTexts(t *testing.T) {
	lines := []Shipment{
		shipment("W1", "I1", "1000.50"),
		shipment("w1", "I2", "1.00"),
		shipment("W3", "I3", "1.00", func(s *Shipment) { s.ShipDate = day("2025-01-01") }),
		shipment("W4", "I4", "1.00", func(s *Shipment) { s.Mode = Rail }),
	}
	got := Judge(tibet2024, excl(Rail), lhasaFirm, lines)
	require.Equal(t, "eligible: freight of 1000.50 counts towards the subsidy", got[0].Text)
	require.Equal(t, "waybill CHINA RAILWAY EXPRESS/W1 already appears on line 1 of this claim", got[1].Text)
	require.Equal(t, "ship date 2025-01-01 is outside the program period 2024-01-01 to 2024-12-31", got[2].Text)
	require.Equal(t, "transport mode rail is excluded by this program", got[3].Text)
}

func excl(modes ...string) Params {
	p := tibetParams()
	p.ExcludedModes = modes
	return p
}

func TestJudgeNoLines(t *testing.T) {
	require.Empty(t, Judge(tibet2024, tibetParams(), lhasaFirm, nil))
}
