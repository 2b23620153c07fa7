package guarantee

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func TestCalculate(t *testing.T) {
	oneDay := term("2023-06-01", "2023-06-02")
	small := func(amount string) func(*Contract) {
		return func(c *Contract) { c.GuaranteedAmount = dec(amount) }
	}
	tests := []struct {
		name        string
		scope       Scope
		subsidyRate string
		institution string
		lines       []Contract
		want        string // the claim's amount
		wantReason  claim.Reason
	}{
		{"one contract over the whole year", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1")}, "5000.00", ""},
		{"guarantee overlapping the year's end counts days in the year only", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1", term("2023-07-01", "2024-07-01"))}, "2520.55", ""}, // 920000 / 365
		{"leap year 366-day year still divides by 365", datong2024, "0.005", datongGuarantee,
			[]Contract{contract("G-1", term("2024-01-01", "2025-01-01"))}, "5013.70", ""}, // 1830000 / 365
		{"fee paid limits the line", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1", func(c *Contract) { c.FeePaid = dec("2000.00") })}, "2000.00", ""},
		{"claim total rounded once", datong2023, "0.005", datongGuarantee,
			// each line is 1000.00 × 0.005 / 365 = 0.0136986…: rounding each first would pay 0.03
			[]Contract{contract("G-1", small("1000.00"), oneDay), contract("G-2", small("1000.00"), oneDay),
				contract("G-3", small("1000.00"), oneDay)}, "0.04", ""},
		{"partial claim sums only eligible lines", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1"), contract("G-2", borrower(largeFirm, "large")),
				contract("G-3", func(c *Contract) { c.FeePaid = dec("2000.00") }),
				contract("G-4", term("2023-07-01", "2024-07-01"))},
			"9520.55", ""}, // 5000 + 2000 + 2520.547945…
		{"half a fen rounds up", datong2023, "0.5", datongGuarantee,
			[]Contract{contract("G-1", small("3.65"), oneDay)}, "0.01", ""}, // 1.825 / 365 = 0.005
		{"a hair below half a fen rounds to zero", datong2023, "0.49999999", datongGuarantee,
			// 3.65 × 0.49999999 / 365 = 0.0049999999: dividing to 8 places first would give 0.01
			[]Contract{contract("G-1", small("3.65"), oneDay)}, "0.00", ReasonRoundsToZero},
		{"yearly cap is not applied here", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1", small("500000000.00"), func(c *Contract) { c.FeePaid = dec("4000000.00") })},
			"2500000.00", ""},
		{"largest amounts stay exact", datong2023, "1", datongGuarantee,
			[]Contract{contract("G-1", small("999999999999999999.99"),
				func(c *Contract) { c.FeePaid = dec("999999999999999999.99") })},
			"999999999999999999.99", ""},
		{"no eligible line", datong2023, "0.005", datongGuarantee,
			[]Contract{contract("G-1", borrower(largeFirm, "large")), contract("G-2", term("2020-01-01", "2021-01-01"))},
			"0.00", ReasonNoEligibleLine},
		{"institution not on the list", datong2023, "0.005", otherInstitute,
			[]Contract{contract("G-1"), contract("G-2")}, "0.00", ReasonInstitutionNotListed},
		{"empty claim", datong2023, "0.005", datongGuarantee, nil, "0.00", ReasonNoEligibleLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datongParams()
			p.SubsidyRate = dec(tt.subsidyRate)
			decisions := Judge(tt.scope, p, tt.institution, registry, tt.lines)
			a := Calculate(tt.scope, p, tt.lines, decisions)

			require.Equal(t, RuleVersion, a.RuleVersion)
			require.Equal(t, tt.want, money.Format(a.Amount))
			require.True(t, a.Amount.Equal(dec(tt.want)))
			require.Equal(t, tt.wantReason, a.Reason)
			require.Equal(t, tt.wantReason != "", a.Text != "", "a refusal carries a text")
			require.Equal(t, tt.wantReason == "", a.Eligible())
			require.Equal(t, decisions, a.Lines)

			require.Len(t, a.Steps, 4)
			labels := []string{a.Steps[0].Label, a.Steps[1].Label, a.Steps[2].Label, a.Steps[3].Label}
			require.Equal(t, []string{"subsidy rate", "days in a year", "sum of line subsidies",
				"subsidy (rounded half up)"}, labels)
			require.True(t, a.Steps[0].Value.Equal(p.SubsidyRate))
			require.Equal(t, "365", a.Steps[1].Value.String())
			require.Equal(t, tt.want, money.Format(a.Steps[2].Value), "sum %s", a.Steps[2].Value)
			require.True(t, a.Steps[3].Value.Equal(a.Amount))
		})
	}
}

func TestCalculateNotesAndTexts(t *testing.T) {
	lines := []Contract{contract("G-1"), contract("G-2", func(c *Contract) { c.FeePaid = dec("2000.00") }),
		contract("G-3", borrower(largeFirm, "large"))}
	a := Calculate(datong2023, datongParams(), lines, Judge(datong2023, datongParams(), datongGuarantee, registry, lines))
	require.Equal(t, "7000.00", money.Format(a.Amount))
	require.Equal(t, "2 of 3 contracts eligible, each min(fee paid, guaranteed × rate × days / 365), "+
		"1 limited by the fee paid; summed exactly", a.Steps[2].Note)
	require.Equal(t, "rounded once to 0.01; the yearly cap of 2000000.00 per institution is applied when money is reserved",
		a.Steps[3].Note)

	// The claim's reason text leaves out the borrower note of its first line.
	refused := []Contract{contract("G-1", borrower(smallFirm, "medium"))}
	a = Calculate(datong2023, datongParams(), refused, Judge(datong2023, datongParams(), otherInstitute, registry, refused))
	require.Equal(t, "institution "+otherInstitute+" is not on the program's list of guarantee institutions", a.Text)

	tiny := []Contract{contract("G-1", func(c *Contract) { c.GuaranteedAmount = dec("0.01") }, term("2023-06-01", "2023-06-02"))}
	a = Calculate(datong2023, datongParams(), tiny, Judge(datong2023, datongParams(), datongGuarantee, registry, tiny))
	require.Equal(t, "the subsidy of 0.0000001369863 on the eligible contracts rounds to 0.00", a.Text)
}

func TestCalculateAfterMarkClaimed(t *testing.T) {
	lines := []Contract{contract("G-1"), contract("G-2", term("2023-07-01", "2024-07-01"))}
	decisions := Judge(datong2023, datongParams(), datongGuarantee, registry, lines)
	MarkClaimed(&decisions[0], "clm_first")
	a := Calculate(datong2023, datongParams(), lines, decisions)
	require.Equal(t, "2520.55", money.Format(a.Amount), "a contract another claim holds adds nothing")
	require.Equal(t, ReasonAlreadyClaimed, a.Lines[0].Reason)
	require.Equal(t, "clm_first", a.Lines[0].Conflict)

	// The cap is the reservation's business: 2520.55 against 2000000.00 with 1999000.00 used.
	paid, capped := money.Cap(a.Amount, DefaultParams().YearlyCap, dec("1999000.00"))
	require.True(t, capped)
	require.Equal(t, "1000.00", money.Format(paid))
}

func TestCalculateDoesNotAliasDecisions(t *testing.T) {
	lines := []Contract{contract("G-1")}
	decisions := Judge(datong2023, datongParams(), datongGuarantee, registry, lines)
	a := Calculate(datong2023, datongParams(), lines, decisions)
	a.Lines[0].Eligible = false
	require.True(t, decisions[0].Eligible)
}

// TestCalculateRoundsTheExactSum compares Calculate with the exact rational sum of the line
// subsidies rounded half up, over amounts, rates and day counts chosen to land near half a
// fen, so that dividing by 365 too coarsely anywhere would show.
func TestCalculateRoundsTheExactSum(t *testing.T) {
	amounts := []string{"0.01", "3.65", "7.30", "1234.57", "999999.99", "73.00"}
	rates := []string{"0.005", "0.5", "0.49999999", "0.33333333", "0.00000001", "1"}
	ends := []string{"2023-01-02", "2023-02-14", "2023-07-01", "2023-12-31", "2024-01-01"}
	for _, r := range rates {
		p := datongParams()
		p.SubsidyRate = dec(r)
		var lines []Contract
		for _, amt := range amounts {
			for _, end := range ends {
				lines = append(lines, contract(fmt.Sprintf("G-%d", len(lines)), term("2023-01-01", end),
					func(c *Contract) { c.GuaranteedAmount, c.FeePaid = dec(amt), dec("999999999.99") }))
				one := lines[len(lines)-1:]
				got := Calculate(datong2023, p, one, Judge(datong2023, p, datongGuarantee, registry, one))
				require.Equal(t, exactRounded(p, one), money.Format(got.Amount), "rate %s amount %s to %s", r, amt, end)
			}
		}
		got := Calculate(datong2023, p, lines, Judge(datong2023, p, datongGuarantee, registry, lines))
		require.Equal(t, exactRounded(p, lines), money.Format(got.Amount), "rate %s, all lines", r)
	}
}

// exactRounded is Σ min(fee paid, amount × rate × days / 365) in rationals, rounded half up
// to the fen, written independently of over365.
func exactRounded(p Params, lines []Contract) string {
	sum := new(big.Rat)
	for _, c := range lines {
		days := int64(OverlapDays(datong2023, c))
		line := new(big.Rat).Mul(c.GuaranteedAmount.Rat(), p.SubsidyRate.Rat())
		line.Mul(line, big.NewRat(days, DaysPerYear))
		if c.FeePaid.Rat().Cmp(line) < 0 {
			line = c.FeePaid.Rat()
		}
		sum.Add(sum, line)
	}
	// fen = floor(sum × 100 + 1/2)
	x := new(big.Rat).Add(new(big.Rat).Mul(sum, big.NewRat(100, 1)), big.NewRat(1, 2))
	fen := new(big.Int).Quo(x.Num(), x.Denom())
	return decimal.NewFromBigInt(fen, -2).StringFixed(2)
}
