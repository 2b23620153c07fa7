package rent

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWholeMonths(t *testing.T) {
	tests := []struct {
		name       string
		start, end time.Time
		want       int
	}{
		{"Nov 15 to Dec 15 is one month", day("2022-11-15"), day("2022-12-15"), 1},
		{"part month at the end does not count", day("2022-11-15"), day("2022-12-14"), 0},
		{"one month and a part", day("2022-11-15"), day("2023-01-10"), 1},
		{"Jan 31 plus one month is Feb 28", day("2023-01-31"), day("2023-02-28"), 1},
		{"Jan 31 plus one month: Feb 27 is short", day("2023-01-31"), day("2023-02-27"), 0},
		{"Jan 31 plus one month in a leap year is Feb 29", day("2024-01-31"), day("2024-02-29"), 1},
		{"Jan 31 plus one month in a leap year: Feb 28 is short", day("2024-01-31"), day("2024-02-28"), 0},
		{"Jan 31 plus two months is Mar 31, not Mar 28", day("2023-01-31"), day("2023-03-30"), 1},
		{"Jan 31 plus two months reached", day("2023-01-31"), day("2023-03-31"), 2},
		{"a whole calendar year", day("2022-01-01"), day("2023-01-01"), 12},
		{"a year less a day", day("2022-01-01"), day("2022-12-31"), 11},
		{"across years", day("2021-07-01"), day("2024-07-01"), 36},
		{"end equal to start", day("2022-05-01"), day("2022-05-01"), 0},
		{"end before start", day("2022-05-01"), day("2022-03-01"), 0},
		{"a time of day does not move the date", time.Date(2022, 11, 15, 23, 0, 0, 0, time.UTC),
			time.Date(2022, 12, 15, 1, 0, 0, 0, time.UTC), 1},
		{"dates are read in their own zone", time.Date(2022, 11, 15, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)),
			day("2022-12-15"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, WholeMonths(tt.start, tt.end))
		})
	}
}

func TestMonthsInPeriod(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		want       int
		overlaps   bool
	}{
		{"lease around the whole year", "2021-07-01", "2024-07-01", 12, true},
		{"lease covers only 2 whole months of the year", "2022-10-20", "2023-06-01", 2, true},
		{"lease ends inside the year", "2021-01-01", "2022-04-15", 3, true},
		{"part month at the end of the year does not count", "2022-03-15", "2024-01-01", 9, true},
		{"lease inside the year", "2022-02-10", "2022-05-10", 3, true},
		{"lease ending on the first day of the year", "2021-01-01", "2022-01-01", 0, false},
		{"lease starting on the day after the year", "2023-01-01", "2024-01-01", 0, false},
		{"lease sharing the last days of the year", "2022-12-10", "2023-12-10", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lease(term(tt.start, tt.end))
			require.Equal(t, tt.want, MonthsInPeriod(tibet2022, l))
			_, _, ok := Overlap(tibet2022, l)
			require.Equal(t, tt.overlaps, ok)
		})
	}
}

func TestAllow(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Lease)
		want   Allowance
		params func(*Params)
	}{
		{"risk county gets 6 months", func(*Lease) {}, Allowance{InPeriod: 12, Entitled: 6, Risk: true, Months: 6}, nil},
		{"other county gets 3 months", func(l *Lease) { l.County = "540103" },
			Allowance{InPeriod: 12, Entitled: 3, Months: 3}, nil},
		{"risk county limited by the lease's months", term("2022-10-20", "2023-06-01"),
			Allowance{InPeriod: 2, Entitled: 6, Risk: true, Months: 2}, nil},
		{"risk list match is exact: the city code does not list its districts",
			func(l *Lease) { l.County = "540102" }, Allowance{InPeriod: 12, Entitled: 3, Months: 3},
			func(p *Params) { p.RiskCounties = []string{"540100"} }},
		{"administrator's month figures are used", func(*Lease) {},
			Allowance{InPeriod: 12, Entitled: 4, Risk: true, Months: 4}, func(p *Params) { p.RiskMonths = 4 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			if tt.params != nil {
				tt.params(&p)
			}
			require.Equal(t, tt.want, Allow(tibet2022, p, lease(tt.edit)))
		})
	}
}
