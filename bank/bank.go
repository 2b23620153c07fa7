// Package bank is the contract between subsidyflow and the bank that pays claims out. It is
// written so that a real bank adapter could implement it: every payment carries an
// idempotency key, every answer is either a receipt or a classified error, and the bank's
// daily settlement report is what finance reconciles against (POLICIES.md, "A claim's
// life" and "Finance reconciles payments"). It does no I/O; banksim is the simulator.
package bank

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// MaxKeyLength is the longest idempotency key banks commonly accept; a longer key is refused
// rather than truncated, because truncation could merge two payments into one.
const MaxKeyLength = 100

// maxAmount is the first amount that no longer fits NUMERIC(20,2).
var maxAmount = decimal.New(1, 18)

// Payment is one instruction to move money to a payee. The bank remembers it under Key, so
// sending the same Payment again can never pay twice.
type Payment struct {
	Key           string          `json:"key"` // idempotency key, at most MaxKeyLength characters
	BankName      string          `json:"bank_name"`
	AccountName   string          `json:"account_name"`
	AccountNumber string          `json:"account_number"`
	Amount        decimal.Decimal `json:"amount"`    // CNY, > 0, at most 2 decimals
	Reference     string          `json:"reference"` // our claim id, echoed in the settlement report
}

// Validate refuses what no bank would accept, as a Permanent error, so that a malformed
// payment fails the claim at once instead of being retried forever.
func (p Payment) Validate() error {
	if n := utf8.RuneCountInString(p.Key); n == 0 || n > MaxKeyLength {
		return Permanentf(CodeInvalidKey, "idempotency key must have 1 to %d characters, has %d", MaxKeyLength, n)
	}
	if err := ValidateAmount(p.Amount); err != nil {
		return err
	}
	if p.AccountNumber == "" || p.AccountName == "" {
		return Permanentf(CodeInvalidAccount, "account number and account name are required")
	}
	return nil
}

// ValidateAmount applies POLICIES.md's money rule (> 0, at most 2 decimals) at the bank's
// door, since a payment of a fraction of a fen cannot be executed.
func ValidateAmount(a decimal.Decimal) error {
	switch {
	case !a.IsPositive():
		return Permanentf(CodeInvalidAmount, "amount %s must be greater than 0", a)
	case !a.Equal(a.Truncate(2)):
		return Permanentf(CodeInvalidAmount, "amount %s has more than 2 decimals", a)
	case a.GreaterThanOrEqual(maxAmount):
		return Permanentf(CodeInvalidAmount, "amount %s is too large", a)
	}
	return nil
}

// State is where the bank says a payment stands. Only Settled means the money reached the
// payee; Accepted is a promise that may still take time.
type State string

const (
	// Accepted means the bank holds the payment and will settle it; it is not yet final.
	Accepted State = "accepted"
	// Settled means the money left for good; it appears in the settlement report.
	Settled State = "settled"
	// Failed means the bank refused the payment for good; FailureCode says why.
	Failed State = "failed"
)

// Receipt is the bank's record of one payment, as Pay and Status report it. BankRef is the
// bank's own identifier, which finance quotes when talking to the bank.
type Receipt struct {
	Key           string          `json:"key"`
	BankRef       string          `json:"bank_ref"`
	State         State           `json:"state"`
	Amount        decimal.Decimal `json:"amount"`
	AccountNumber string          `json:"account_number"`
	Reference     string          `json:"reference"`
	AcceptedAt    time.Time       `json:"accepted_at"` // when the bank received it
	SettledAt     *time.Time      `json:"settled_at,omitempty"`
	FailureCode   string          `json:"failure_code,omitempty"`
	FailureText   string          `json:"failure_text,omitempty"`
}

// Settlement is one line of the bank's settlement report: a payment that definitely moved
// money, which must match exactly one paid claim of the same amount.
type Settlement struct {
	Key           string          `json:"key"`
	BankRef       string          `json:"bank_ref"`
	Reference     string          `json:"reference"`
	AccountNumber string          `json:"account_number"`
	Amount        decimal.Decimal `json:"amount"`
	SettledAt     time.Time       `json:"settled_at"`
}

// Bank is what the payment activities need from a bank. Every error it returns is either
// ErrUnknownPayment or an *Error whose Kind tells the caller whether a retry is safe.
type Bank interface {
	// Pay sends p. It is idempotent per p.Key: the same payment again returns the first
	// receipt; the same key with a different payment is a Permanent IDEMPOTENCY_MISMATCH.
	// After an Ambiguous error the money may have gone out: call Status before retrying.
	Pay(ctx context.Context, p Payment) (Receipt, error)
	// Status reports what the bank knows of key, or ErrUnknownPayment if it never
	// received it (then a Pay with that key is safe).
	Status(ctx context.Context, key string) (Receipt, error)
	// Settlements is the settlement report: payments settled in [from, to), oldest first.
	Settlements(ctx context.Context, from, to time.Time) ([]Settlement, error)
}
