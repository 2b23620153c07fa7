package guarantee

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// Claim-level reasons Calculate sets when nothing can be paid.
const (
	ReasonNoEligibleLine claim.Reason = "no_eligible_line"       // every line was refused
	ReasonRoundsToZero   claim.Reason = "subsidy_rounds_to_zero" // eligible, but less than half a fen
)

// The labels of the calculation steps, in order.
const (
	StepSubsidyRate = "subsidy rate"
	StepDaysPerYear = "days in a year"
	StepLineSum     = "sum of line subsidies"
	StepRounded     = "subsidy (rounded half up)"
)

var daysPerYear = decimal.NewFromInt(DaysPerYear)

// subsidy is one eligible line's worth. Dividing by 365 rarely terminates, so the figure is
// kept exact as a multiple of 1/365 (num) and divided only where it is shown or summed.
type subsidy struct {
	days    int             // days of the guarantee inside the period
	formula decimal.Decimal // guaranteed × subsidy rate × days, exact: the subsidy before / 365
	num     decimal.Decimal // min(fee paid × 365, formula): the line subsidy × 365, exact
	limited bool            // the fee paid limited the line
}

// subsidyOf computes a line's subsidy: min(fee paid, guaranteed × subsidy rate × overlap
// days / 365). The comparison is made on the ×365 side, so it is exact.
func subsidyOf(sc Scope, p Params, c Contract) subsidy {
	days := OverlapDays(sc, c)
	formula := c.GuaranteedAmount.Mul(p.SubsidyRate).Mul(decimal.NewFromInt(int64(days)))
	fee := c.FeePaid.Mul(daysPerYear)
	if fee.LessThan(formula) {
		return subsidy{days: days, formula: formula, num: fee, limited: true}
	}
	return subsidy{days: days, formula: formula, num: formula}
}

// value is the line subsidy as a decimal, for the line's Basis.
func (s subsidy) value() decimal.Decimal { return over365(s.num) }

// text explains an eligible line; the figure it shows to the fen is for reading only.
func (s subsidy) text(p Params, c Contract) string {
	t := fmt.Sprintf("eligible: %d days in the period; %s × %s × %d / %d ≈ %s",
		s.days, money.Format(c.GuaranteedAmount), money.FormatRate(p.SubsidyRate), s.days, DaysPerYear,
		money.Format(over365(s.formula)))
	if s.limited {
		t += ", limited to the fee paid " + money.Format(c.FeePaid)
	}
	return t
}

// over365 divides an exact figure by 365 at a precision that keeps rounding to the fen
// exact. num has s decimal places, so num / 365 = M / (365 × 10^s). If that lies exactly on
// a half fen, (2k+1) / 200, it terminates within s + 1 places and the division below is
// exact; otherwise it lies at least 1 / (200 × 365 × 10^s) > 10^-(s+5) away from every half
// fen, while the division errs by at most 0.5 × 10^-(s+8). Either way money.Round of the
// result is the exact quotient rounded half up: no double rounding.
func over365(num decimal.Decimal) decimal.Decimal {
	places := max(-num.Exponent(), 0) + 8
	return num.DivRound(daysPerYear, places)
}

// Calculate computes the subsidy of a judged claim: the line subsidies of the eligible lines
// summed exactly (as multiples of 1/365, recomputed from the contracts rather than read back
// from the rounded Basis), divided by 365 once and rounded ONCE half up to 0.01 (POLICIES.md,
// "Money"). The institution's yearly cap is not applied here because it depends on what the
// institution already holds in the ledger: it travels as kind.Outcome.Cap and the
// reservation applies it after this rounding. decisions[i] must judge lines[i].
func Calculate(sc Scope, p Params, lines []Contract, decisions []claim.LineDecision) claim.Assessment {
	num, n, limited := decimal.Zero, 0, 0
	for i, d := range decisions {
		if !d.Eligible || i >= len(lines) {
			continue
		}
		s := subsidyOf(sc, p, lines[i])
		num = num.Add(s.num)
		n++
		if s.limited {
			limited++
		}
	}
	sum := over365(num)
	rounded := money.Round(sum)
	a := claim.Assessment{
		RuleVersion: RuleVersion,
		Lines:       slices.Clone(decisions),
		Steps: []claim.Step{
			{Label: StepSubsidyRate, Value: p.SubsidyRate, Note: "share of the guaranteed amount per year of guarantee"},
			{Label: StepDaysPerYear, Value: daysPerYear,
				Note: "actual days of guarantee in the period / 365, in a leap year too"},
			{Label: StepLineSum, Value: sum, Note: fmt.Sprintf(
				"%d of %d contracts eligible, each min(fee paid, guaranteed × rate × days / 365), %d limited by the fee paid; summed exactly",
				n, len(decisions), limited)},
			{Label: StepRounded, Value: rounded, Note: fmt.Sprintf(
				"rounded once to 0.01; the yearly cap of %s per institution is applied when money is reserved",
				money.Format(p.YearlyCap))},
		},
		Amount: rounded,
	}
	switch {
	case n == 0:
		a.Reason, a.Text = noEligibleLine(decisions)
	case !rounded.IsPositive():
		a.Reason = ReasonRoundsToZero
		a.Text = fmt.Sprintf("the subsidy of %s on the eligible contracts rounds to 0.00", sum.String())
	}
	return a
}

// noEligibleLine explains a claim without an eligible line: by the institution-level reason
// when it refused every line (the institution cannot claim at all), else in general.
func noEligibleLine(decisions []claim.LineDecision) (claim.Reason, string) {
	if len(decisions) == 0 {
		return ReasonNoEligibleLine, "the claim lists no contract"
	}
	first := decisions[0]
	if institutionLevel(first.Reason) && !slices.ContainsFunc(decisions, func(d claim.LineDecision) bool {
		return d.Reason != first.Reason
	}) {
		// The line's text may go on with "; " and a note about its borrower's class, which
		// says nothing about the claim as a whole.
		text, _, _ := strings.Cut(first.Text, "; ")
		return first.Reason, text
	}
	return ReasonNoEligibleLine, "no contract of the claim is eligible; each line says why"
}
