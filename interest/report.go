package interest

import (
	"errors"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// Report is the lender's report for one period (POLICIES.md: the interest actually paid,
// the outstanding principal, and whether the loan was overdue in the period; the lender also
// reports an extension).
type Report struct {
	InterestPaid         decimal.Decimal `json:"interest_paid"`         // CNY paid for the period; may be 0
	OutstandingPrincipal decimal.Decimal `json:"outstanding_principal"` // CNY the period's interest ran on
	Overdue              bool            `json:"overdue"`               // overdue at any time in the period (逾期)
	Extended             bool            `json:"extended"`              // extended in the period (展期)
}

// Validate returns what is malformed in a report (JSON name → message), or nil. Interest
// paid may be 0.00 (a borrower that paid nothing, usually overdue, is reported as such and
// gets nothing); the outstanding principal must be above 0, since a loan repaid in full ends
// its last period at the repayment date.
func (r Report) Validate() map[string]string {
	errs := map[string]string{}
	if err := checkNonNegative(r.InterestPaid); err != nil {
		errs["interest_paid"] = err.Error()
	}
	if err := money.CheckAmount(r.OutstandingPrincipal); err != nil {
		errs["outstanding_principal"] = err.Error()
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

var errNegative = errors.New("must not be negative")

// checkNonNegative is money.CheckAmount that lets 0 through.
func checkNonNegative(d decimal.Decimal) error {
	if d.IsZero() {
		return nil
	}
	if d.IsNegative() {
		return errNegative
	}
	return money.CheckAmount(d)
}

// parseNonNegative is money.Parse that lets "0" and "0.00" through.
func parseNonNegative(s string) (decimal.Decimal, error) {
	d, err := money.Parse(s)
	if err == money.ErrNotPositive && s != "" && s[0] != '-' {
		return decimal.Zero, nil // the plain form of zero; a sign is refused below
	}
	if err == money.ErrNotPositive {
		return decimal.Zero, errNegative
	}
	return d, err
}
