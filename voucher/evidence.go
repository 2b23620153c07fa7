package voucher

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// The kinds of evidence a redemption carries; each can back only one live or paid claim
// across all programs (POLICIES.md, "Evidence is claimed once").
//
// EvidenceInvoice is deliberately the same kind, keyed the same way, as the freight
// subsidy's invoice evidence: the store's uniqueness is per kind and key, so an invoice
// already used for freight cannot be paid again by a voucher, nor the other way round. A
// test holds the two packages to this.
const (
	EvidenceInvoice  = "invoice"
	EvidenceContract = "contract"
)

// ReasonAlreadyClaimed refuses a redemption whose invoice or contract another claim holds.
// It is decided against the store, after JudgeRedemption, hence not among its reasons.
const ReasonAlreadyClaimed claim.Reason = "already_claimed"

// Evidence is one piece of proof a redemption rests on, keyed so that the same document
// written with different spacing or case is recognised as the same.
type Evidence struct {
	Kind string `json:"kind"` // EvidenceInvoice or EvidenceContract
	Key  string `json:"key"`  // normalised; a contract is "PROVIDER/NUMBER"
}

// EvidenceOf lists a redemption's evidence: its invoice, and its service contract, keyed by
// provider and number because a contract number is unique only within the provider that
// issued it.
func EvidenceOf(r Redemption) []Evidence {
	return []Evidence{
		{EvidenceInvoice, normalise(r.InvoiceNo)},
		{EvidenceContract, normalise(r.ProviderCreditCode) + "/" + normalise(r.ContractNo)},
	}
}

// normalise trims surrounding spaces and upper-cases, exactly as the freight rules do, so
// " inv-9" and "INV-9" are one invoice in every kind.
func normalise(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// MarkClaimed records that another claim already holds evidence of the redemption. An
// eligible line becomes refused with ReasonAlreadyClaimed and a zero basis; a line already
// refused keeps its first reason (the first failing rule wins) but still records the
// conflict, so the applicant can see which claim holds the evidence.
func MarkClaimed(d *claim.LineDecision, otherClaimID string) {
	d.Conflict = otherClaimID
	if !d.Eligible {
		return
	}
	d.Eligible = false
	d.Reason = ReasonAlreadyClaimed
	d.Text = "invoice or contract already claimed by claim " + otherClaimID
	d.Basis = decimal.Zero
}
