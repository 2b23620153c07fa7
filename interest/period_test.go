package interest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// spans shows periods as "start..end(days)" with the half-open end, for readable diffs.
func spans(ps []Period) []string {
	var out []string
	for i, p := range ps {
		if p.Index != i {
			return []string{fmt.Sprintf("period %d has index %d", i, p.Index)}
		}
		out = append(out, fmt.Sprintf("%s..%s(%d)", dateText(p.Start), dateText(p.End), p.Days))
	}
	return out
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		want       []string
	}{
		{"start mid-quarter", "2023-05-10", "2023-12-01",
			[]string{"2023-05-10..2023-06-21(42)", "2023-06-21..2023-09-21(92)", "2023-09-21..2023-12-01(71)"}},
		{"start on a settlement date: a first period of one day", "2023-06-20", "2023-10-01",
			[]string{"2023-06-20..2023-06-21(1)", "2023-06-21..2023-09-21(92)", "2023-09-21..2023-10-01(10)"}},
		{"start on the 21st: whole quarters", "2023-06-21", "2023-12-21",
			[]string{"2023-06-21..2023-09-21(92)", "2023-09-21..2023-12-21(91)"}},
		{"maturity on a 21st: no empty last period", "2023-01-15", "2023-06-21",
			[]string{"2023-01-15..2023-03-21(65)", "2023-03-21..2023-06-21(92)"}},
		{"maturity on a settlement date excludes it", "2023-01-15", "2023-06-20",
			[]string{"2023-01-15..2023-03-21(65)", "2023-03-21..2023-06-20(91)"}},
		{"leap-year February", "2024-01-10", "2024-04-01",
			[]string{"2024-01-10..2024-03-21(71)", "2024-03-21..2024-04-01(11)"}},
		{"February of a common year", "2023-01-10", "2023-04-01",
			[]string{"2023-01-10..2023-03-21(70)", "2023-03-21..2023-04-01(11)"}},
		{"over a year end into a leap year", "2023-11-01", "2024-04-15",
			[]string{"2023-11-01..2023-12-21(50)", "2023-12-21..2024-03-21(91)", "2024-03-21..2024-04-15(25)"}},
		{"over a year end into a common year", "2022-12-21", "2023-03-21", []string{"2022-12-21..2023-03-21(90)"}},
		{"start on December 31", "2023-12-31", "2024-01-02", []string{"2023-12-31..2024-01-02(2)"}},
		{"early repayment mid-period truncates", "2023-03-15", "2023-07-10",
			[]string{"2023-03-15..2023-03-21(6)", "2023-03-21..2023-06-21(92)", "2023-06-21..2023-07-10(19)"}},
		{"a one-day loan", "2023-03-15", "2023-03-16", []string{"2023-03-15..2023-03-16(1)"}},
		{"repaid on its start day", "2023-03-15", "2023-03-15", nil},
		{"an end before the start", "2023-03-15", "2023-03-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := loan(func(l *Loan) { l.StartDate = day(tt.start) })
			require.Equal(t, tt.want, spans(Periods(l, day(tt.end))))
		})
	}
}

func TestPeriodsOfA36MonthLoan(t *testing.T) {
	tests := []struct {
		name, start, end string
		count            int
		first, last      string
	}{
		{"started mid-quarter: a short first and a short last period", "2023-03-15", "2026-03-15", 13,
			"2023-03-15..2023-03-21(6)", "2025-12-21..2026-03-15(84)"},
		{"started in a quarter's first month", "2023-01-15", "2026-01-15", 13,
			"2023-01-15..2023-03-21(65)", "2025-12-21..2026-01-15(25)"},
		{"started on the 21st: twelve whole quarters", "2023-03-21", "2026-03-21", 12,
			"2023-03-21..2023-06-21(92)", "2025-12-21..2026-03-21(90)"},
		{"started on the 20th: one day, then twelve quarters less a day", "2023-03-20", "2026-03-20", 13,
			"2023-03-20..2023-03-21(1)", "2025-12-21..2026-03-20(89)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Periods(loan(func(l *Loan) { l.StartDate = day(tt.start) }), day(tt.end))
			got := spans(ps)
			require.Len(t, got, tt.count)
			require.Equal(t, tt.first, got[0])
			require.Equal(t, tt.last, got[len(got)-1])
			total := 0
			for i, p := range ps {
				total += p.Days
				if i > 0 {
					require.Equal(t, ps[i-1].End, p.Start, "periods follow each other without gap or overlap")
				}
				if i < len(ps)-1 {
					require.Equal(t, SettlementDay, p.LastDay().Day(), "every period but the last ends on the 20th")
					require.Contains(t, []time.Month{3, 6, 9, 12}, p.LastDay().Month())
				}
			}
			require.Equal(t, days(day(tt.start), day(tt.end)), total, "the periods cover the loan's days exactly")
		})
	}
}

func TestPeriodsOfALoanWithoutStart(t *testing.T) {
	require.Nil(t, Periods(loan(func(l *Loan) { l.StartDate = time.Time{} }), day("2023-03-15")))
}

func TestPeriodsReadCalendarDates(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	l := loan(func(l *Loan) { l.StartDate = time.Date(2023, 6, 20, 0, 30, 0, 0, cst) })
	got := Periods(l, time.Date(2023, 6, 22, 23, 0, 0, 0, cst))
	require.Equal(t, []string{"2023-06-20..2023-06-21(1)", "2023-06-21..2023-06-22(1)"}, spans(got))
}

func TestPeriodText(t *testing.T) {
	require.Equal(t, "2023-09-21 – 2023-12-20", q3.Text())
	require.Equal(t, day("2023-12-20"), q3.LastDay())
}

func TestReportDue(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, day("2023-07-21"), p.ReportDue(period(1, "2023-03-21", "2023-06-21")),
		"settled June 20: July 20 is the 30th day after, escalated from July 21")
	require.Equal(t, day("2024-01-20"), p.ReportDue(q3))
	p.ReportDays = 1
	require.Equal(t, day("2023-12-22"), p.ReportDue(q3))
}
