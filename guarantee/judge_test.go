package guarantee

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func TestJudge(t *testing.T) {
	counter := func(c *Contract) { c.CounterGuarantee = true }
	review := func(c *Contract) { c.ReviewFee = true }
	rate := func(r string) func(*Contract) { return func(c *Contract) { c.FeeRate = dec(r) } }
	tests := []struct {
		name        string
		scope       Scope
		institution string
		lines       []Contract
		want        []claim.Reason // "" for eligible
		basis       []string       // each eligible line's basis, to the fen
	}{
		{"medium borrower over the whole year", datong2023, datongGuarantee,
			[]Contract{contract("G-1")}, []claim.Reason{""}, []string{"5000.00"}},
		{"borrower registered as small although claimed medium", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(smallFirm, "medium"), counter)},
			[]claim.Reason{ReasonCounterGuaranteeRequired}, nil},
		{"borrower registered as medium although claimed small", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(mediumFirm, "small"), counter, review)},
			[]claim.Reason{""}, []string{"5000.00"}},
		{"unregistered borrower is judged by its claimed class", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(unregistered, "micro"), review)},
			[]claim.Reason{ReasonReviewFeeCharged}, nil},
		{"large borrower refused", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(largeFirm, "large"))}, []claim.Reason{ReasonBorrowerNotSME}, nil},
		{"borrower registered as large although claimed small", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(largeFirm, "small"))}, []claim.Reason{ReasonBorrowerNotSME}, nil},
		{"unregistered borrower claimed large", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(unregistered, "large"))}, []claim.Reason{ReasonBorrowerNotSME}, nil},
		{"individual business refused whatever is claimed", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(shop, "micro"))}, []claim.Reason{ReasonBorrowerNotSME}, nil},
		{"fee rate of exactly 1 % is allowed", datong2023, datongGuarantee,
			[]Contract{contract("G-1", rate("0.01"))}, []claim.Reason{""}, []string{"5000.00"}},
		{"fee rate above 1 %", datong2023, datongGuarantee,
			[]Contract{contract("G-1", rate("0.0101"))}, []claim.Reason{ReasonFeeRateAboveMax}, nil},
		{"counter-guarantee required of a micro borrower", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(microFirm, "micro"), counter)},
			[]claim.Reason{ReasonCounterGuaranteeRequired}, nil},
		{"counter-guarantee of a medium borrower is allowed", datong2023, datongGuarantee,
			[]Contract{contract("G-1", counter)}, []claim.Reason{""}, []string{"5000.00"}},
		{"review fee charged to a small borrower", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(smallFirm, "small"), review)},
			[]claim.Reason{ReasonReviewFeeCharged}, nil},
		{"review fee of a medium borrower is allowed", datong2023, datongGuarantee,
			[]Contract{contract("G-1", review)}, []claim.Reason{""}, []string{"5000.00"}},
		{"small borrower without counter-guarantee or review fee", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(smallFirm, "small"))}, []claim.Reason{""}, []string{"5000.00"}},
		{"guarantee outside the program year", datong2023, datongGuarantee,
			[]Contract{contract("G-1", term("2022-01-01", "2023-01-01"))},
			[]claim.Reason{ReasonGuaranteeOutsidePeriod}, nil},
		{"guarantee starting on the period's end day is outside", datong2023, datongGuarantee,
			[]Contract{contract("G-1", term("2024-01-01", "2025-01-01"))},
			[]claim.Reason{ReasonGuaranteeOutsidePeriod}, nil},
		{"guarantee overlapping the year's end counts days in the year only", datong2023, datongGuarantee,
			[]Contract{contract("G-1", term("2023-07-01", "2024-07-01"))}, []claim.Reason{""},
			[]string{"2520.55"}}, // 184 days: 1000000.00 × 0.005 × 184 / 365
		{"guarantee overlapping the year's start counts days in the year only", datong2023, datongGuarantee,
			[]Contract{contract("G-1", term("2022-07-01", "2023-07-01"))}, []claim.Reason{""},
			[]string{"2479.45"}}, // 181 days
		{"a guarantee on the last day of the year counts one day", datong2023, datongGuarantee,
			[]Contract{contract("G-1", term("2023-12-31", "2024-01-01"))}, []claim.Reason{""},
			[]string{"13.70"}}, // 5000 / 365
		{"leap year 366-day year still divides by 365", datong2024, datongGuarantee,
			[]Contract{contract("G-1", term("2024-01-01", "2025-01-01"))}, []claim.Reason{""},
			[]string{"5013.70"}}, // 1000000.00 × 0.005 × 366 / 365
		{"fee paid limits the line", datong2023, datongGuarantee,
			[]Contract{contract("G-1", func(c *Contract) { c.FeePaid = dec("2000.00") })}, []claim.Reason{""},
			[]string{"2000.00"}},
		{"contract repeated in the claim", datong2023, datongGuarantee,
			[]Contract{contract("G-1"), contract(" g-1 ", borrower(smallFirm, "small"))},
			[]claim.Reason{"", ReasonDuplicateInClaim}, []string{"5000.00", ""}},
		{"contract repeated after a refused line is still a duplicate", datong2023, datongGuarantee,
			[]Contract{contract("G-1", rate("0.02")), contract("G-2"), contract("G-1")},
			[]claim.Reason{ReasonFeeRateAboveMax, "", ReasonDuplicateInClaim}, []string{"", "5000.00", ""}},
		{"institution not on the list refuses every line", datong2023, otherInstitute,
			[]Contract{contract("G-1"), contract("G-2")},
			[]claim.Reason{ReasonInstitutionNotListed, ReasonInstitutionNotListed}, nil},
		{"first failing rule wins: borrower before fee rate", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(largeFirm, "large"), rate("0.02"))},
			[]claim.Reason{ReasonBorrowerNotSME}, nil},
		{"first failing rule wins: fee rate before counter-guarantee", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(microFirm, "micro"), rate("0.02"), counter)},
			[]claim.Reason{ReasonFeeRateAboveMax}, nil},
		{"first failing rule wins: counter-guarantee before review fee", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(microFirm, "micro"), counter, review)},
			[]claim.Reason{ReasonCounterGuaranteeRequired}, nil},
		{"first failing rule wins: review fee before period", datong2023, datongGuarantee,
			[]Contract{contract("G-1", borrower(microFirm, "micro"), review, term("2020-01-01", "2021-01-01"))},
			[]claim.Reason{ReasonReviewFeeCharged}, nil},
		{"first failing rule wins: period before duplicate", datong2023, datongGuarantee,
			[]Contract{contract("G-1"), contract("G-1", term("2020-01-01", "2021-01-01"))},
			[]claim.Reason{"", ReasonGuaranteeOutsidePeriod}, []string{"5000.00", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Judge(tt.scope, datongParams(), tt.institution, registry, tt.lines)
			require.Len(t, got, len(tt.want))
			for i, d := range got {
				require.Equal(t, i, d.Index)
				require.Equal(t, tt.want[i], d.Reason, "line %d: %s", i, d.Text)
				require.Equal(t, tt.want[i] == "", d.Eligible, "line %d", i)
				require.NotEmpty(t, d.Text, "line %d", i)
				if d.Eligible {
					require.Equal(t, tt.basis[i], money.Format(d.Basis), "line %d basis %s", i, d.Basis)
				} else {
					require.True(t, d.Basis.IsZero(), "line %d basis %s", i, d.Basis)
				}
			}
		})
	}
}

