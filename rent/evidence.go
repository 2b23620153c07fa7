package rent

import (
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// EvidenceLease is the kind of evidence a rent claim carries; a lease can back only one live
// or paid claim across all programs (POLICIES.md, "Evidence is claimed once"), which also
// gives "one waiver per lease per program".
const EvidenceLease = "lease"

// ReasonAlreadyClaimed refuses a lease another claim holds. It is decided against the store,
// after Judge, hence not among Judge's reasons.
const ReasonAlreadyClaimed claim.Reason = "already_claimed"

// Evidence is one piece of proof a line rests on, keyed so that the same contract written
// with different spacing or case is recognised as the same.
type Evidence struct {
	Kind string `json:"kind"` // EvidenceLease
	Key  string `json:"key"`  // normalised "LANDLORD/CONTRACT"
}

// EvidenceOf is a lease's evidence. A contract number is unique only within its landlord,
// hence landlord and number.
func EvidenceOf(l Lease) Evidence {
	return Evidence{EvidenceLease, normalise(l.LandlordCreditCode) + "/" + normalise(l.ContractNo)}
}

// MarkClaimed records that another claim already holds the lease. An eligible line becomes
// refused with ReasonAlreadyClaimed and a zero basis; a line already refused keeps its first
// reason (the first failing rule wins) but still records the conflict, so the applicant can
// see which claim holds the lease.
func MarkClaimed(d *claim.LineDecision, otherClaimID string) {
	d.Conflict = otherClaimID
	if !d.Eligible {
		return
	}
	d.Eligible = false
	d.Reason = ReasonAlreadyClaimed
	d.Text = "lease contract already claimed by claim " + otherClaimID
	d.Basis = decimal.Zero
}
