package interest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func TestCalculatePeriod(t *testing.T) {
	tests := []struct {
		name           string
		loan           func(*Loan)
		period         Period
		report         func(*Report)
		extendedBefore bool
		atLPR          string // outstanding × LPR × days / 360, to 20 places
		basis          string // the exact subsidy before rounding
		want           string
		wantReason     claim.Reason
	}{
		{"interest at the LPR is below the interest paid: 1,000,000.00 × 3.65 % × 91 / 360",
			nil, q3, nil, false, "9226.38888888888888888889", "9226.38888888888888888889", "9226.39", ""},
		{"limited by the interest paid", nil, q3, func(r *Report) { r.InterestPaid = dec("9000.00") }, false,
			"9226.38888888888888888889", "9000", "9000.00", ""},
		{"interest paid a fen above the LPR's interest", nil, period(1, "2023-03-21", "2023-06-19"),
			func(r *Report) { r.InterestPaid = dec("9125.01") }, false, "9125", "9125", "9125.00", ""},
		{"interest paid equal to the LPR's interest", nil, period(1, "2023-03-21", "2023-06-19"),
			func(r *Report) { r.InterestPaid = dec("9125.00") }, false, "9125", "9125", "9125.00", ""},
		{"half a fen rounds up: 100.00 × 3.65 % × 36 / 360 = 0.365", nil, period(1, "2023-03-21", "2023-04-26"),
			func(r *Report) { r.OutstandingPrincipal = dec("100.00") }, false, "0.365", "0.365", "0.37", ""},
		{"just under half a fen rounds down: 99.99 × 3.65 % × 36 / 360", nil, period(1, "2023-03-21", "2023-04-26"),
			func(r *Report) { r.OutstandingPrincipal = dec("99.99") }, false, "0.3649635", "0.3649635", "0.36", ""},
		{"after partial repayment the outstanding principal counts", nil, period(2, "2023-06-21", "2023-09-21"),
			func(r *Report) { r.OutstandingPrincipal = dec("400000.00") }, false,
			"3731.11111111111111111111", "3731.11111111111111111111", "3731.11", ""},
		{"a quarter with a leap day has 91 days", nil, period(4, "2023-12-21", "2024-03-21"), nil, false,
			"9226.38888888888888888889", "9226.38888888888888888889", "9226.39", ""},
		{"the same quarter of a common year has 90 days", nil, period(4, "2022-12-21", "2023-03-21"), nil, false,
			"9125", "9125", "9125.00", ""},
		{"early repayment mid-period: 50 days", nil, period(5, "2024-03-21", "2024-05-10"), nil, false,
			"5069.44444444444444444444", "5069.44444444444444444444", "5069.44", ""},
		{"largest principal at the 2019 LPR", func(l *Loan) { l.Principal, l.StatedLPR = dec("3000000.00"), dec("0.0425") },
			period(2, "2020-06-21", "2020-09-21"), func(r *Report) { r.OutstandingPrincipal, r.InterestPaid = dec("3000000.00"), dec("40000.00") },
			false, "32583.33333333333333333333", "32583.33333333333333333333", "32583.33", ""},
		{"overdue in the period pays nothing", nil, q3, func(r *Report) { r.Overdue = true }, false,
			"9226.38888888888888888889", "0", "0.00", ReasonOverdue},
		{"extended in the period pays nothing", nil, q3, func(r *Report) { r.Extended = true }, false,
			"9226.38888888888888888889", "0", "0.00", ReasonExtended},
		{"extended in an earlier period pays nothing", nil, q3, nil, true,
			"9226.38888888888888888889", "0", "0.00", ReasonExtended},
		{"extension is reported before overdue", nil, q3, func(r *Report) { r.Overdue = true }, true,
			"9226.38888888888888888889", "0", "0.00", ReasonExtended},
		{"outstanding principal above the loan's", nil, q3, func(r *Report) { r.OutstandingPrincipal = dec("1000000.01") },
			false, "9226.38898115277777777778", "0", "0.00", ReasonOutstandingAbovePrincipal},
		{"no interest paid rounds to zero", nil, q3, func(r *Report) { r.InterestPaid = dec("0") }, false,
			"9226.38888888888888888889", "0", "0.00", ReasonRoundsToZero},
		{"a third of a fen rounds to zero", nil, period(0, "2023-03-20", "2023-03-21"),
			func(r *Report) { r.OutstandingPrincipal = dec("0.10") }, false,
			"0.00001013888888888889", "0.00001013888888888889", "0.00", ReasonRoundsToZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := loan(orNothing(tt.loan))
			r := report(orNothing(tt.report))
			a := CalculatePeriod(l, tt.period, r, tt.extendedBefore)

			require.Equal(t, RuleVersion, a.RuleVersion)
			require.Equal(t, tt.want, money.Format(a.Amount))
			require.True(t, a.Amount.Equal(dec(tt.want)))
			require.Equal(t, tt.wantReason, a.Reason)
			require.Equal(t, tt.wantReason != "", a.Text != "", "a refusal carries a text")
			require.Equal(t, tt.wantReason == "", a.Eligible())

			require.Len(t, a.Lines, 1)
			line := a.Lines[0]
			require.Equal(t, 0, line.Index)
			require.True(t, line.Basis.Equal(dec(tt.basis)), "basis %s", line.Basis)
			require.NotEmpty(t, line.Text)

			require.Equal(t, []string{StepDays, StepOutstanding, StepStatedLPR, StepProduct, StepInterestAtLPR,
				StepInterestPaid, StepBeforeRounding, StepRounded}, labels(a.Steps))
			require.Equal(t, int64(tt.period.Days), a.Steps[0].Value.IntPart())
			require.True(t, a.Steps[1].Value.Equal(r.OutstandingPrincipal))
			require.True(t, a.Steps[2].Value.Equal(l.StatedLPR))
			require.True(t, a.Steps[3].Value.Equal(r.OutstandingPrincipal.Mul(l.StatedLPR).Mul(a.Steps[0].Value)))
			require.True(t, a.Steps[4].Value.Equal(dec(tt.atLPR)), "interest at the LPR %s", a.Steps[4].Value)
			require.True(t, a.Steps[5].Value.Equal(r.InterestPaid))
			require.True(t, a.Steps[6].Value.Equal(line.Basis))
			require.True(t, a.Steps[7].Value.Equal(a.Amount))
		})
	}
}

