package freight

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func eligible(amount string) claim.LineDecision {
	return claim.LineDecision{Eligible: true, Basis: dec(amount), Text: "eligible"}
}

func refused(r claim.Reason) claim.LineDecision {
	return claim.LineDecision{Reason: r, Basis: dec("0"), Text: string(r)}
}

func TestCalculate(t *testing.T) {
	tests := []struct {
		name       string
		rate       string
		lines      []claim.LineDecision
		sum, raw   string
		want       string
		wantReason claim.Reason
	}{
		{"one line at half", "0.50", []claim.LineDecision{eligible("1000.00")}, "1000", "500", "500.00", ""},
		{"rounding once, not per line: three lines of 0.01 pay 0.02", "0.50",
			[]claim.LineDecision{eligible("0.01"), eligible("0.01"), eligible("0.01")}, "0.03", "0.015", "0.02", ""},
		{"half a fen rounds up", "0.50", []claim.LineDecision{eligible("0.01")}, "0.01", "0.005", "0.01", ""},
		{"odd cents round half up", "0.50", []claim.LineDecision{eligible("333.33")}, "333.33", "166.665", "166.67", ""},
		{"many-place rate stays exact until the end", "0.33333333",
			[]claim.LineDecision{eligible("1000.00")}, "1000", "333.33333", "333.33", ""},
		{"partial claim sums only eligible lines", "0.50",
			[]claim.LineDecision{eligible("1000.00"), refused(ReasonModeExcluded), eligible("300.50"),
				refused(ReasonDuplicateInClaim)}, "1300.50", "650.25", "650.25", ""},
		{"yearly cap is not applied here", "0.50", []claim.LineDecision{eligible("2000000.00")},
			"2000000", "1000000", "1000000.00", ""},
		{"largest amounts stay exact", "0.50", []claim.LineDecision{eligible("999999999999999999.99")},
			"999999999999999999.99", "499999999999999999.995", "500000000000000000.00", ""},
		{"no eligible line", "0.50",
			[]claim.LineDecision{refused(ReasonModeExcluded), refused(ReasonCategoryNotListed)},
			"0", "0", "0.00", ReasonNoEligibleLine},
		{"same line-level reason everywhere is still no eligible line", "0.50",
			[]claim.LineDecision{refused(ReasonModeExcluded), refused(ReasonModeExcluded)},
			"0", "0", "0.00", ReasonNoEligibleLine},
		{"applicant not industrial on every line", "0.50",
			[]claim.LineDecision{refused(ReasonApplicantNotIndustrial), refused(ReasonApplicantNotIndustrial)},
			"0", "0", "0.00", ReasonApplicantNotIndustrial},
		{"applicant outside region on every line", "0.50",
			[]claim.LineDecision{refused(ReasonApplicantOutsideRegion)},
			"0", "0", "0.00", ReasonApplicantOutsideRegion},
		{"empty claim", "0.50", nil, "0", "0", "0.00", ReasonNoEligibleLine},
		{"subsidy rounding to zero pays nothing", "0.10", []claim.LineDecision{eligible("0.01")},
			"0.01", "0.001", "0.00", ReasonRoundsToZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			p.Rate = dec(tt.rate)
			a := Calculate(p, tt.lines)

			require.Equal(t, RuleVersion, a.RuleVersion)
			require.Equal(t, tt.want, money.Format(a.Amount))
			require.True(t, a.Amount.Equal(dec(tt.want)))
			require.Equal(t, tt.wantReason, a.Reason)
			require.Equal(t, tt.wantReason != "", a.Text != "", "a refusal carries a text")
			require.Equal(t, tt.wantReason == "", a.Eligible())
			require.Equal(t, len(tt.lines), len(a.Lines))

			require.Len(t, a.Steps, 4)
			labels := []string{a.Steps[0].Label, a.Steps[1].Label, a.Steps[2].Label, a.Steps[3].Label}
			require.Equal(t, []string{"eligible freight", "rate", "subsidy before rounding",
				"subsidy (rounded half up)"}, labels)
			require.True(t, a.Steps[0].Value.Equal(dec(tt.sum)), "sum %s", a.Steps[0].Value)
			require.True(t, a.Steps[1].Value.Equal(dec(tt.rate)))
			require.True(t, a.Steps[2].Value.Equal(dec(tt.raw)), "raw %s", a.Steps[2].Value)
			require.True(t, a.Steps[3].Value.Equal(a.Amount))
		})
	}
}

func TestCalculateAfterJudgeAndMarkClaimed(t *testing.T) {
	lines := []Shipment{
		shipment("W1", "I1", "1000.00"),
		shipment("W2", "I2", "2000.00", func(s *Shipment) { s.Mode = Rail }),
		shipment("W3", "I3", "300.50"),
		shipment("W4", "I4", "99.99"),
	}
	decisions := Judge(tibet2024, excl(Rail), lhasaFirm, lines)
	MarkClaimed(&decisions[3], "claim-17") // W4's waybill backs an earlier claim

	a := Calculate(excl(Rail), decisions)
	require.Equal(t, "650.25", money.Format(a.Amount)) // (1000.00 + 300.50) × 0.50
	require.Empty(t, a.Reason)
	require.Equal(t, ReasonModeExcluded, a.Lines[1].Reason)
	require.Equal(t, ReasonAlreadyClaimed, a.Lines[3].Reason)
	require.Equal(t, "claim-17", a.Lines[3].Conflict)
	require.Equal(t, "2 of 4 lines eligible, summed exactly", a.Steps[0].Note)

	// The cap is the reservation's business: 650.25 against 500000.00 with 499800.00 used.
	paid, capped := money.Cap(a.Amount, DefaultParams().YearlyCap, dec("499800.00"))
	require.True(t, capped)
	require.Equal(t, "200.00", money.Format(paid))
}

func TestCalculateDoesNotAliasDecisions(t *testing.T) {
	decisions := []claim.LineDecision{eligible("10.00")}
	a := Calculate(tibetParams(), decisions)
	a.Lines[0].Eligible = false
	require.True(t, decisions[0].Eligible)
}

func TestCalculateApplicantReasonText(t *testing.T) {
	decisions := Judge(tibet2024, tibetParams(), Applicant{Industry: "retail", Region: "540102"},
		[]Shipment{shipment("W1", "I1", "10.00")})
	a := Calculate(tibetParams(), decisions)
	require.Equal(t, ReasonApplicantNotIndustrial, a.Reason)
	require.Equal(t, `the applicant's industry is "retail"; only industrial enterprises (industry) qualify`, a.Text)
}
