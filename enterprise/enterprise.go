// Package enterprise describes an applicant in the registry: its identity, the figures its
// size class was computed from, and where it is paid.
package enterprise

import (
	"time"

	"github.com/shopspring/decimal"
)

// Enterprise is a registered applicant. SizeClass is computed from Industry, Employees,
// Revenue and Assets by the sizeclass rules and stored with those inputs.
type Enterprise struct {
	CreditCode string          `json:"credit_code"`
	Name       string          `json:"name"`
	Industry   string          `json:"industry"`
	Employees  int             `json:"employees"`
	Revenue    decimal.Decimal `json:"revenue"` // operating revenue, 10k CNY
	Assets     decimal.Decimal `json:"assets"`  // total assets, 10k CNY
	Region     string          `json:"region"`
	EntityType string          `json:"entity_type"` // from the credit code: enterprise, individual_business, cooperative, other
	SizeClass  string          `json:"size_class"`  // empty for an individual business, which has none
	SizeRule   string          `json:"size_rule"`   // the standard the class was computed under
	Bank       BankAccount     `json:"bank_account"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	// Verification says whether an administrator stands behind the figures and the account,
	// or who declared them unchecked. The store keeps it; a registration ignores it.
	Verification Verification `json:"verification"`
}

// What a non-administrator declares and an administrator then verifies.
const (
	DeclaredFigures     = "figures"      // industry, employees, revenue, assets: the size class's inputs
	DeclaredBankAccount = "bank_account" // where the enterprise is paid
)

// Verification is the registry's mark on an enterprise. An enterprise an administrator
// registered is verified by that administrator; one an applicant registered itself, or
// whose bank account a non-administrator changed, is unverified until an administrator
// verifies it. Declared lists what was declared unchecked, by DeclaredBy at DeclaredAt (kept
// after verification, so the record shows what was verified).
type Verification struct {
	Verified   bool       `json:"verified"`
	VerifiedBy string     `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	DeclaredBy string     `json:"declared_by,omitempty"`
	DeclaredAt *time.Time `json:"declared_at,omitempty"`
	Declared   []string   `json:"declared,omitempty"`
}

// BankAccount is where an enterprise is paid.
type BankAccount struct {
	BankName      string `json:"bank_name"`
	AccountName   string `json:"account_name"`
	AccountNumber string `json:"account_number"`
}