// Interest accrued day by day and rounded each day would pay 91 × 101.39 = 9226.49: the
// policy rounds once, the period's total.
func TestCalculateRoundsOnce(t *testing.T) {
	a := CalculatePeriod(loan(), q3, report(), false)
	require.Equal(t, "9226.39", money.Format(a.Amount))
}

func TestCalculateTexts(t *testing.T) {
	a := CalculatePeriod(loan(), q3, report(func(r *Report) { r.Overdue = true }), false)
	require.Equal(t, "the loan was overdue in the period 2023-09-21 – 2023-12-20 (逾期不贴息)", a.Text)
	require.Equal(t, "none: the period is refused (overdue_in_period)", a.Steps[6].Note)
	require.Equal(t, "2023-09-21 – 2023-12-20, both days included", a.Steps[0].Note)
	require.Equal(t, "3.65 %, as stated in the loan contract", a.Steps[2].Note)

	a = CalculatePeriod(loan(), q3, report(func(r *Report) { r.Extended = true }), false)
	require.Equal(t, "the loan was extended (展期) in this period: no subsidy from this period on", a.Text)
	a = CalculatePeriod(loan(), q3, report(), true)
	require.Equal(t, "the loan was extended (展期) in an earlier period: no subsidy from that period on", a.Text)

	a = CalculatePeriod(loan(), q3, report(func(r *Report) { r.OutstandingPrincipal = dec("1200000.00") }), false)
	require.Equal(t, "the outstanding principal 1200000.00 reported is more than the loan's principal 1000000.00", a.Text)

	a = CalculatePeriod(loan(), q3, report(), false)
	require.Equal(t, "eligible: interest at the stated LPR 3.65 % over 91 days, below the interest paid", a.Lines[0].Text)
	a = CalculatePeriod(loan(), q3, report(func(r *Report) { r.InterestPaid = dec("9000.00") }), false)
	require.Equal(t, "eligible: the interest paid 9000.00, at most the interest at the stated LPR 3.65 %", a.Lines[0].Text)

	a = CalculatePeriod(loan(), q3, report(func(r *Report) { r.InterestPaid = dec("0") }), false)
	require.Equal(t, "the subsidy for 2023-09-21 – 2023-12-20 rounds to 0.00 (interest paid 0.00)", a.Text)
}

func orNothing[T any](edit func(*T)) func(*T) {
	if edit == nil {
		return func(*T) {}
	}
	return edit
}

func labels(steps []claim.Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Label
	}
	return out
}
