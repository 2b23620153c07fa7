package guarantee

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// Reasons a contract is refused, in the order Judge tries them: the first failing rule is the
// one reported. The institution-level reason refuses every line of the claim.
const (
	ReasonInstitutionNotListed     claim.Reason = "institution_not_listed"     // 1. filer not on the program's list
	ReasonBorrowerNotSME           claim.Reason = "borrower_not_sme"           // 2. large, classless or an individual business
	ReasonFeeRateAboveMax          claim.Reason = "fee_rate_above_max"         // 3. annual fee rate above max_fee_rate
	ReasonCounterGuaranteeRequired claim.Reason = "counter_guarantee_required" // 4. demanded of a small or micro borrower
	ReasonReviewFeeCharged         claim.Reason = "review_fee_charged"         // 5. charged to a small or micro borrower
	ReasonGuaranteeOutsidePeriod   claim.Reason = "guarantee_outside_period"   // 6. shares no day with the program period
	ReasonDuplicateInClaim         claim.Reason = "duplicate_in_claim"         // 7. contract number on an earlier line
)

// Judge decides each contract of a claim on its own (POLICIES.md: lines are judged one by
// one, a claim with some eligible lines is partially approved). Rules are tried in the order
// of the Reason constants and the first failure is reported. The borrower's class is the
// registry's when borrowers lists it, else the claimed one; every line whose class is not
// simply confirmed by the registry says so in its Text (see Size.Note). An eligible line's
// Basis is its subsidy, min(fee paid, guaranteed × subsidy rate × overlap days / 365), to
// the precision described at over365; Calculate sums the exact figures again. A refused
// line's Basis is 0. Lines must have passed Contract.Validate. Contracts held by other claims
// are not known here: Claim.Assess applies MarkClaimed afterwards.
func Judge(sc Scope, p Params, institution string, borrowers Borrowers, lines []Contract) []claim.LineDecision {
	instReason, instText := judgeInstitution(p, institution)
	seen := map[string]int{} // normalised contract number → first line showing it
	out := make([]claim.LineDecision, len(lines))
	for i, c := range lines {
		size := borrowers.SizeOf(c)
		reason, text := instReason, instText
		if reason == "" {
			reason, text = judgeLine(sc, p, size, c, seen)
		}
		if _, ok := seen[normalise(c.ContractNo)]; !ok {
			seen[normalise(c.ContractNo)] = i
		}
		out[i] = decide(i, sc, p, c, reason, text)
		out[i].Text = withNote(out[i].Text, size.Note())
	}
	return out
}

// judgeInstitution applies rule 1: only a listed institution may claim at all.
func judgeInstitution(p Params, institution string) (claim.Reason, string) {
	if !p.listsInstitution(institution) {
		return ReasonInstitutionNotListed, fmt.Sprintf(
			"institution %s is not on the program's list of guarantee institutions", institution)
	}
	return "", ""
}

// judgeLine applies the rules about one contract (rules 2 to 7). seen holds the contract
// numbers of the earlier lines, whatever was decided on them.
func judgeLine(sc Scope, p Params, size Size, c Contract, seen map[string]int) (claim.Reason, string) {
	smallOrMicro := size.Class.IsSmallOrMicro()
	switch {
	case !size.Class.IsSME():
		return ReasonBorrowerNotSME, notSMEText(size)
	case c.FeeRate.GreaterThan(p.MaxFeeRate):
		return ReasonFeeRateAboveMax, fmt.Sprintf("the annual fee rate %s is above the program's maximum %s",
			money.FormatRate(c.FeeRate), money.FormatRate(p.MaxFeeRate))
	case smallOrMicro && c.CounterGuarantee:
		return ReasonCounterGuaranteeRequired, fmt.Sprintf(
			"a counter-guarantee was required of a %s borrower; small and micro borrowers must not be asked for one",
			size.Class)
	case smallOrMicro && c.ReviewFee:
		return ReasonReviewFeeCharged, fmt.Sprintf(
			"a review fee was charged to a %s borrower; small and micro borrowers must not be charged one", size.Class)
	case OverlapDays(sc, c) == 0:
		return ReasonGuaranteeOutsidePeriod, fmt.Sprintf("the guarantee %s shares no day with the program period %s",
			c.term(), sc.periodText())
	}
	if first, ok := seen[normalise(c.ContractNo)]; ok {
		return ReasonDuplicateInClaim, fmt.Sprintf("contract %s already appears on line %d of this claim",
			normalise(c.ContractNo), first+1)
	}
	return "", ""
}

// notSMEText says why the borrower is not an SME and on whose word.
func notSMEText(s Size) string {
	switch {
	case s.Individual:
		return "the borrower is an individual business (个体工商户), which has no size class; only SMEs qualify"
	case s.Class == "":
		return "the borrower has no size class " + s.source() + "; only SMEs (medium, small, micro) qualify"
	}
	return fmt.Sprintf("the borrower is %s %s; only SMEs (medium, small, micro) qualify", s.Class, s.source())
}

// decide builds the decision for line i: eligible with its subsidy as basis when there is no
// reason, refused with a zero basis otherwise.
func decide(i int, sc Scope, p Params, c Contract, reason claim.Reason, text string) claim.LineDecision {
	if reason != "" {
		return claim.LineDecision{Index: i, Reason: reason, Text: text, Basis: decimal.Zero}
	}
	s := subsidyOf(sc, p, c)
	return claim.LineDecision{Index: i, Eligible: true, Basis: s.value(), Text: s.text(p, c)}
}

// withNote appends the size-class note, if any, to a line's text.
func withNote(text, note string) string {
	if note == "" {
		return text
	}
	return text + "; " + note
}

// institutionLevel reports whether a reason concerns the filer rather than one line.
func institutionLevel(r claim.Reason) bool { return r == ReasonInstitutionNotListed }
