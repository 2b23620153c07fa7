// Package guarantee holds the rules of the guarantee-fee rebate (POLICIES.md, "4.
// Guarantee-fee rebates"): which guarantee contracts of a listed institution's claim are
// eligible and why the others are not, and what the eligible ones are worth. It does no
// I/O: contracts held by other claims need the store, so the workflow applies them through
// claim.Holders (see Claim.Assess); the borrowers' registered size classes need the
// registry, so whoever stores the claim writes them into the payload (see WithRegistered);
// and the institution's yearly cap needs the ledger, so it travels in kind.Outcome.Cap.
package guarantee

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
)

// RuleVersion is recorded with every assessment so an auditor can tell which rules produced
// it; change it whenever Judge or Calculate would decide differently.
const RuleVersion = "guarantee/v1"

// DaysPerYear is the divisor of the guarantee-fee day count (POLICIES.md, "Money": actual
// days / 365). It stays 365 in a leap year, so a guarantee over all of 2024 earns 366/365 of
// a year's subsidy.
const DaysPerYear = 365

// MaxInstitutions bounds the program's list of participating institutions.
const MaxInstitutions = 10000

// Params are the guarantee-specific parameters of a program, stored as
// program.Program.Params and frozen into each claim's snapshot.
type Params struct {
	Institutions []string        `json:"institutions"` // credit codes of the participating guarantee institutions
	MaxFeeRate   decimal.Decimal `json:"max_fee_rate"` // highest annual fee rate a contract may charge, 0.01 = 1 %
	SubsidyRate  decimal.Decimal `json:"subsidy_rate"` // share of the guaranteed amount paid per year of guarantee
	YearlyCap    decimal.Decimal `json:"yearly_cap"`   // per institution and program, applied by the ledger
}

// DefaultParams are POLICIES.md's defaults (Datong: fees below 1 %). The institution list
// starts empty and the result validates: administrators maintain the list after the program
// is created, and until an institution is listed its claims are refused with
// ReasonInstitutionNotListed, which is the safe side.
func DefaultParams() Params {
	return Params{
		Institutions: []string{},
		MaxFeeRate:   decimal.RequireFromString("0.01"),
		SubsidyRate:  decimal.RequireFromString("0.005"),
		YearlyCap:    decimal.RequireFromString("2000000.00"),
	}
}

// Validate returns what is wrong with each field (JSON name → message), or nil when the
// parameters are usable. Both rates must be above 0: a maximum fee of 0 would refuse every
// contract that charges a fee (and one that charges none earns no rebate), and a subsidy
// rate of 0 pays nothing; either is a mistake.
func (p Params) Validate() map[string]string {
	errs := map[string]string{}
	checkPositiveRate(errs, "max_fee_rate", p.MaxFeeRate)
	checkPositiveRate(errs, "subsidy_rate", p.SubsidyRate)
	if err := money.CheckAmount(p.YearlyCap); err != nil {
		errs["yearly_cap"] = err.Error()
	}
	if len(p.Institutions) > MaxInstitutions {
		errs["institutions"] = fmt.Sprintf("must list at most %d institutions", MaxInstitutions)
	}
	checkList(errs, "institutions", p.Institutions, func(c string) error {
		if err := creditcode.Validate(c); err != nil {
			return fmt.Errorf("must be a valid unified social credit code: %w", err)
		}
		return nil
	})
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// checkPositiveRate applies money.CheckRate and refuses 0.
func checkPositiveRate(errs map[string]string, field string, r decimal.Decimal) {
	if err := money.CheckRate(r); err != nil {
		errs[field] = err.Error()
	} else if !r.IsPositive() {
		errs[field] = money.ErrNotPositive.Error()
	}
}

// checkList checks each item and refuses repeats: a repeated code is a typing slip that
// would hide a missing one.
func checkList(errs map[string]string, field string, items []string, check func(string) error) {
	first := map[string]int{}
	for i, v := range items {
		key := fmt.Sprintf("%s[%d]", field, i)
		if err := check(v); err != nil {
			errs[key] = err.Error()
		} else if j, dup := first[v]; dup {
			errs[key] = fmt.Sprintf("repeats %s[%d]", field, j)
		} else {
			first[v] = i
		}
	}
}

// listsInstitution reports whether the institution is on the program's list. Codes are
// compared after normalising: the list passed creditcode.Validate (upper case), and the
// filer's code comes from the registry, but a stray space must not refuse a whole claim.
func (p Params) listsInstitution(code string) bool {
	return slices.ContainsFunc(p.Institutions, func(c string) bool { return normalise(c) == normalise(code) })
}
