package rent

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// ReasonRoundsToZero refuses a claim whose waiver rounds to 0.00. A validated lease cannot
// get there (a rent of at least 0.01 for at least one month), but a stored payload is
// judged as it stands, and a claim paying nothing must not go on to approval.
const ReasonRoundsToZero claim.Reason = "waiver_rounds_to_zero"

// The labels of the calculation steps, in order.
const (
	StepMonthsInPeriod = "whole months of the lease in the period"
	StepMonthsWaived   = "months waived"
	StepMonthlyRent    = "monthly rent"
	StepBeforeRounding = "waiver before rounding"
	StepRounded        = "waiver (rounded half up)"
)

// Calculate computes the waiver of a judged lease: monthly rent × months waived exactly,
// rounded ONCE half up to 0.01 (POLICIES.md, "Money"). The waiver has no cap. A refused
// lease is waived 0 months and the claim carries the line's own reason: with one line per
// claim, "no eligible line" would hide why.
func Calculate(sc Scope, p Params, l Lease, d claim.LineDecision) claim.Assessment {
	a := Allow(sc, p, l)
	months, note := a.Months, "entitled to "+a.why(l.County)
	if !d.Eligible {
		months, note = 0, "none: the lease is refused ("+string(d.Reason)+")"
	}
	raw := l.MonthlyRent.Mul(decimal.NewFromInt(int64(months)))
	rounded := money.Round(raw)
	as := claim.Assessment{
		RuleVersion: RuleVersion,
		Lines:       []claim.LineDecision{d},
		Steps: []claim.Step{
			{Label: StepMonthsInPeriod, Value: decimal.NewFromInt(int64(a.InPeriod)), Note: inPeriodNote(sc, l)},
			{Label: StepMonthsWaived, Value: decimal.NewFromInt(int64(months)), Note: note},
			{Label: StepMonthlyRent, Value: l.MonthlyRent},
			{Label: StepBeforeRounding, Value: raw, Note: "monthly rent × months waived, exact"},
			{Label: StepRounded, Value: rounded, Note: "rounded once to 0.01; no cap applies"},
		},
		Amount: rounded,
	}
	switch {
	case !d.Eligible:
		as.Reason, as.Text = d.Reason, d.Text
	case !rounded.IsPositive():
		as.Reason = ReasonRoundsToZero
		as.Text = fmt.Sprintf("the waiver of %d months at %s rounds to 0.00", months, l.MonthlyRent)
	}
	return as
}

// inPeriodNote shows which days the months were counted on, so an officer can recount.
func inPeriodNote(sc Scope, l Lease) string {
	start, end, ok := Overlap(sc, l)
	if !ok {
		return "the lease " + l.term() + " shares no day with the period " + sc.periodText()
	}
	return fmt.Sprintf("calendar-month steps from %s within %s; a part month at the end does not count",
		start.Format(time.DateOnly), rangeText(start, end))
}
