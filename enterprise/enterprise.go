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
}

// BankAccount is where an enterprise is paid.
type BankAccount struct {
	BankName      string `json:"bank_name"`
	AccountName   string `json:"account_name"`
	AccountNumber string `json:"account_number"`
}
