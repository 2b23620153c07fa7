package voucher

import (
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/region"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// Reasons an application for a voucher is refused, in the order JudgeApplication tries
// them; the first failing rule is the one reported.
const (
	ReasonIndividualBusiness     claim.Reason = "applicant_individual_business" // 1. 个体工商户: not admitted
	ReasonApplicantNotSME        claim.Reason = "applicant_not_sme"             // 2. large, or no size class
	ReasonApplicantOutsideRegion claim.Reason = "applicant_outside_region"      // 3. registered outside the program region
)

// ReasonAlreadyHoldsVoucher refuses a second voucher for the same enterprise in the same
// program (POLICIES.md: one voucher per enterprise per program). Only the store can see the
// first voucher, so it decides this reason; it is defined here so every kind's reason codes
// live with its rules.
const ReasonAlreadyHoldsVoucher claim.Reason = "already_holds_voucher"

// Applicant is what JudgeApplication needs of the enterprise snapshot.
type Applicant struct {
	CreditCode string `json:"credit_code"`
	SizeClass  string `json:"size_class"` // a sizeclass.Class, computed by the registry
	Region     string `json:"region"`
}

// ApplicantOf reads the applicant's facts from a registered enterprise.
func ApplicantOf(e enterprise.Enterprise) Applicant {
	return Applicant{CreditCode: e.CreditCode, SizeClass: e.SizeClass, Region: e.Region}
}

// JudgeApplication decides whether an applicant may hold a voucher of the program: an SME
// (small, medium or micro) registered inside the program region. It returns "" and a short
// text when the applicant qualifies.
//
// An individual business is refused before its size class is looked at: POLICIES.md gives
// it no size class and admits it only "wherever a program admits individual businesses",
// which the voucher section (unlike rent waivers) does not. Every other entity type
// (enterprise, farmers' cooperative, other registrants) is judged by the size class the
// registry computed. No rule of this version reads p; it is passed so a later version can
// add a parameter without changing callers.
func JudgeApplication(scope Scope, p Params, a Applicant) (claim.Reason, string) {
	if creditcode.EntityTypeOf(a.CreditCode) == creditcode.IndividualBusiness {
		return ReasonIndividualBusiness,
			"the applicant is an individual business (个体工商户); vouchers are for small, medium and micro enterprises"
	}
	if !sizeclass.Class(a.SizeClass).IsSME() {
		return ReasonApplicantNotSME, notSMEText(a.SizeClass)
	}
	if !region.Contains(scope.Region, a.Region) {
		return ReasonApplicantOutsideRegion, fmt.Sprintf(
			"the applicant is registered in region %s, outside the program region %s", a.Region, scope.Region)
	}
	return "", fmt.Sprintf("eligible: a %s enterprise registered in region %s", a.SizeClass, a.Region)
}

// notSMEText explains a refused size class; an unknown class is refused rather than guessed.
func notSMEText(class string) string {
	if class == "" {
		return "the applicant has no size class; only small, medium and micro enterprises qualify"
	}
	return fmt.Sprintf("the applicant's size class is %q; only small, medium and micro enterprises qualify", class)
}
