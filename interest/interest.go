// Package interest holds the rules of the interest subsidy (POLICIES.md, "5. Interest
// subsidies", 贷款贴息 / 创业担保贷款): which loan may be registered, how its life is cut into
// quarterly periods settled on the 20th of March, June, September and December, and what
// each period pays back. It does no I/O: the loan's long-lived process, its report deadlines
// and the LPR table's storage belong to others; they call Periods, CalculatePeriod and
// lpr.Table.
//
// A "claim" of this kind is ONE PERIOD of one loan (see PeriodPayload): each period is
// approved and paid like a claim, filed by the loan's process on the borrower's behalf, never
// through POST /v1/claims.
package interest

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
)

// RuleVersion is recorded with every assessment so an auditor can tell which rules produced
// it; change it whenever a judgement or the calculation would decide differently.
const RuleVersion = "interest/v1"

// Limits of the parameters. Start-up guarantee loans run up to three years; ten years keeps
// a typo from admitting a mortgage. A year is the longest a report may be awaited.
const (
	MaxTermMonths = 120
	MaxReportDays = 365
	MaxLenders    = 1000
)

// Params are the interest-specific parameters of a program, stored as program.Program.Params
// and frozen into each period claim's snapshot.
type Params struct {
	Lenders       []string        `json:"lenders"`         // credit codes of the participating banks
	MaxPrincipal  decimal.Decimal `json:"max_principal"`   // the largest principal a loan may have
	MaxTermMonths int             `json:"max_term_months"` // maturity no later than start + this many months
	ReportDays    int             `json:"report_days"`     // days after a settlement date before a missing report is escalated
}

// DefaultParams are POLICIES.md's defaults. The lender list starts empty and the result
// validates: administrators list the participating banks after the program is created, and
// until a bank is listed no loan of it can be registered, which is the safe side.
func DefaultParams() Params {
	return Params{
		Lenders:       []string{},
		MaxPrincipal:  decimal.RequireFromString("3000000.00"),
		MaxTermMonths: 36,
		ReportDays:    30,
	}
}

// Validate returns what is wrong with each field (JSON name → message), or nil when the
// parameters are usable.
func (p Params) Validate() map[string]string {
	errs := map[string]string{}
	if err := money.CheckAmount(p.MaxPrincipal); err != nil {
		errs["max_principal"] = err.Error()
	}
	if p.MaxTermMonths < 1 || p.MaxTermMonths > MaxTermMonths {
		errs["max_term_months"] = fmt.Sprintf("must be between 1 and %d", MaxTermMonths)
	}
	if p.ReportDays < 1 || p.ReportDays > MaxReportDays {
		errs["report_days"] = fmt.Sprintf("must be between 1 and %d", MaxReportDays)
	}
	if len(p.Lenders) > MaxLenders {
		errs["lenders"] = fmt.Sprintf("must list at most %d items", MaxLenders)
	}
	checkLenders(errs, p.Lenders)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// checkLenders checks each code and refuses repeats: a repeated code is a typing slip that
// would hide a missing one.
func checkLenders(errs map[string]string, codes []string) {
	first := map[string]int{}
	for i, c := range codes {
		key := fmt.Sprintf("lenders[%d]", i)
		if err := creditcode.Validate(c); err != nil {
			errs[key] = "must be a valid unified social credit code: " + err.Error()
		} else if j, dup := first[c]; dup {
			errs[key] = fmt.Sprintf("repeats lenders[%d]", j)
		} else {
			first[c] = i
		}
	}
}

// listsLender reports whether the bank participates. Codes are compared exactly: both sides
// passed creditcode.Validate, which accepts upper case only.
func (p Params) listsLender(code string) bool { return slices.Contains(p.Lenders, code) }
