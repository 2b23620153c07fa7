package interest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// ReasonNotTheBorrower refuses a period claim filed for an enterprise other than the loan's
// borrower: the subsidy is the borrower's interest paid back to the borrower.
const ReasonNotTheBorrower claim.Reason = "not_the_borrower"

// PeriodPayload is how one period claim is stored and handed to its workflow: the loan as
// registered, the period, the lender's report for it, and whether the loan was extended in
// an earlier period (which the loan's process knows and a single report does not).
type PeriodPayload struct {
	Loan           Loan   `json:"loan"`
	Period         Period `json:"period"`
	Report         Report `json:"report"`
	ExtendedBefore bool   `json:"extended_before"`
}

// PayloadOf decodes a stored period payload and checks that its period is one of its loan's.
func PayloadOf(raw json.RawMessage) (PeriodPayload, error) {
	var pp PeriodPayload
	if err := json.Unmarshal(raw, &pp); err != nil {
		return PeriodPayload{}, fmt.Errorf("interest payload: %w", err)
	}
	if err := checkPeriod(pp.Loan, pp.Period); err != nil {
		return PeriodPayload{}, fmt.Errorf("interest payload: %w", err)
	}
	if errs := pp.Loan.Validate(); errs != nil {
		return PeriodPayload{}, fmt.Errorf("interest payload: loan: %s", fieldText(errs))
	}
	if errs := pp.Report.Validate(); errs != nil {
		return PeriodPayload{}, fmt.Errorf("interest payload: report: %s", fieldText(errs))
	}
	return pp, nil
}

// fieldText lists field errors in a fixed order, for an error message.
func fieldText(errs map[string]string) string {
	parts := make([]string, 0, len(errs))
	for _, f := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, f+" "+errs[f])
	}
	return strings.Join(parts, "; ")
}

// AssessPeriod is the one path from a period to an assessment, taken by a claim and a dry
// run alike: check the filer is the borrower, judge the period, refuse it when another claim
// holds it, then calculate. Only an eligible period is registered as evidence, so a refused
// one blocks nobody.
func AssessPeriod(pp PeriodPayload, filer string, holders claim.Holders) (claim.Assessment, error) {
	d := JudgePeriod(pp.Loan, pp.Period, pp.Report, pp.ExtendedBefore)
	if normalise(filer) != normalise(pp.Loan.BorrowerCreditCode) {
		d = claim.LineDecision{Index: 0, Reason: ReasonNotTheBorrower, Basis: decimal.Zero,
			Text: fmt.Sprintf("the claim is filed for %s, but the loan's borrower is %s", filer, pp.Loan.BorrowerCreditCode)}
	}
	if d.Eligible {
		held, err := holders([]claim.Evidence{PeriodEvidenceOf(pp.Loan, pp.Period)})
		if err != nil {
			return claim.Assessment{}, err
		}
		if other, ok := held[0]; ok {
			MarkClaimed(&d, other)
		}
	}
	return Calculate(pp.Loan, pp.Period, pp.Report, d), nil
}
