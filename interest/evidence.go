package interest

import (
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// The kinds of evidence of this program. A loan contract can back only one live or paid
// registration across all programs (POLICIES.md, "Evidence is claimed once"). Each period of
// it is paid once, which its own piece of evidence guarantees: the contract itself cannot
// back the period claims, since a loan has many.
const (
	EvidenceLoan       = "loan"
	EvidenceLoanPeriod = "loan_period"
)

// ReasonAlreadyClaimed refuses a period another claim holds. It is decided against the
// store, after JudgePeriod, hence not among JudgePeriod's reasons.
const ReasonAlreadyClaimed claim.Reason = "already_claimed"

// EvidenceOf is the loan's registration evidence: "LENDER/CONTRACT", normalised so that the
// same contract typed with other spacing or case is recognised. A contract number is unique
// only within its bank, hence lender and number.
func EvidenceOf(l Loan) claim.Evidence {
	return claim.Evidence{Line: 0, Kind: EvidenceLoan, Key: loanKey(l)}
}

// PeriodEvidenceOf is a period's evidence: the loan's key and the period's first day
// ("LENDER/CONTRACT/2024-03-21"). The first day, not the index, names it, so a period reads
// the same to whoever computes it.
func PeriodEvidenceOf(l Loan, p Period) claim.Evidence {
	return claim.Evidence{Line: 0, Kind: EvidenceLoanPeriod, Key: loanKey(l) + "/" + dateText(p.Start)}
}

func loanKey(l Loan) string { return normalise(l.LenderCreditCode) + "/" + normalise(l.ContractNo) }

// MarkClaimed records that another claim already holds the period. An eligible line becomes
// refused with ReasonAlreadyClaimed and a zero basis; a line already refused keeps its first
// reason but still records the conflict.
func MarkClaimed(d *claim.LineDecision, otherClaimID string) {
	d.Conflict = otherClaimID
	if !d.Eligible {
		return
	}
	d.Eligible = false
	d.Reason = ReasonAlreadyClaimed
	d.Text = "this period of the loan is already claimed by claim " + otherClaimID
	d.Basis = decimal.Zero
}
