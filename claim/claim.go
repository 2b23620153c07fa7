// Package claim holds the vocabulary of a subsidy claim shared by the workflow, the store and
// the API: its statuses, the decision on each line, and the calculation an auditor can redo.
// It does no I/O.
package claim

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/program"
)

// Status is where a claim stands in its life (POLICIES.md, "A claim's life").
type Status string

const (
	Submitted        Status = "submitted"
	Validated        Status = "validated"
	Calculated       Status = "calculated"
	WaitingForBudget Status = "waiting_for_budget"
	Reserved         Status = "reserved"
	PendingLandlord  Status = "pending_landlord" // a rent waiver waits for its landlord's confirmation
	Issued           Status = "issued"           // a voucher is issued: its face value is reserved
	Redeemed         Status = "redeemed"         // a voucher is redeemed: the service's delivery awaits confirmation
	PendingApproval  Status = "pending_approval"
	NeedsInfo        Status = "needs_info"
	Approved         Status = "approved"
	Disbursing       Status = "disbursing"
	PaymentFailed    Status = "payment_failed"
	Paid             Status = "paid"
	Rejected         Status = "rejected"
	Withdrawn        Status = "withdrawn"
	Expired          Status = "expired"
	Cancelled        Status = "cancelled" // by an administrator, or its workflow was cancelled
	Recorded         Status = "recorded"  // approved and charged to the fund without a bank payment
)

// Statuses lists every status, for validating filters.
var Statuses = []Status{Submitted, Validated, Calculated, WaitingForBudget, Reserved,
	PendingLandlord, Issued, Redeemed, PendingApproval, NeedsInfo, Approved, Disbursing,
	PaymentFailed, Paid, Recorded, Rejected, Withdrawn, Expired, Cancelled}

// Final reports whether nothing more will happen to a claim in this status.
func (s Status) Final() bool {
	return s == Paid || s == Recorded || s == Rejected || s == Withdrawn || s == Expired || s == Cancelled
}

// Cancellable reports whether an administrator may still cancel: any status that is not
// final and in which no payment can be under way.
func (s Status) Cancellable() bool {
	return !s.Final() && s != Approved && s != Disbursing
}

// Withdrawable reports whether the applicant may still withdraw: before any approval
// decision has started money moving, or after a payment failed for good.
func (s Status) Withdrawable() bool {
	switch s {
	case Submitted, Validated, Calculated, WaitingForBudget, Reserved, PendingLandlord,
		Issued, PendingApproval, NeedsInfo, PaymentFailed:
		return true
	}
	return false
}

// PaymentAtStake reports whether finance is approving or fixing this claim's payment: it
// awaits approval, is being paid, or its payment failed and the account may be corrected.
// Only then does finance see the payee's full account number (everyone else, always, and
// finance in any other status see the last four digits).
func (s Status) PaymentAtStake() bool {
	return s == PendingApproval || s == Approved || s == Disbursing || s == PaymentFailed
}

// ParseStatus checks a status name.
func ParseStatus(s string) (Status, bool) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Reason is a machine-readable code for why a line or a claim was refused.
type Reason string

// LineDecision is the judgement on one line of a claim (a waybill, a guarantee contract).
type LineDecision struct {
	Index    int             `json:"index"`              // position in the claim, from 0
	Eligible bool            `json:"eligible"`           //
	Reason   Reason          `json:"reason,omitempty"`   // set when not eligible
	Text     string          `json:"text,omitempty"`     // the reason in words
	Basis    decimal.Decimal `json:"basis"`              // the amount the subsidy is computed on (0 when refused)
	Conflict string          `json:"conflict,omitempty"` // the claim that already holds this line's evidence
}

// Step is one named figure in a calculation breakdown, in the order it was computed.
type Step struct {
	Label string          `json:"label"`
	Value decimal.Decimal `json:"value"`
	Note  string          `json:"note,omitempty"`
}

// Assessment is the whole decision on a claim before money is reserved: what each line is
// worth, how the total was computed, and under which rule version. It is stored with the
// claim so the figure can be recomputed years later.
type Assessment struct {
	RuleVersion string          `json:"rule_version"`
	Lines       []LineDecision  `json:"lines"`
	Steps       []Step          `json:"steps"`
	Amount      decimal.Decimal `json:"amount"`           // rounded once, before any cap
	Reason      Reason          `json:"reason,omitempty"` // set when the claim as a whole is refused
	Text        string          `json:"text,omitempty"`
}

// Eligible reports whether anything in the claim can be paid.
func (a Assessment) Eligible() bool { return a.Reason == "" && a.Amount.IsPositive() }

// Approval is one finance decision to pay.
type Approval struct {
	Subject string    `json:"subject"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// Claim is a claim as users see it: the read model the claim workflow writes step by step
// and the store keeps.
type Claim struct {
	ID           string           `json:"id"`
	ProgramID    string           `json:"program_id"`
	Kind         program.Kind     `json:"kind"`
	CreditCode   string           `json:"credit_code"`
	SubmittedBy  string           `json:"submitted_by"`
	Status       Status           `json:"status"`
	Requested    decimal.Decimal  `json:"requested"`          // sum of the input amounts
	Amount       *decimal.Decimal `json:"amount,omitempty"`   // subsidy reserved or approved
	Payload      json.RawMessage  `json:"payload"`            // the submitted lines
	Snapshot     json.RawMessage  `json:"snapshot,omitempty"` // frozen enterprise, program, rule version
	Assessment   *Assessment      `json:"assessment,omitempty"`
	Approvals    []Approval       `json:"approvals"`
	Escalated    bool             `json:"escalated"`
	InfoRequest  string           `json:"info_request,omitempty"`
	InfoResponse string           `json:"info_response,omitempty"`
	Reason       string           `json:"reason,omitempty"`
	ReasonText   string           `json:"reason_text,omitempty"`
	Payment      json.RawMessage  `json:"payment,omitempty"`
	WorkflowID   string           `json:"workflow_id"`
	RunID        string           `json:"run_id,omitempty"`
	Step         int              `json:"step"` // the last workflow step applied
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	Parties      []string         `json:"parties"`                // other parties' credit codes (landlord, provider)
	Confirmation *Confirmation    `json:"confirmation,omitempty"` // a landlord's confirmation or dispute
}

// Confirmation is a second party's answer on a claim: a landlord confirms a rent waiver's
// lease facts and how the waiver is applied, or disputes them with a reason.
type Confirmation struct {
	Party    string    `json:"party"`          // the confirming party's credit code
	Subject  string    `json:"subject"`        // who answered for it
	Disputed bool      `json:"disputed"`       //
	Mode     string    `json:"mode,omitempty"` // offset or refund, when confirmed
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at"`
}
