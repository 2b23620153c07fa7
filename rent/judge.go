package rent

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// Reasons a lease is refused, in the order Judge tries them: the first failing rule is the
// one reported.
const (
	ReasonTenantNotSmallOrMicro claim.Reason = "tenant_not_small_or_micro" // 1. medium, large or unclassified, and not an individual business
	ReasonTenantOutsideRegion   claim.Reason = "tenant_outside_region"     // 2. tenant registered outside the program region
	ReasonLandlordNotListed     claim.Reason = "landlord_not_listed"       // 3. landlord not on the program's state-owned register
	ReasonPremisesOutsideRegion claim.Reason = "premises_outside_region"   // 4. premises' county outside the program region
	ReasonLeaseOutsidePeriod    claim.Reason = "lease_outside_period"      // 5. the lease shares no day with the program period
	ReasonNoWholeMonth          claim.Reason = "no_whole_month_in_period"  // 6. it shares less than one whole month
	ReasonTenantIsLandlord      claim.Reason = "tenant_is_landlord"        // 7. tenant and landlord are the same entity
)

// Judge decides the lease of a claim. Rules are tried in the order of the Reason constants
// and the first failure is reported. An eligible line's Basis is the exact waiver, monthly
// rent × months waived, so that Calculate only rounds it; a refused line's Basis is 0. The
// lease must have passed Lease.Validate. A lease held by another claim is not known here:
// Claim.Assess applies MarkClaimed afterwards.
func Judge(sc Scope, p Params, t Tenant, l Lease) claim.LineDecision {
	reason, text := judgeTenant(sc, t)
	if reason == "" {
		reason, text = judgeLease(sc, p, t, l)
	}
	if reason != "" {
		return claim.LineDecision{Index: 0, Reason: reason, Text: text, Basis: decimal.Zero}
	}
	a := Allow(sc, p, l)
	return claim.LineDecision{Index: 0, Eligible: true, Basis: l.MonthlyRent.Mul(decimal.NewFromInt(int64(a.Months))),
		Text: fmt.Sprintf("eligible: %d months of rent of %s waived (%s)",
			a.Months, money.Format(l.MonthlyRent), a.why(l.County))}
}

// judgeTenant applies the rules about who may claim (rules 1 and 2). An individual business
// has no size class (POLICIES.md, "Enterprises and their size") and is admitted by name.
func judgeTenant(sc Scope, t Tenant) (claim.Reason, string) {
	individual := creditcode.EntityTypeOf(t.CreditCode) == creditcode.IndividualBusiness
	if !individual && !sizeclass.Class(t.SizeClass).IsSmallOrMicro() {
		class := t.SizeClass
		if class == "" {
			class = "not known"
		}
		return ReasonTenantNotSmallOrMicro, fmt.Sprintf(
			"the tenant's size class is %s; only small and micro enterprises and individual businesses qualify", class)
	}
	if !region.Contains(sc.Region, t.Region) {
		return ReasonTenantOutsideRegion, fmt.Sprintf(
			"the tenant is registered in region %s, outside the program region %s", t.Region, sc.Region)
	}
	return "", ""
}

// judgeLease applies the rules about the lease itself (rules 3 to 7).
func judgeLease(sc Scope, p Params, t Tenant, l Lease) (claim.Reason, string) {
	switch {
	case !p.listsLandlord(l.LandlordCreditCode):
		return ReasonLandlordNotListed, fmt.Sprintf(
			"landlord %s is not on the program's list of state-owned landlords", l.LandlordCreditCode)
	case !region.Contains(sc.Region, l.County):
		return ReasonPremisesOutsideRegion, fmt.Sprintf("the premises' county %s is outside the program region %s",
			l.County, sc.Region)
	}
	if _, _, ok := Overlap(sc, l); !ok {
		return ReasonLeaseOutsidePeriod, fmt.Sprintf("the lease %s shares no day with the program period %s",
			l.term(), sc.periodText())
	}
	if MonthsInPeriod(sc, l) == 0 {
		return ReasonNoWholeMonth, fmt.Sprintf(
			"the lease %s covers less than one whole month of the program period %s", l.term(), sc.periodText())
	}
	if sameCode(t.CreditCode, l.LandlordCreditCode) {
		return ReasonTenantIsLandlord, "the tenant and the landlord are the same entity; a waiver on one's own rent is refused"
	}
	return "", ""
}

// why says where the entitled months come from, for the line's text and the calculation.
func (a Allowance) why(county string) string {
	src := fmt.Sprintf("%d for county %s, not on the risk list", a.Entitled, county)
	if a.Risk {
		src = fmt.Sprintf("%d for county %s, on the risk list", a.Entitled, county)
	}
	if a.Months < a.Entitled {
		src += fmt.Sprintf(", limited to the lease's %d whole months in the period", a.InPeriod)
	}
	return src
}

// sameCode compares credit codes the way evidence keys are compared.
func sameCode(a, b string) bool { return normalise(a) == normalise(b) }

// normalise trims surrounding spaces and upper-cases, so " ht-01" and "HT-01" are one
// contract.
func normalise(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