func TestJudgeTexts(t *testing.T) {
	tests := []struct {
		name        string
		institution string
		edit        func(*Contract)
		want        string
	}{
		{"eligible, registry agrees", datongGuarantee, func(*Contract) {},
			"eligible: 365 days in the period; 1000000.00 × 0.005 × 365 / 365 ≈ 5000.00"},
		{"eligible, registry differs", datongGuarantee, borrower(mediumFirm, "small"),
			"eligible: 365 days in the period; 1000000.00 × 0.005 × 365 / 365 ≈ 5000.00; " +
				"registry says medium, claim says small"},
		{"eligible, limited by the fee", datongGuarantee, func(c *Contract) { c.FeePaid = dec("2000.00") },
			"eligible: 365 days in the period; 1000000.00 × 0.005 × 365 / 365 ≈ 5000.00, limited to the fee paid 2000.00"},
		{"eligible, not registered", datongGuarantee, borrower(unregistered, "medium"),
			"eligible: 365 days in the period; 1000000.00 × 0.005 × 365 / 365 ≈ 5000.00; " +
				"borrower not in the registry: its claimed class medium is used"},
		{"refused by the registry's class", datongGuarantee,
			func(c *Contract) { borrower(smallFirm, "medium")(c); c.CounterGuarantee = true },
			"a counter-guarantee was required of a small borrower; small and micro borrowers must not be asked for one; " +
				"registry says small, claim says medium"},
		{"review fee", datongGuarantee, func(c *Contract) { borrower(microFirm, "micro")(c); c.ReviewFee = true },
			"a review fee was charged to a micro borrower; small and micro borrowers must not be charged one"},
		{"large by the registry", datongGuarantee, borrower(largeFirm, "large"),
			"the borrower is large by the registry; only SMEs (medium, small, micro) qualify"},
		{"large as claimed", datongGuarantee, borrower(unregistered, "large"),
			"the borrower is large as claimed; only SMEs (medium, small, micro) qualify; " +
				"borrower not in the registry: its claimed class large is used"},
		{"individual business", datongGuarantee, borrower(shop, "micro"),
			"the borrower is an individual business (个体工商户), which has no size class; only SMEs qualify; " +
				"registry gives no size class, claim says micro"},
		{"fee rate", datongGuarantee, func(c *Contract) { c.FeeRate = dec("0.0101") },
			"the annual fee rate 0.0101 is above the program's maximum 0.01"},
		{"outside the period", datongGuarantee, term("2022-01-01", "2023-01-01"),
			"the guarantee 2022-01-01 – 2022-12-31 shares no day with the program period 2023-01-01 – 2023-12-31"},
		{"institution", otherInstitute, borrower(smallFirm, "medium"),
			"institution " + otherInstitute + " is not on the program's list of guarantee institutions; " +
				"registry says small, claim says medium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Judge(datong2023, datongParams(), tt.institution, registry, []Contract{contract("G-1", tt.edit)})
			require.Equal(t, tt.want, got[0].Text)
		})
	}
	dup := Judge(datong2023, datongParams(), datongGuarantee, registry, []Contract{contract("g-1"), contract("G-1 ")})
	require.Equal(t, "contract G-1 already appears on line 1 of this claim", dup[1].Text)
}

func TestJudgeWithoutInstitutions(t *testing.T) {
	d := Judge(datong2023, DefaultParams(), datongGuarantee, registry, []Contract{contract("G-1")})
	require.Equal(t, ReasonInstitutionNotListed, d[0].Reason, "an empty list admits nobody")
}

func TestJudgeWithoutRegistry(t *testing.T) {
	d := Judge(datong2023, datongParams(), datongGuarantee, nil,
		[]Contract{contract("G-1", borrower(largeFirm, "small"), func(c *Contract) { c.CounterGuarantee = true })})
	require.Equal(t, ReasonCounterGuaranteeRequired, d[0].Reason, "with no borrowers looked up, the claimed class is used")
	require.Equal(t, "a counter-guarantee was required of a small borrower; small and micro borrowers must not be asked for one; "+
		"registry not consulted: the claimed class small is used", d[0].Text)
}

func TestJudgeNoLines(t *testing.T) {
	require.Empty(t, Judge(datong2023, datongParams(), datongGuarantee, registry, nil))
}
