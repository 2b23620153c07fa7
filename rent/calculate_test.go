package rent

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func TestCalculate(t *testing.T) {
	tests := []struct {
		name               string
		edit               func(*Lease)
		inPeriod, months   int64
		raw, want          string
		wantReason         claim.Reason
		monthsNoteContains string
	}{
		{"risk county gets 6 months", func(*Lease) {}, 12, 6, "30000", "30000.00", "", "on the risk list"},
		{"other county gets 3 months", func(l *Lease) { l.County = "540103" }, 12, 3, "15000", "15000.00", "",
			"not on the risk list"},
		{"lease covers only 2 whole months of the year", term("2022-10-20", "2023-06-01"), 2, 2, "10000",
			"10000.00", "", "limited to the lease's 2 whole months"},
		{"odd cents are exact", func(l *Lease) { l.MonthlyRent = dec("3333.33") }, 12, 6, "19999.98",
			"19999.98", "", "6 for county 540102"},
		{"waiver rounds half up once", func(l *Lease) { l.MonthlyRent, l.County = dec("100.125"), "540103" }, 12, 3, "300.375",
			"300.38", "", ""}, // rounding each month first would give 3 × 100.13 = 300.39
		{"six tenths of a fen round up to a fen", func(l *Lease) { l.MonthlyRent = dec("0.001") }, 12, 6, "0.006",
			"0.01", "", ""},
		{"a third of a fen rounds to zero", func(l *Lease) { l.MonthlyRent = dec("0.001"); l.County = "540103" },
			12, 3, "0.003", "0.00", ReasonRoundsToZero, ""},
		{"largest rent stays exact", func(l *Lease) { l.MonthlyRent = dec("999999999999999999.99") }, 12, 6,
			"5999999999999999999.94", "5999999999999999999.94", "", ""},
		{"refused lease waives nothing and carries its reason", func(l *Lease) { l.LandlordCreditCode = privateOwner },
			12, 0, "0", "0.00", ReasonLandlordNotListed, "none: the lease is refused (landlord_not_listed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lease(tt.edit)
			d := Judge(tibet2022, tibetParams(), lhasaFirm, l)
			a := Calculate(tibet2022, tibetParams(), l, d)

			require.Equal(t, RuleVersion, a.RuleVersion)
			require.Equal(t, tt.want, money.Format(a.Amount))
			require.True(t, a.Amount.Equal(dec(tt.want)))
			require.Equal(t, tt.wantReason, a.Reason)
			require.Equal(t, tt.wantReason != "", a.Text != "", "a refusal carries a text")
			require.Equal(t, tt.wantReason == "", a.Eligible())
			require.Equal(t, []claim.LineDecision{d}, a.Lines)

			require.Len(t, a.Steps, 5)
			labels := []string{a.Steps[0].Label, a.Steps[1].Label, a.Steps[2].Label, a.Steps[3].Label, a.Steps[4].Label}
			require.Equal(t, []string{"whole months of the lease in the period", "months waived", "monthly rent",
				"waiver before rounding", "waiver (rounded half up)"}, labels)
			require.Equal(t, tt.inPeriod, a.Steps[0].Value.IntPart())
			require.Equal(t, tt.months, a.Steps[1].Value.IntPart())
			require.Contains(t, a.Steps[1].Note, tt.monthsNoteContains)
			require.True(t, a.Steps[2].Value.Equal(l.MonthlyRent))
			require.True(t, a.Steps[3].Value.Equal(dec(tt.raw)), "raw %s", a.Steps[3].Value)
			require.True(t, a.Steps[4].Value.Equal(a.Amount))
		})
	}
}

func TestCalculateAfterMarkClaimed(t *testing.T) {
	l := lease()
	d := Judge(tibet2022, tibetParams(), lhasaFirm, l)
	MarkClaimed(&d, "clm_first")
	a := Calculate(tibet2022, tibetParams(), l, d)
	require.Equal(t, "0.00", money.Format(a.Amount))
	require.Equal(t, ReasonAlreadyClaimed, a.Reason)
	require.Equal(t, "lease contract already claimed by claim clm_first", a.Text)
	require.Equal(t, "clm_first", a.Lines[0].Conflict)
}

func TestCalculateNotes(t *testing.T) {
	a := Calculate(tibet2022, tibetParams(), lease(term("2022-03-15", "2024-01-01")),
		Judge(tibet2022, tibetParams(), lhasaFirm, lease(term("2022-03-15", "2024-01-01"))))
	require.Equal(t, "calendar-month steps from 2022-03-15 within 2022-03-15 – 2022-12-31; "+
		"a part month at the end does not count", a.Steps[0].Note)
	require.Equal(t, "entitled to 6 for county 540102, on the risk list", a.Steps[1].Note)

	outside := lease(term("2019-01-01", "2020-01-01"))
	a = Calculate(tibet2022, tibetParams(), outside, Judge(tibet2022, tibetParams(), lhasaFirm, outside))
	require.Equal(t, "the lease 2019-01-01 – 2019-12-31 shares no day with the period 2022-01-01 – 2022-12-31",
		a.Steps[0].Note)
}
