package sizeclass

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// standard is POLICIES.md's table written out again, independently of rules, so a typo in
// either shows up as a failing boundary. Figures are in the order of the measures.
var standard = []struct {
	industry               string
	measures               string // letters: E employees, R revenue, A assets
	ceiling, medium, small []int64
}{
	{"agriculture", "R", []int64{20000}, []int64{500}, []int64{50}},
	{"industry", "ER", []int64{1000, 40000}, []int64{300, 2000}, []int64{20, 300}},
	{"construction", "RA", []int64{80000, 80000}, []int64{6000, 5000}, []int64{300, 300}},
	{"wholesale", "ER", []int64{200, 40000}, []int64{20, 5000}, []int64{5, 1000}},
	{"retail", "ER", []int64{300, 20000}, []int64{50, 500}, []int64{10, 100}},
	{"transport", "ER", []int64{1000, 30000}, []int64{300, 3000}, []int64{20, 200}},
	{"warehousing", "ER", []int64{200, 30000}, []int64{100, 1000}, []int64{20, 100}},
	{"postal", "ER", []int64{1000, 30000}, []int64{300, 2000}, []int64{20, 100}},
	{"accommodation", "ER", []int64{300, 10000}, []int64{100, 2000}, []int64{10, 100}},
	{"catering", "ER", []int64{300, 10000}, []int64{100, 2000}, []int64{10, 100}},
	{"information_transmission", "ER", []int64{2000, 100000}, []int64{100, 1000}, []int64{10, 100}},
	{"software_it", "ER", []int64{300, 10000}, []int64{100, 1000}, []int64{10, 50}},
	{"real_estate", "RA", []int64{200000, 10000}, []int64{1000, 5000}, []int64{100, 2000}},
	{"property_management", "ER", []int64{1000, 5000}, []int64{300, 1000}, []int64{100, 500}},
	{"leasing_business", "EA", []int64{300, 120000}, []int64{100, 8000}, []int64{10, 100}},
	{"other", "E", []int64{300}, []int64{100}, []int64{10}},
}

type boundaryCase struct {
	name string
	in   Inputs
	want Class
}

// inputsAt sets each measure to its figure; measures the row does not use stay 0.
func inputsAt(industry, measures string, figs []int64) Inputs {
	in := Inputs{Industry: industry, Revenue: decimal.Zero, Assets: decimal.Zero}
	for i, m := range measures {
		in = with(in, m, decimal.NewFromInt(figs[i]))
	}
	return in
}

func with(in Inputs, m rune, v decimal.Decimal) Inputs {
	switch m {
	case 'E':
		in.Employees = int(v.IntPart())
	case 'R':
		in.Revenue = v
	case 'A':
		in.Assets = v
	}
	return in
}

// justBelow is the largest value under a limit: one person, or 0.01 (100 CNY) of 10k CNY.
func justBelow(m rune, limit int64) decimal.Decimal {
	if m == 'E' {
		return decimal.NewFromInt(limit - 1)
	}
	return decimal.NewFromInt(limit).Sub(decimal.RequireFromString("0.01"))
}

// boundaryCases builds, for every industry and every row (ceiling, medium, small), one case
// with all figures at the row's limits and one per figure just below its limit.
func boundaryCases(t *testing.T) []boundaryCase {
	var cases []boundaryCase
	for _, s := range standard {
		tiers := []struct {
			label      string
			figs       []int64
			at, belowC Class
		}{
			{"ceiling", s.ceiling, Large, Medium},
			{"medium", s.medium, Medium, Small},
			{"small", s.small, Small, Micro},
		}
		for ti, tier := range tiers {
			if ti < 2 { // just below this tier must still reach the next tier down
				for i := range s.measures {
					require.Greater(t, tier.figs[i], tiers[ti+1].figs[i], "%s table order", s.industry)
				}
			}
			cases = append(cases, boundaryCase{
				name: fmt.Sprintf("%s/%s/all at %v is %s", s.industry, tier.label, tier.figs, tier.at),
				in:   inputsAt(s.industry, s.measures, tier.figs),
				want: tier.at,
			})
			for i, m := range s.measures {
				below := justBelow(m, tier.figs[i])
				cases = append(cases, boundaryCase{
					name: fmt.Sprintf("%s/%s/%c just below %d is %s", s.industry, tier.label, m, tier.figs[i], tier.belowC),
					in:   with(inputsAt(s.industry, s.measures, tier.figs), m, below),
					want: tier.belowC,
				})
			}
		}
	}
	return cases
}

func TestClassifyAtEveryBoundary(t *testing.T) {
	cases := boundaryCases(t)
	require.Len(t, cases, 16*3+14*3*2+2*3) // a case per row, plus one per figure per row
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Classify(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestStandardCoversEveryIndustry(t *testing.T) {
	require.Len(t, Industries, 16)
	require.Len(t, standard, len(Industries))
	for i, s := range standard {
		ind, ok := ParseIndustry(s.industry)
		require.True(t, ok, s.industry)
		require.Equal(t, Industries[i], ind)
	}
}

func TestClassify(t *testing.T) {
	dec := decimal.RequireFromString
	tests := []struct {
		name string
		in   Inputs
		want Class
		err  error
	}{
		{"nothing at all is micro", Inputs{Industry: "industry"}, Micro, nil},
		{"one ceiling is enough to be an SME: many staff, little revenue",
			Inputs{Industry: "industry", Employees: 5000, Revenue: dec("39999.99")}, Medium, nil},
		{"one ceiling is enough to be an SME: few staff, large revenue",
			Inputs{Industry: "industry", Employees: 999, Revenue: dec("1000000")}, Medium, nil},
		{"large staff but revenue under small threshold is micro",
			Inputs{Industry: "industry", Employees: 900, Revenue: dec("299.99")}, Micro, nil},
		{"agriculture ignores employees",
			Inputs{Industry: "agriculture", Employees: 100000, Revenue: dec("49")}, Micro, nil},
		{"other ignores revenue and assets",
			Inputs{Industry: "other", Employees: 9, Revenue: dec("9999999"), Assets: dec("9999999")}, Micro, nil},
		{"construction ignores employees",
			Inputs{Industry: "construction", Employees: 100000, Revenue: dec("6000"), Assets: dec("5000")}, Medium, nil},
		{"leasing uses assets, not revenue",
			Inputs{Industry: "leasing_business", Employees: 10, Revenue: dec("0"), Assets: dec("100")}, Small, nil},
		{"fractional revenue at a threshold counts",
			Inputs{Industry: "retail", Employees: 10, Revenue: dec("100.00")}, Small, nil},
		{"negative employees refused", Inputs{Industry: "retail", Employees: -1}, "", ErrNegative},
		{"negative revenue refused", Inputs{Industry: "retail", Revenue: dec("-0.01")}, "", ErrNegative},
		{"negative assets refused even where unused", Inputs{Industry: "retail", Assets: dec("-1")}, "", ErrNegative},
		{"unknown industry refused", Inputs{Industry: "mining"}, "", ErrUnknownIndustry},
		{"industry is case sensitive", Inputs{Industry: "Industry"}, "", ErrUnknownIndustry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Classify(tt.in)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestClassPredicates(t *testing.T) {
	tests := []struct {
		class             Class
		sme, smallOrMicro bool
	}{
		{Large, false, false},
		{Medium, true, false},
		{Small, true, true},
		{Micro, true, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.class), func(t *testing.T) {
			require.Equal(t, tt.sme, tt.class.IsSME())
			require.Equal(t, tt.smallOrMicro, tt.class.IsSmallOrMicro())
		})
	}
}
