package claim

// Evidence is one piece of proof backing one line of a claim: a waybill, an invoice, a
// lease, a contract, a voucher. Each can back only one live or paid claim across all
// programs (POLICIES.md, "Evidence is claimed once"); the kind's rules say which pieces a
// line carries and normalise their keys, the store enforces the uniqueness.
type Evidence struct {
	Line int    `json:"line"` // the claim line it backs, from 0
	Kind string `json:"kind"` // e.g. "waybill", "invoice", "lease", "guarantee", "loan", "voucher"
	Key  string `json:"key"`  // unique within the kind, normalised by the rules
}

// Holders answers, for the evidence of a claim's eligible lines, which lines another claim
// already holds (line → that claim's id). A filed claim registers the evidence as it asks;
// a dry run only looks.
type Holders func(items []Evidence) (map[int]string, error)
