package interest

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/money"
)

// Reasons a period pays nothing, in the order JudgePeriod tries them: the first failing
// rule is the one reported. An extension comes first because it is for good: it explains
// this period and every later one.
const (
	ReasonExtended                  claim.Reason = "extended"                    // extended in this or an earlier period (展期)
	ReasonOverdue                   claim.Reason = "overdue_in_period"           // overdue in the period (逾期不贴息)
	ReasonOutstandingAbovePrincipal claim.Reason = "outstanding_above_principal" // the report contradicts the loan
	ReasonRoundsToZero              claim.Reason = "subsidy_rounds_to_zero"      // nothing to pay, e.g. no interest paid
)

// DaysInYear is the bank convention for interest: actual days / 360 (POLICIES.md, "Money").
const DaysInYear = 360

// ceilingPlaces is how many decimals the interest at the stated LPR keeps. It is exact in
// effect: outstanding principal (2 places) × LPR (8) × days has at most 10 places, and
// dividing by 360 = 2³·3²·5 either ends within 13 places or repeats one digit (from 1 to 8)
// for ever, so 20 places decide the rounding to the fen as the true quotient would.
const ceilingPlaces = 20

// The labels of the calculation steps, in order.
const (
	StepDays           = "days in the period"
	StepOutstanding    = "outstanding principal"
	StepStatedLPR      = "stated 1-year LPR"
	StepProduct        = "outstanding principal × stated LPR × days"
	StepInterestAtLPR  = "interest at the stated LPR"
	StepInterestPaid   = "interest paid"
	StepBeforeRounding = "subsidy before rounding"
	StepRounded        = "subsidy (rounded half up)"
)

// CalculatePeriod judges and calculates one period: JudgePeriod, then Calculate.
func CalculatePeriod(l Loan, p Period, r Report, extendedBefore bool) claim.Assessment {
	return Calculate(l, p, r, JudgePeriod(l, p, r, extendedBefore))
}

// JudgePeriod decides whether the period pays, trying the reasons in their order. An
// eligible line's Basis is the exact subsidy before rounding: min(interest paid,
// outstanding principal × stated LPR × days / 360). A refused line's Basis is 0.
// extendedBefore says the loan was extended in an earlier period; the loan's process keeps
// it, since a report speaks only of its own period.
func JudgePeriod(l Loan, p Period, r Report, extendedBefore bool) claim.LineDecision {
	refuse := func(reason claim.Reason, text string) claim.LineDecision {
		return claim.LineDecision{Index: 0, Reason: reason, Text: text, Basis: decimal.Zero}
	}
	switch {
	case extendedBefore:
		return refuse(ReasonExtended, "the loan was extended (展期) in an earlier period: no subsidy from that period on")
	case r.Extended:
		return refuse(ReasonExtended, "the loan was extended (展期) in this period: no subsidy from this period on")
	case r.Overdue:
		return refuse(ReasonOverdue, fmt.Sprintf("the loan was overdue in the period %s (逾期不贴息)", p.Text()))
	case r.OutstandingPrincipal.GreaterThan(l.Principal):
		return refuse(ReasonOutstandingAbovePrincipal, fmt.Sprintf(
			"the outstanding principal %s reported is more than the loan's principal %s",
			money.Format(r.OutstandingPrincipal), money.Format(l.Principal)))
	}
	basis, paidIsLess := subsidyBasis(l, p, r)
	text := fmt.Sprintf("eligible: interest at the stated LPR %s over %d days, below the interest paid",
		lpr.Percent(l.StatedLPR), p.Days)
	if paidIsLess {
		text = fmt.Sprintf("eligible: the interest paid %s, at most the interest at the stated LPR %s",
			money.Format(r.InterestPaid), lpr.Percent(l.StatedLPR))
	}
	return claim.LineDecision{Index: 0, Eligible: true, Basis: basis, Text: text}
}

// subsidyBasis is min(interest paid, interest at the stated LPR). The comparison is made on
// interest paid × 360 against the undivided product, both exact; paidIsLess reports that the
// interest paid is the smaller (or equal) figure.
func subsidyBasis(l Loan, p Period, r Report) (basis decimal.Decimal, paidIsLess bool) {
	product := lprProduct(l, p, r)
	if r.InterestPaid.Mul(decimal.NewFromInt(DaysInYear)).LessThanOrEqual(product) {
		return r.InterestPaid, true
	}
	return atLPR(product), false
}

// lprProduct is outstanding principal × stated LPR × days, exact.
func lprProduct(l Loan, p Period, r Report) decimal.Decimal {
	return r.OutstandingPrincipal.Mul(l.StatedLPR).Mul(decimal.NewFromInt(int64(p.Days)))
}

// atLPR divides the product by 360 (see ceilingPlaces).
func atLPR(product decimal.Decimal) decimal.Decimal {
	return product.DivRound(decimal.NewFromInt(DaysInYear), ceilingPlaces)
}

// Calculate rounds a judged period's basis ONCE, half up, to 0.01 (POLICIES.md, "Money").
// The period has no cap. The steps show every figure, refused or not, so finance can see
// what the period would have paid; a refused period carries its line's reason (with one line
// per claim, "no eligible line" would hide why).
func Calculate(l Loan, p Period, r Report, d claim.LineDecision) claim.Assessment {
	product := lprProduct(l, p, r)
	rounded := money.Round(d.Basis)
	basisNote := "the smaller of the interest paid and the interest at the stated LPR, exact"
	if !d.Eligible {
		basisNote = "none: the period is refused (" + string(d.Reason) + ")"
	}
	as := claim.Assessment{
		RuleVersion: RuleVersion,
		Lines:       []claim.LineDecision{d},
		Steps: []claim.Step{
			{Label: StepDays, Value: decimal.NewFromInt(int64(p.Days)), Note: p.Text() + ", both days included"},
			{Label: StepOutstanding, Value: r.OutstandingPrincipal, Note: "reported by the lender"},
			{Label: StepStatedLPR, Value: l.StatedLPR, Note: lpr.Percent(l.StatedLPR) + ", as stated in the loan contract"},
			{Label: StepProduct, Value: product, Note: "exact"},
			{Label: StepInterestAtLPR, Value: atLPR(product), Note: fmt.Sprintf("÷ %d (actual days / 360)", DaysInYear)},
			{Label: StepInterestPaid, Value: r.InterestPaid, Note: "reported by the lender"},
			{Label: StepBeforeRounding, Value: d.Basis, Note: basisNote},
			{Label: StepRounded, Value: rounded, Note: "rounded once to 0.01; no cap applies"},
		},
		Amount: rounded,
	}
	switch {
	case !d.Eligible:
		as.Reason, as.Text = d.Reason, d.Text
	case !rounded.IsPositive():
		as.Reason = ReasonRoundsToZero
		as.Text = fmt.Sprintf("the subsidy for %s rounds to 0.00 (interest paid %s)", p.Text(), money.Format(r.InterestPaid))
	}
	return as
}
