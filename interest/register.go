package interest

import (
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// ReasonBorrowerNotSmallOrMicro refuses a loan whose borrower is medium, large or has no
// size class. POLICIES.md admits "a small or micro enterprise" and, unlike the rent waiver,
// does not name individual businesses, so one (which has no class) is refused.
const ReasonBorrowerNotSmallOrMicro claim.Reason = "borrower_not_small_or_micro"

// JudgeBorrower decides whether the borrower may have its interest subsidised, from the
// size class in the enterprise registry. It returns an empty reason when it may. The class
// is judged when the loan is registered and holds for the loan's life: POLICIES.md pays "for
// the life of the loan", so a borrower that grows keeps the loan it was granted.
func JudgeBorrower(sizeClass string) (claim.Reason, string) {
	if sizeclass.Class(sizeClass).IsSmallOrMicro() {
		return "", ""
	}
	class := sizeClass
	if class == "" {
		class = "not known (an individual business has none)"
	}
	return ReasonBorrowerNotSmallOrMicro, fmt.Sprintf(
		"the borrower's size class is %s; only small and micro enterprises qualify", class)
}

// CheckRegistration returns what keeps a loan from being registered in the program (JSON
// name → message), or nil: the loan's own checks (Loan.Validate) and the program's rules.
// These are answered to the lender as field errors, because each is a fact of the contract
// the lender can correct or knows to be outside the program; nothing is stored.
//   - principal at most max_principal;
//   - maturity no later than start + max_term_months calendar months (POLICIES.md, "Whole
//     months"): a loan of exactly 36 months passes, one day more does not;
//   - the stated LPR equals the 1-year LPR in force on the contract date; the message names
//     that rate so the lender can see which figure the contract should carry;
//   - the lender is on the program's list.
func CheckRegistration(l Loan, p Params, table lpr.Table) map[string]string {
	errs := l.Validate()
	if errs == nil {
		errs = map[string]string{}
	}
	add := func(field, msg string) {
		if _, ok := errs[field]; !ok && msg != "" { // the malformed value is the first thing to fix
			errs[field] = msg
		}
	}
	add("principal", checkPrincipal(l, p))
	add("maturity_date", checkTerm(l, p))
	field, msg := checkStatedLPR(l, table)
	add(field, msg)
	if !p.listsLender(l.LenderCreditCode) {
		add("lender_credit_code", fmt.Sprintf("bank %s is not a participating lender of the program", l.LenderCreditCode))
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkPrincipal(l Loan, p Params) string {
	if l.Principal.GreaterThan(p.MaxPrincipal) {
		return "must be at most " + money.Format(p.MaxPrincipal) + " (the program's max_principal)"
	}
	return ""
}

func checkTerm(l Loan, p Params) string {
	if l.StartDate.IsZero() {
		return "" // Validate reported the missing start
	}
	latest := addMonths(l.StartDate, p.MaxTermMonths)
	if civil(l.MaturityDate).After(latest) {
		return fmt.Sprintf("the term must be at most %d months: maturity on or before %s",
			p.MaxTermMonths, dateText(latest))
	}
	return ""
}

// checkStatedLPR compares the contract's LPR with the table. A contract signed before the
// first fixing cannot have stated an LPR at all, which is the contract date's fault.
func checkStatedLPR(l Loan, table lpr.Table) (field, msg string) {
	if l.ContractDate.IsZero() {
		return "", ""
	}
	fix, ok := table.InForce(l.ContractDate)
	if !ok {
		first := "the LPR table is empty"
		if len(table) > 0 {
			first = "the first fixing is of " + dateText(table[0].Effective)
		}
		return "contract_date", fmt.Sprintf("no 1-year LPR was in force on %s: %s", dateText(l.ContractDate), first)
	}
	if !l.StatedLPR.Equal(fix.Rate) {
		return "stated_lpr", fmt.Sprintf(`must be the 1-year LPR in force on %s: %s ("%s", fixed on %s)`,
			dateText(l.ContractDate), fix.Percent(), fix.Rate, dateText(fix.Effective))
	}
	return "", ""
}
