package interest

import (
	"fmt"
	"time"
)

// SettlementDay is the day of the month interest is settled on, in the last month of each
// quarter (按季结息: March, June, September and December).
const SettlementDay = 20

// Period is one interest period of a loan, [Start, End) half-open: it includes its start
// day and excludes its end day (POLICIES.md, "Money"). A full period starts the day after a
// settlement date and ends the day after the next one (the 21st), so it includes both the
// day after the previous settlement and the settlement date itself.
type Period struct {
	Index int       `json:"index"` // from 0, in the order of the loan's life
	Start time.Time `json:"start"` // first day of interest, UTC midnight
	End   time.Time `json:"end"`   // first day after the period
	Days  int       `json:"days"`  // End − Start in days: the "actual days" of actual/360
}

// LastDay is the period's inclusive last day: the settlement date (the 20th), or the day
// before maturity or early repayment for the last period.
func (p Period) LastDay() time.Time { return p.End.AddDate(0, 0, -1) }

// Text shows the period as people read it, with its inclusive last day.
func (p Period) Text() string { return rangeText(p.Start, p.End) }

// Periods cuts the loan's life from its start date up to end (maturity, or the day of early
// repayment, excluded) into quarterly periods: each ends after the next settlement date and
// the last one at end. It returns nil when end is not after the start. A loan started on a
// settlement date has a first period of one day (its start is also its settlement date).
//
// end is the caller's: Periods does not clamp it to the loan's maturity, so an extended
// loan's process may cut its later periods (which pay nothing) the same way.
func Periods(l Loan, end time.Time) []Period {
	if l.StartDate.IsZero() {
		return nil // an unvalidated loan; counting from year 1 would be thousands of periods
	}
	start, stop := civil(l.StartDate), civil(end)
	var out []Period
	for start.Before(stop) {
		e := nextBoundary(start)
		if e.After(stop) {
			e = stop
		}
		out = append(out, Period{Index: len(out), Start: start, End: e, Days: days(start, e)})
		start = e
	}
	return out
}

// nextBoundary is the first day after a settlement date that is later than d: the 21st of
// the quarter's last month, or of the next quarter's when d is that day or later.
func nextBoundary(d time.Time) time.Time {
	quarterEnd := time.Month((int(d.Month())-1)/3*3 + 3)
	b := time.Date(d.Year(), quarterEnd, SettlementDay+1, 0, 0, 0, 0, time.UTC)
	if !b.After(d) {
		b = time.Date(d.Year(), quarterEnd+3, SettlementDay+1, 0, 0, 0, 0, time.UTC) // month 15 is next March
	}
	return b
}

// days counts the calendar days of [start, end); both are UTC midnights, so every day is
// exactly 24 hours.
func days(start, end time.Time) int { return int(end.Sub(start).Hours()) / 24 }

// ReportDue is the first day a missing report for the period is escalated to the program
// officer: report_days after the settlement date, counting the day after it as the first,
// so with 30 days a period settled on June 20 is escalated from July 21.
func (p Params) ReportDue(per Period) time.Time { return per.End.AddDate(0, 0, p.ReportDays) }

// checkPeriod makes sure a stored period is one of the loan's: within its life, its day
// count matching its dates. A period that is not would be paid on wrong days.
func checkPeriod(l Loan, p Period) error {
	s, e := civil(p.Start), civil(p.End)
	switch {
	case !e.After(s):
		return fmt.Errorf("period %d: %s is not after %s", p.Index, dateText(e), dateText(s))
	case p.Days != days(s, e):
		return fmt.Errorf("period %d: %d days stated, %d between its dates", p.Index, p.Days, days(s, e))
	case s.Before(civil(l.StartDate)):
		return fmt.Errorf("period %d starts on %s, before the loan (%s)", p.Index, dateText(s), dateText(l.StartDate))
	case e.After(nextBoundary(s)):
		return fmt.Errorf("period %d (%s) runs past a settlement date", p.Index, p.Text())
	}
	return nil
}
