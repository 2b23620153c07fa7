// Package program describes a subsidy program: one policy instance with a kind, a region, a
// period, a fund and parameters. The kind-specific parameters live in the rule packages
// (freight.Params, …); this package holds what every kind shares.
package program

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// Kind is one of the five subsidy programs of POLICIES.md.
type Kind string

const (
	Voucher   Kind = "voucher"
	Freight   Kind = "freight"
	Rent      Kind = "rent"
	Guarantee Kind = "guarantee"
	Interest  Kind = "interest"
)

// Kinds lists every kind POLICIES.md names; kind/registry says which take claims today.
var Kinds = []Kind{Voucher, Freight, Rent, Guarantee, Interest}

// Program is one configured policy instance and the state of its fund.
type Program struct {
	ID          string          `json:"id"`
	Kind        Kind            `json:"kind"`
	Name        string          `json:"name"`
	Region      string          `json:"region"`
	PeriodStart time.Time       `json:"period_start"` // first day inside the period
	PeriodEnd   time.Time       `json:"period_end"`   // first day after it
	Approval    Approval        `json:"approval"`
	Params      json.RawMessage `json:"params"` // kind-specific, e.g. freight.Params
	CreatedAt   time.Time       `json:"created_at"`

	Budget    decimal.Decimal `json:"budget"`
	Reserved  decimal.Decimal `json:"reserved"`
	Committed decimal.Decimal `json:"committed"`
}

// Available is the money neither reserved nor paid.
func (p Program) Available() decimal.Decimal { return p.Budget.Sub(p.Reserved).Sub(p.Committed) }

// Approval holds the parameters of the finance-approval stage that every kind shares.
type Approval struct {
	FourEyesThreshold decimal.Decimal `json:"four_eyes_threshold"` // amounts ≥ this need a supervisor's second approval
	DeadlineDays      int             `json:"deadline_days"`       // escalate to supervisors after this many days
	InfoDays          int             `json:"info_days"`           // needs_info expires after this many days
	PaymentFixDays    int             `json:"payment_fix_days"`    // payment_failed expires after this many days
}

// DefaultApproval is POLICIES.md's defaults.
func DefaultApproval() Approval {
	return Approval{
		FourEyesThreshold: decimal.RequireFromString("100000.00"),
		DeadlineDays:      5,
		InfoDays:          15,
		PaymentFixDays:    30,
	}
}
