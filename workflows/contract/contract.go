// Package contract is the claim workflow's public face: its task queue, how workflow ids are
// built from claim ids, the names of its updates, signals and query, and the types that cross
// the boundary. The API and the worker import this package; only the worker imports the
// workflow implementation.
package contract

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// TaskQueue is where claim workflows and their activities run.
const TaskQueue = "subsidyflow-claims"

// WorkflowType is the registered name of the claim workflow.
const WorkflowType = "ClaimWorkflow"

// WorkflowID is the workflow id of a claim: one workflow per claim, ever. The id's prefix
// says which process carries it: a voucher ("vch_…") runs in its own voucher workflow
// ("voucher/<id>"), every other claim in the claim workflow ("claim/<id>"). Decisions,
// signals and the sweeper find a claim's workflow through this one function.
func WorkflowID(claimID string) string {
	if strings.HasPrefix(claimID, VoucherIDPrefix+"_") {
		return "voucher/" + claimID
	}
	return "claim/" + claimID
}

// VoucherIDPrefix starts the id of every voucher.
const VoucherIDPrefix = "vch"

// Update names: human decisions, validated inside the workflow before they enter history.
const (
	UpdateApprove     = "approve"
	UpdateReject      = "reject"
	UpdateRequestInfo = "request-info"
	UpdateRespond     = "respond"
	UpdateWithdraw    = "withdraw"
	UpdateCancel      = "cancel"  // an administrator ends the claim; its money and evidence are released
	UpdateConfirm     = "confirm" // the second party (a rent waiver's landlord) confirms, choosing a Mode
	UpdateDispute     = "dispute" // the second party disputes; the note is the reason
)

// Signal names: nudges from outside that need no answer.
const (
	// SignalBudget tells a claim waiting for budget that the ledger allocated money to it.
	SignalBudget = "budget-allocated"
	// SignalBankAccount tells a claim whose payment failed that the account was corrected.
	SignalBankAccount = "bank-account-changed"
)

// QueryState returns the workflow's State.
const QueryState = "state"

// Input starts a claim workflow. The API has already stored the claim as submitted.
type Input struct {
	ClaimID     string           `json:"claim_id"`
	ProgramID   string           `json:"program_id"`
	Kind        program.Kind     `json:"kind"`
	CreditCode  string           `json:"credit_code"`
	SubmittedBy access.Principal `json:"submitted_by"`
	Payload     json.RawMessage  `json:"payload"` // the kind's lines, e.g. freight shipments
	SubmittedAt time.Time        `json:"submitted_at"`
}

// Decision is the argument of every update: who decides and what they say (the reason of a
// rejection, the question of request-info, the answer of respond).
type Decision struct {
	Actor access.Principal `json:"actor"`
	Note  string           `json:"note,omitempty"`
	// Payload carries what a decision brings beyond a note (a voucher's redemption), for
	// an activity to read; the API has validated it.
	Payload json.RawMessage `json:"payload,omitempty"`
	// Mode is how a confirming party applies the claim: a landlord offsets the waiver
	// against future rent or refunds rent already paid.
	Mode string `json:"mode,omitempty"`
	// IssuedAt and Proof show that the API issued the decision for an authenticated
	// principal (Sign); the workflow refuses a decision without them (Verify).
	IssuedAt time.Time `json:"issued_at"`
	Proof    string    `json:"proof,omitempty"`
}

// State is what the workflow knows of its claim; the read model in PostgreSQL mirrors it.
type State struct {
	ClaimID     string           `json:"claim_id"`
	Status      claim.Status     `json:"status"`
	Amount      decimal.Decimal  `json:"amount"`
	Approvals   []claim.Approval `json:"approvals"`
	NeedsSecond bool             `json:"needs_second_approval"`
	Escalated   bool             `json:"escalated"`
	PaymentKey  string           `json:"payment_key,omitempty"`
	Payee       string           `json:"payee,omitempty"` // credit code the payment goes to
	BankRef     string           `json:"bank_ref,omitempty"`
	Step        int              `json:"step"`
}

// Result is what a finished claim workflow returns.
type Result struct {
	Status  claim.Status    `json:"status"`
	Amount  decimal.Decimal `json:"amount"`
	BankRef string          `json:"bank_ref,omitempty"`
	Reason  claim.Reason    `json:"reason,omitempty"`
}

// Error types of update refusals; the API maps them to HTTP statuses.
const (
	ErrForbidden = "Forbidden" // the actor may not take this decision (role, own claim, four eyes)
	ErrConflict  = "Conflict"  // the claim is not in a state that allows it
)

// ErrInvalid is the error type of a decision that lacks what it needs (a reason, an answer).
const ErrInvalid = "Invalid"

// ReasonCapReached is why a claim is rejected when the enterprise's yearly cap in the
// program is used up; the dry run gives the same reason.
const (
	ReasonCapReached     claim.Reason = "yearly_cap_reached"
	ReasonCapReachedText string       = "the enterprise's yearly cap in this program is used up"
)

// ClaimIDOf is the claim whose workflow has the id workflowID (the inverse of WorkflowID);
// false for the workflows of other things (loans).
func ClaimIDOf(workflowID string) (string, bool) {
	for _, prefix := range []string{"claim/", "voucher/"} {
		if id, ok := strings.CutPrefix(workflowID, prefix); ok && id != "" {
			return id, true
		}
	}
	return "", false
}
