package workflows

import (
	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// check validates the voucher's own decisions. It runs as the updates' validator, so a
// refusal never enters history.
func (v *voucherRun) check(kind string, d contract.Decision) error {
	switch kind {
	case contract.UpdateRedeem:
		if err := v.checkOwner(d.Actor); err != nil {
			return err
		}
		if len(d.Payload) == 0 {
			return invalid("a redemption needs the purchase it records")
		}
		return v.expectStatus(kind, claim.Issued)
	case contract.UpdateReturn:
		if err := v.checkOwner(d.Actor); err != nil {
			return err
		}
		if v.status != claim.Issued {
			return conflict("only an issued, unused voucher can be returned; this one is %s", v.status)
		}
		return nil
	case contract.UpdateConfirmDelivery:
		if err := v.checkDeliverer(d.Actor); err != nil {
			return err
		}
		return v.expectStatus(kind, claim.Redeemed)
	}
	return invalid("unknown decision %q", kind)
}

// checkDeliverer admits the holder and the provider the redemption names.
func (v *voucherRun) checkDeliverer(a access.Principal) error {
	if a.Role == access.Applicant && a.CreditCode == v.in.CreditCode {
		return nil
	}
	if a.Role == access.Provider && v.redemption != nil && a.CreditCode == v.redemption.ProviderCreditCode {
		return nil
	}
	return forbidden("only the enterprise holding the voucher or the provider of the redeemed service may confirm delivery")
}

// checkOfficerCancel lets finance cancel a redeemed voucher whose delivery is overdue
// (POLICIES.md: escalated to the program officer, who may cancel it). Administrators are
// admitted by the shared rules before this is asked.
func (v *voucherRun) checkOfficerCancel(d contract.Decision) error {
	if !d.Actor.Role.IsFinance() {
		return forbidden("only an administrator, or finance once a voucher's delivery is overdue, cancels it")
	}
	if d.Actor.Subject == v.in.SubmittedBy.Subject {
		return forbidden("nobody decides on a claim they submitted")
	}
	if d.Note == "" {
		return invalid("a cancellation needs a note saying why")
	}
	if v.status != claim.Redeemed || !v.escalated {
		return conflict("finance cancels a voucher only once its delivery is overdue; this one is %s", v.status)
	}
	return nil
}
