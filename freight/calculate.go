package freight

import (
	"fmt"
	"slices"

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
	StepEligibleFreight = "eligible freight"
	StepRate            = "rate"
	StepBeforeRounding  = "subsidy before rounding"
	StepRounded         = "subsidy (rounded half up)"
)

// Calculate computes the subsidy of a judged claim: the exact sum of the eligible lines'
// Basis, times Rate exactly, rounded ONCE half up to 0.01 (POLICIES.md, "Money": rounding
// per line would pay three lines of 0.01 at 50 % 0.03 instead of 0.02). The yearly cap is not
// applied here because it depends on what the enterprise already holds in the ledger: the
// reservation step applies money.Cap(Amount, YearlyCap, used) after this rounding.
func Calculate(p Params, decisions []claim.LineDecision) claim.Assessment {
	sum, n := decimal.Zero, 0
	for _, d := range decisions {
		if d.Eligible {
			sum = sum.Add(d.Basis)
			n++
		}
	}
	raw := sum.Mul(p.Rate)
	rounded := money.Round(raw)
	a := claim.Assessment{
		RuleVersion: RuleVersion,
		Lines:       slices.Clone(decisions),
		Steps: []claim.Step{
			{Label: StepEligibleFreight, Value: sum,
				Note: fmt.Sprintf("%d of %d lines eligible, summed exactly", n, len(decisions))},
			{Label: StepRate, Value: p.Rate},
			{Label: StepBeforeRounding, Value: raw, Note: "eligible freight × rate, exact"},
			{Label: StepRounded, Value: rounded,
				Note: "rounded once to 0.01; the yearly cap is applied when money is reserved"},
		},
		Amount: rounded,
	}
	switch {
	case n == 0:
		a.Reason, a.Text = noEligibleLine(decisions)
	case !rounded.IsPositive():
		a.Reason = ReasonRoundsToZero
		a.Text = fmt.Sprintf("the subsidy on %s of eligible freight rounds to 0.00", money.Format(sum))
	}
	return a
}

// noEligibleLine explains a claim without an eligible line: by the applicant-level reason
// when every line was refused for it (the applicant cannot claim at all), else in general.
func noEligibleLine(decisions []claim.LineDecision) (claim.Reason, string) {
	if len(decisions) > 0 && applicantLevel(decisions[0].Reason) {
		shared := true
		for _, d := range decisions[1:] {
			shared = shared && d.Reason == decisions[0].Reason
		}
		if shared {
			return decisions[0].Reason, decisions[0].Text
		}
	}
	if len(decisions) == 0 {
		return ReasonNoEligibleLine, "the claim lists no shipment"
	}
	return ReasonNoEligibleLine, "no shipment of the claim is eligible; each line says why"
}
