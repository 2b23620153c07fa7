package freight

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// The kinds of evidence a shipment carries; each can back only one live or paid claim
// across all programs (POLICIES.md, "Evidence is claimed once").
const (
	EvidenceWaybill = "waybill"
	EvidenceInvoice = "invoice"
)

// ReasonAlreadyClaimed refuses a line whose waybill or invoice another claim holds. It is
// decided by the workflow against the store, after Judge, hence not among Judge's reasons.
const ReasonAlreadyClaimed claim.Reason = "already_claimed"

// Evidence is one piece of proof a line rests on, keyed so that the same document written
// with different spacing or case is recognised as the same.
type Evidence struct {
	Kind string `json:"kind"` // EvidenceWaybill or EvidenceInvoice
	Key  string `json:"key"`  // normalised; a waybill is "CARRIER/NUMBER"
}

// EvidenceOf lists a shipment's evidence: its waybill (a number is unique only within its
// carrier, hence carrier and number) and its invoice.
func EvidenceOf(s Shipment) []Evidence {
	return []Evidence{
		{EvidenceWaybill, normalise(s.Carrier) + "/" + normalise(s.WaybillNo)},
		{EvidenceInvoice, normalise(s.InvoiceNo)},
	}
}

// normalise trims surrounding spaces and upper-cases, so " sf123" and "SF123" are one
// waybill.
func normalise(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// MarkClaimed records that another claim already holds evidence of the line. An eligible line
// becomes refused with ReasonAlreadyClaimed and a zero basis; a line already refused keeps
// its first reason (the first failing rule wins) but still records the conflict, so the
// applicant can see which claim holds the evidence.
func MarkClaimed(d *claim.LineDecision, otherClaimID string) {
	d.Conflict = otherClaimID
	if !d.Eligible {
		return
	}
	d.Eligible = false
	d.Reason = ReasonAlreadyClaimed
	d.Text = "waybill or invoice already claimed by claim " + otherClaimID
	d.Basis = decimal.Zero
}
