package activities

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
)

// Error types of non-retryable activity failures; the workflow switches on them.
const (
	ErrTypeNotRegistered  = "NotRegistered"  // the claim's enterprise is not in the registry
	ErrTypeProgramGone    = "ProgramGone"    // the claim's program does not exist
	ErrTypeKindMismatch   = "KindMismatch"   // the claim's kind is not its program's kind
	ErrTypeUndecodable    = "Undecodable"    // the kind's rules cannot read the claim or the program's params
	ErrTypeNotImplemented = "NotImplemented" // no rules are registered for the program's kind
	// ErrTypeNotFound is the single type the refusals above had before they were told
	// apart; recorded histories still carry it.
	ErrTypeNotFound      = "NotFound"
	ErrTypeBankPermanent = "BankPermanent" // the bank will never accept this payment
	ErrTypeBankPending   = "BankPending"   // the payment is accepted and not yet settled (retryable)
	// ErrTypeAccountChanged: the payee's account is not the one finance approved; nothing was sent.
	ErrTypeAccountChanged = "AccountChanged"
	// ErrTypeDataRefused: PostgreSQL refused the data of a storage step (SQLSTATE class 22
	// or 23); the same data would be refused again, so it is not retried.
	ErrTypeDataRefused = "DataRefused"
)

// Meta is the audit context of a step: who took it, in which workflow run.
type Meta struct {
	Actor      access.Principal `json:"actor"`
	WorkflowID string           `json:"workflow_id"`
	RunID      string           `json:"run_id"`
}

// Snapshot is the frozen view a claim is judged on: the enterprise and program as they were
// when the claim was validated. Later registry edits never change it.
type Snapshot struct {
	Enterprise enterprise.Enterprise `json:"enterprise"`
	Program    program.Program       `json:"program"`
	TakenAt    time.Time             `json:"taken_at"`
	// Payee is the registry record of a payee other than the filer (a voucher's provider, a
	// compensated landlord) as it stood when the claim was assessed: the approvers see its
	// account, and the payment goes only to that account.
	Payee *enterprise.Enterprise `json:"payee,omitempty"`
}

// AssessInput asks for the decision on a claim's lines.
type AssessInput struct {
	ClaimID  string          `json:"claim_id"`
	Snapshot Snapshot        `json:"snapshot"`
	Payload  json.RawMessage `json:"payload"`
}

// AssessOutput is the decision, the limit the reservation must respect (negative: none),
// and how the claim is carried out: who is paid, whether a payment is made at all, and
// whose confirmation it waits for first.
type AssessOutput struct {
	Assessment claim.Assessment `json:"assessment"`
	Cap        decimal.Decimal  `json:"cap"`
	Payee      string           `json:"payee,omitempty"`
	NoPayment  bool             `json:"no_payment,omitempty"`
	Confirm    *kind.Confirm    `json:"confirm,omitempty"`
	// PayeeRecord is the registry record of Payee when that is another party than the
	// filer and is to be paid; nil otherwise (and in histories recorded before payees'
	// accounts were bound).
	PayeeRecord *enterprise.Enterprise `json:"payee_record,omitempty"`
}

// Change is one step of a claim's life, written to the read model and the audit log in one
// transaction. Step numbers grow by one per change so a retried write is applied once.
type Change struct {
	ClaimID      string              `json:"claim_id"`
	Step         int                 `json:"step"`
	Status       claim.Status        `json:"status"`
	Action       string              `json:"action"`
	Meta         Meta                `json:"meta"`
	Amount       *decimal.Decimal    `json:"amount,omitempty"`
	Snapshot     *Snapshot           `json:"snapshot,omitempty"`
	Assessment   *claim.Assessment   `json:"assessment,omitempty"`
	Approvals    []claim.Approval    `json:"approvals"` // null leaves them; [] clears them
	Escalated    *bool               `json:"escalated,omitempty"`
	InfoRequest  *string             `json:"info_request,omitempty"`
	InfoResponse *string             `json:"info_response,omitempty"`
	Reason       *claim.Reason       `json:"reason,omitempty"`
	ReasonText   *string             `json:"reason_text,omitempty"`
	Payment      *Payment            `json:"payment,omitempty"`
	Parties      []string            `json:"parties,omitempty"`      // added to the claim's parties
	Payload      json.RawMessage     `json:"payload,omitempty"`      // replaces the claim's lines (a voucher's redemption)
	Confirmation *claim.Confirmation `json:"confirmation,omitempty"` // a second party's answer
	Details      map[string]any      `json:"details,omitempty"`
}

// ReserveInput asks the ledger to hold money for a claim.
type ReserveInput struct {
	ClaimID    string          `json:"claim_id"`
	ProgramID  string          `json:"program_id"`
	CreditCode string          `json:"credit_code"`
	Requested  decimal.Decimal `json:"requested"`
	Cap        decimal.Decimal `json:"cap"`
	Meta       Meta            `json:"meta"`
}

// Reservation outcomes.
const (
	OutcomeReserved     = "reserved"
	OutcomeWaiting      = "waiting"
	OutcomeCapExhausted = "cap_exhausted"
)

// ReserveOutcome is what the ledger did.
type ReserveOutcome struct {
	Outcome  string          `json:"outcome"`
	Amount   decimal.Decimal `json:"amount"`
	Capped   bool            `json:"capped"`
	Position int             `json:"position,omitempty"`
}

// ClaimRef names a claim in a ledger or evidence step.
type ClaimRef struct {
	ClaimID string `json:"claim_id"`
	Meta    Meta   `json:"meta"`
}

// PayInput sends (or re-sends under the same key) one payment.
type PayInput struct {
	ClaimID    string          `json:"claim_id"`
	Key        string          `json:"key"`
	CreditCode string          `json:"credit_code"`
	Amount     decimal.Decimal `json:"amount"`
	Meta       Meta            `json:"meta"`
	// ApprovedAccount, when set, is the only account this payment may go to.
	ApprovedAccount string `json:"approved_account,omitempty"`
}

// AccountChange is the detail of an AccountChanged refusal.
type AccountChange struct {
	Approved string `json:"approved"` // the account finance approved
	Account  string `json:"account"`  // the account on record now
	// Bank is the whole account on record now, shown to the approvers who must approve it.
	Bank enterprise.BankAccount `json:"bank"`
}

// Payment is what we know of a payment at the bank.
type Payment struct {
	Key           string     `json:"key"`
	Attempt       int        `json:"attempt"`
	BankRef       string     `json:"bank_ref,omitempty"`
	State         string     `json:"state"`
	AccountNumber string     `json:"account_number,omitempty"`
	FailureCode   string     `json:"failure_code,omitempty"`
	FailureText   string     `json:"failure_text,omitempty"`
	SettledAt     *time.Time `json:"settled_at,omitempty"`
}
