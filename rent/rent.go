// Package rent holds the rules of the rent waiver (POLICIES.md, "3. Rent waivers"): which
// lease of a small or micro tenant of a state-owned landlord is entitled, how many months of
// rent are waived and what that is worth. It does no I/O: the lease held by another claim
// needs the store, so the workflow applies it through claim.Holders (see Claim.Assess), and
// the landlord's confirmation lives with the workflow.
package rent

import (
	"fmt"
	"slices"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/region"
)

// RuleVersion is recorded with every assessment so an auditor can tell which rules produced
// it; change it whenever Judge or Calculate would decide differently.
const RuleVersion = "rent/v1"

// How the landlord applies a waiver when it confirms the lease (POLICIES.md: offset future
// rent or refund rent already paid).
const (
	ApplyOffset = "offset"
	ApplyRefund = "refund"
)

// ApplyModes lists every way a landlord may apply a waiver, for validation and for forms.
var ApplyModes = []string{ApplyOffset, ApplyRefund}

// ValidApplyMode reports whether m is one of ApplyModes (exact, lower case).
func ValidApplyMode(m string) bool { return slices.Contains(ApplyModes, m) }

// Limits of the month parameters: a waiver is granted within one program year.
const (
	MinMonths     = 1
	MaxMonths     = 12
	MaxConfirmDay = 365
)

// Params are the rent-specific parameters of a program, stored as program.Program.Params
// and frozen into each claim's snapshot.
type Params struct {
	Landlords          []string `json:"landlords"`           // credit codes of the state-owned landlords
	RiskCounties       []string `json:"risk_counties"`       // county codes on the year's medium/high-risk list
	RiskMonths         int      `json:"risk_months"`         // months waived in a risk county
	NormalMonths       int      `json:"normal_months"`       // months waived elsewhere
	CompensateLandlord bool     `json:"compensate_landlord"` // the fund pays the landlord back after approval
	ConfirmDays        int      `json:"confirm_days"`        // days the landlord has to confirm before escalation
}

// DefaultParams are POLICIES.md's defaults (Tibet 2022). Both lists start empty and the
// result validates: administrators maintain the landlord register and the risk list after
// the program is created, and until a landlord is listed its tenants are refused with
// ReasonLandlordNotListed, which is the safe side.
func DefaultParams() Params {
	return Params{
		Landlords:    []string{},
		RiskCounties: []string{},
		RiskMonths:   6,
		NormalMonths: 3,
		ConfirmDays:  15,
	}
}

// Validate returns what is wrong with each field (JSON name → message), or nil when the
// parameters are usable. risk_months may be below normal_months: the policy names the two
// figures, not their order, and an administrator may have reasons we do not know.
func (p Params) Validate() map[string]string {
	errs := map[string]string{}
	checkMonths(errs, "risk_months", p.RiskMonths)
	checkMonths(errs, "normal_months", p.NormalMonths)
	if p.ConfirmDays < 1 || p.ConfirmDays > MaxConfirmDay {
		errs["confirm_days"] = fmt.Sprintf("must be between 1 and %d", MaxConfirmDay)
	}
	checkList(errs, "landlords", p.Landlords, func(c string) error {
		if err := creditcode.Validate(c); err != nil {
			return fmt.Errorf("must be a valid unified social credit code: %w", err)
		}
		return nil
	})
	checkList(errs, "risk_counties", p.RiskCounties, region.Validate)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkMonths(errs map[string]string, field string, n int) {
	if n < MinMonths || n > MaxMonths {
		errs[field] = fmt.Sprintf("must be between %d and %d", MinMonths, MaxMonths)
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

// listsLandlord reports whether the landlord is on the program's register. Codes are
// compared exactly: both sides passed creditcode.Validate, which accepts upper case only.
func (p Params) listsLandlord(code string) bool { return slices.Contains(p.Landlords, code) }

// riskCounty reports whether the county is on the risk list. The match is exact: the list
// names counties, and a city code on it does not stand for its districts.
func (p Params) riskCounty(county string) bool { return slices.Contains(p.RiskCounties, county) }
