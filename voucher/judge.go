package voucher

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// Reasons a redemption is refused, in the order JudgeRedemption tries them: the first
// failing rule is the one reported.
const (
	ReasonProviderNotListed        claim.Reason = "provider_not_listed"         // 1. not on the program's provider list
	ReasonCategoryNotListed        claim.Reason = "category_not_listed"         // 2. service not in the program's list
	ReasonProviderIsApplicant      claim.Reason = "provider_is_applicant"       // 3. the enterprise bought from itself
	ReasonInvoiceDateOutsidePeriod claim.Reason = "invoice_date_outside_period" // 4. before the period or on/after its end day
)

// JudgeRedemption decides the one line of a redemption (Index 0). holder is the credit code
// of the enterprise holding the voucher. An eligible line's Basis is the invoice amount; a
// refused line's Basis is 0. The redemption must have passed Redemption.Validate. Evidence
// held by other claims is not known here: Claim.Assess applies MarkClaimed afterwards.
//
// Buying from oneself is refused even when the enterprise is itself a listed provider: the
// voucher pays for third-party services (POLICIES.md), and paying an enterprise for its own
// invoice is the simplest abuse of it.
func JudgeRedemption(scope Scope, p Params, holder string, r Redemption) claim.LineDecision {
	reason, text := judgeRedemption(scope, p, holder, r)
	if reason != "" {
		return claim.LineDecision{Index: 0, Reason: reason, Text: text, Basis: decimal.Zero}
	}
	return claim.LineDecision{Index: 0, Eligible: true, Basis: r.InvoiceAmount,
		Text: fmt.Sprintf("eligible: an invoice of %s for %s from provider %s",
			money.Format(r.InvoiceAmount), r.ServiceCategory, r.ProviderCreditCode)}
}

func judgeRedemption(scope Scope, p Params, holder string, r Redemption) (claim.Reason, string) {
	switch {
	case !p.listsProvider(r.ProviderCreditCode):
		return ReasonProviderNotListed, fmt.Sprintf(
			"provider %s is not on the program's list of providers registered on the public service platform",
			r.ProviderCreditCode)
	case !p.listsCategory(r.ServiceCategory):
		return ReasonCategoryNotListed, fmt.Sprintf("service category %q is not one of the program's: %s",
			r.ServiceCategory, strings.Join(p.ServiceCategories, ", "))
	case sameCode(r.ProviderCreditCode, holder):
		return ReasonProviderIsApplicant, fmt.Sprintf(
			"provider %s is the enterprise holding the voucher; only third-party services qualify",
			r.ProviderCreditCode)
	case !scope.contains(r.InvoiceDate):
		return ReasonInvoiceDateOutsidePeriod, fmt.Sprintf("invoice date %s is outside the program period %s",
			r.InvoiceDate.Format(time.DateOnly), scope.periodText())
	}
	return "", ""
}

// sameCode compares credit codes as the evidence keys do, so a code stored with different
// spacing or case is still recognised as the holder's own.
func sameCode(a, b string) bool { return normalise(a) == normalise(b) }
