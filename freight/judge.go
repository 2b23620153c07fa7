package freight

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// Reasons a line is refused, in the order Judge tries them: the first failing rule is the
// one reported. The two applicant-level reasons refuse every line of the claim.
const (
	ReasonApplicantNotIndustrial  claim.Reason = "applicant_not_industrial"  // 1. applicant's industry is not "industry"
	ReasonApplicantOutsideRegion  claim.Reason = "applicant_outside_region"  // 2. applicant registered outside the program region
	ReasonShipDateOutsidePeriod   claim.Reason = "ship_date_outside_period"  // 3. shipped before the period or on/after its end day
	ReasonOriginOutsideRegion     claim.Reason = "origin_outside_region"     // 4. not shipped from inside the region
	ReasonDestinationInsideRegion claim.Reason = "destination_inside_region" // 5. not shipped out of the region
	ReasonCategoryNotListed       claim.Reason = "category_not_listed"       // 6. product not on the program's list
	ReasonModeExcluded            claim.Reason = "mode_excluded"             // 7. e.g. rail in Qinghai-style programs
	ReasonDuplicateInClaim        claim.Reason = "duplicate_in_claim"        // 8. waybill or invoice on an earlier line
)

// Judge decides each line of a claim on its own (POLICIES.md: lines are judged one by one,
// a claim with some eligible lines is partially approved). Rules are tried in the order of
// the Reason constants and the first failure is reported, so a line refused for its date is
// not also reported as a duplicate. An eligible line's Basis is its amount; a refused line's
// Basis is 0. Lines must have passed Shipment.Validate. Evidence held by other claims is not
// known here: the workflow applies MarkClaimed afterwards.
func Judge(scope Scope, p Params, a Applicant, lines []Shipment) []claim.LineDecision {
	applicantReason, applicantText := judgeApplicant(scope, a)
	seen := map[Evidence]int{} // evidence → first line showing it
	out := make([]claim.LineDecision, len(lines))
	for i, s := range lines {
		reason, text := applicantReason, applicantText
		if reason == "" {
			reason, text = judgeLine(scope, p, s, seen)
		}
		for _, ev := range EvidenceOf(s) {
			if _, ok := seen[ev]; !ok {
				seen[ev] = i
			}
		}
		out[i] = decide(i, s.Amount, reason, text)
	}
	return out
}

// judgeApplicant applies the rules about who may claim (rules 1 and 2).
func judgeApplicant(scope Scope, a Applicant) (claim.Reason, string) {
	if a.Industry != string(sizeclass.Industrial) {
		return ReasonApplicantNotIndustrial, fmt.Sprintf(
			"the applicant's industry is %q; only industrial enterprises (industry) qualify", a.Industry)
	}
	if !region.Contains(scope.Region, a.Region) {
		return ReasonApplicantOutsideRegion, fmt.Sprintf(
			"the applicant is registered in region %s, outside the program region %s", a.Region, scope.Region)
	}
	return "", ""
}

// judgeLine applies the rules about one shipment (rules 3 to 8). seen holds the evidence of
// the earlier lines, whatever was decided on them.
func judgeLine(scope Scope, p Params, s Shipment, seen map[Evidence]int) (claim.Reason, string) {
	switch {
	case !scope.contains(s.ShipDate):
		return ReasonShipDateOutsidePeriod, fmt.Sprintf("ship date %s is outside the program period %s",
			s.ShipDate.Format(time.DateOnly), scope.periodText())
	case !region.Contains(scope.Region, s.OriginRegion):
		return ReasonOriginOutsideRegion, fmt.Sprintf("origin %s is outside the program region %s",
			s.OriginRegion, scope.Region)
	case region.Contains(scope.Region, s.DestinationRegion):
		return ReasonDestinationInsideRegion, fmt.Sprintf(
			"destination %s is inside the program region %s; only shipments leaving the region qualify",
			s.DestinationRegion, scope.Region)
	case !p.listsCategory(s.ProductCategory):
		return ReasonCategoryNotListed, fmt.Sprintf("product category %q is not on the program's list",
			s.ProductCategory)
	case p.excludes(s.Mode):
		return ReasonModeExcluded, fmt.Sprintf("transport mode %s is excluded by this program", s.Mode)
	}
	for _, ev := range EvidenceOf(s) {
		if first, ok := seen[ev]; ok {
			return ReasonDuplicateInClaim, fmt.Sprintf("%s %s already appears on line %d of this claim",
				ev.Kind, ev.Key, first+1)
		}
	}
	return "", ""
}

// decide builds the decision for line i: eligible with its amount as basis when there is no
// reason, refused with a zero basis otherwise.
func decide(i int, amount decimal.Decimal, reason claim.Reason, text string) claim.LineDecision {
	if reason != "" {
		return claim.LineDecision{Index: i, Reason: reason, Text: text, Basis: decimal.Zero}
	}
	return claim.LineDecision{Index: i, Eligible: true, Basis: amount,
		Text: fmt.Sprintf("eligible: freight of %s counts towards the subsidy", money.Format(amount))}
}

// applicantLevel reports whether a reason concerns the applicant rather than one line.
func applicantLevel(r claim.Reason) bool {
	return r == ReasonApplicantNotIndustrial || r == ReasonApplicantOutsideRegion
}
