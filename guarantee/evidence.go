package guarantee

import (
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// EvidenceGuarantee is the kind of evidence a guarantee claim carries; a guarantee contract
// can back only one live or paid claim across all programs (POLICIES.md, "Evidence is
// claimed once").
const EvidenceGuarantee = "guarantee"

// ReasonAlreadyClaimed refuses a contract another claim holds. It is decided against the
// store, after Judge, hence not among Judge's reasons.
const ReasonAlreadyClaimed claim.Reason = "already_claimed"

// Evidence is one piece of proof a line rests on, keyed so that the same contract written
// with different spacing or case is recognised as the same.
type Evidence struct {
	Kind string `json:"kind"` // EvidenceGuarantee
	Key  string `json:"key"`  // normalised "INSTITUTION/CONTRACT"
}

// EvidenceOf is a contract's evidence. A contract number is unique only within the
// institution that wrote it, hence institution and number.
func EvidenceOf(institution string, c Contract) Evidence {
	return Evidence{EvidenceGuarantee, normalise(institution) + "/" + normalise(c.ContractNo)}
}

// MarkClaimed records that another claim already holds the contract. An eligible line
// becomes refused with ReasonAlreadyClaimed and a zero basis; a line already refused keeps
// its first reason (the first failing rule wins) but still records the conflict, so the
// institution can see which claim holds the contract.
func MarkClaimed(d *claim.LineDecision, otherClaimID string) {
	d.Conflict = otherClaimID
	if !d.Eligible {
		return
	}
	d.Eligible = false
	d.Reason = ReasonAlreadyClaimed
	d.Text = "guarantee contract already claimed by claim " + otherClaimID
	d.Basis = decimal.Zero
}
