package voucher

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// ReasonRoundsToZero refuses a redemption that is eligible but whose subsidy is less than
// half a fen (a 0.01 invoice at a 10 % rate).
const ReasonRoundsToZero claim.Reason = "subsidy_rounds_to_zero"

// The labels of the calculation steps, in order.
const (
	StepInvoiceAmount = "invoice amount"
	StepRate          = "rate"
	StepInvoiceRate   = "invoice × rate"
	StepFaceValue     = "face value"
	StepSubsidy       = "subsidy = min(face value, invoice × rate)"
	StepRounded       = "subsidy (rounded half up)"
	StepReleased      = "released = face value − subsidy"
)

// Calculate computes what a judged redemption pays: S = round(min(face value, A × rate)),
// with A × rate exact and ONE rounding, half up to 0.01, as POLICIES.md writes it. Taking
// the minimum before or after rounding gives the same S because the face value is a whole
// number of fen (Params.Validate) and rounding is monotone; the order is kept as written so
// the steps read like the policy. A refused line has a zero basis, so S is 0 and the steps
// show the whole face value as releasable; whether it is released is the workflow's call.
// The voucher's cap is its face value, already inside S, so the ledger gets no other cap.
func Calculate(p Params, d claim.LineDecision) claim.Assessment {
	raw := d.Basis.Mul(p.Rate)
	limited := decimal.Min(p.FaceValue, raw)
	s := money.Round(limited)
	a := claim.Assessment{
		RuleVersion: RuleVersion,
		Lines:       []claim.LineDecision{d},
		Steps: []claim.Step{
			{Label: StepInvoiceAmount, Value: d.Basis, Note: basisNote(d)},
			{Label: StepRate, Value: p.Rate},
			{Label: StepInvoiceRate, Value: raw, Note: "exact"},
			{Label: StepFaceValue, Value: p.FaceValue, Note: "reserved when the voucher was issued"},
			{Label: StepSubsidy, Value: limited, Note: limitNote(p.FaceValue, raw)},
			{Label: StepRounded, Value: s, Note: "rounded once to 0.01"},
			{Label: StepReleased, Value: Released(p.FaceValue, s),
				Note: "given back to the program's budget when the redemption is recorded"},
		},
		Amount: s,
	}
	switch {
	case !d.Eligible:
		a.Reason, a.Text = d.Reason, d.Text
	case !s.IsPositive():
		a.Reason = ReasonRoundsToZero
		a.Text = fmt.Sprintf("the subsidy on an invoice of %s rounds to 0.00", money.Format(d.Basis))
	}
	return a
}

// Released is what goes back to the budget once a voucher of face value face pays s: face −
// s. Calculate guarantees 0 ≤ s ≤ face, so the result is never negative.
func Released(face, s decimal.Decimal) decimal.Decimal { return face.Sub(s) }

func basisNote(d claim.LineDecision) string {
	if d.Eligible {
		return "the redemption's invoice"
	}
	return "0: the redemption is refused"
}

// limitNote says which side of the minimum won, so nobody has to compare the figures.
func limitNote(face, raw decimal.Decimal) string {
	if raw.GreaterThan(face) {
		return "limited by the face value"
	}
	return "invoice × rate, within the face value"
}
