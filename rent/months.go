package rent

import "time"

// civil turns a time into its calendar date, read in its own zone, as UTC midnight, so a
// time of day or a zone never moves a date.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addMonths steps n calendar months from the date d, clamping to the last day of the target
// month: Jan 31 plus one month is Feb 28 (Feb 29 in a leap year), not Mar 3 as
// time.AddDate would have it. Every step counts from d itself, so Jan 31 plus two months is
// Mar 31, not Mar 28.
func addMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// WholeMonths counts the calendar-month steps from start that fit in [start, end)
// (POLICIES.md, "Whole months"): Nov 15 → Dec 15 is one month, Nov 15 → Dec 14 none; a part
// month left at the end does not count. A step from a day the target month lacks lands on
// its last day (Jan 31 → Feb 28 is one month). Dates are compared as calendar dates; an end
// on or before start gives 0.
func WholeMonths(start, end time.Time) int {
	s, e := civil(start), civil(end)
	if !e.After(s) {
		return 0
	}
	// The month difference lands in end's month; it overshoots by at most one step.
	n := (e.Year()-s.Year())*12 + int(e.Month()) - int(s.Month())
	if addMonths(s, n).After(e) {
		n--
	}
	return n
}

// Overlap is the part of the lease inside the program period, [start, end), as calendar
// dates; ok is false when they share no day.
func Overlap(sc Scope, l Lease) (start, end time.Time, ok bool) {
	start = laterOf(civil(l.LeaseStart), civil(sc.PeriodStart))
	end = earlierOf(civil(l.LeaseEnd), civil(sc.PeriodEnd))
	return start, end, end.After(start)
}

// MonthsInPeriod is the number of whole months of the lease inside the period, counted from
// the first day the two share (POLICIES.md: "whole months of the part of the lease that
// falls inside the program year").
func MonthsInPeriod(sc Scope, l Lease) int {
	start, end, ok := Overlap(sc, l)
	if !ok {
		return 0
	}
	return WholeMonths(start, end)
}

// Allowance is how many months of rent a lease has waived, and why.
type Allowance struct {
	InPeriod int  // whole months of the lease inside the program period
	Entitled int  // RiskMonths or NormalMonths, by the county
	Risk     bool // the premises' county is on the risk list
	Months   int  // min(Entitled, InPeriod): the months waived
}

// Allow applies the month rule: RiskMonths in a county on the risk list, else NormalMonths,
// never more than the lease's whole months inside the period.
func Allow(sc Scope, p Params, l Lease) Allowance {
	a := Allowance{InPeriod: MonthsInPeriod(sc, l), Risk: p.riskCounty(l.County), Entitled: p.NormalMonths}
	if a.Risk {
		a.Entitled = p.RiskMonths
	}
	a.Months = min(a.Entitled, a.InPeriod)
	return a
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
