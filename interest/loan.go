package interest

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
)

// Loan is a registered loan as the lender registers it. Its life is [StartDate,
// MaturityDate), half-open like every date range of the API; dates are calendar dates
// (UTC midnight once normalised). Rates are annual decimal fractions: 0.0365 is 3.65 %.
type Loan struct {
	ContractNo         string          `json:"contract_no"`
	BorrowerCreditCode string          `json:"borrower_credit_code"`
	LenderCreditCode   string          `json:"lender_credit_code"`
	Principal          decimal.Decimal `json:"principal"`     // CNY
	ContractRate       decimal.Decimal `json:"contract_rate"` // the loan's annual rate
	StatedLPR          decimal.Decimal `json:"stated_lpr"`    // the 1-year LPR the contract names
	ContractDate       time.Time       `json:"contract_date"` // the day the contract was signed
	StartDate          time.Time       `json:"start_date"`    // first day interest runs
	MaturityDate       time.Time       `json:"maturity_date"` // first day after the loan
}

// MaxContractNo is the longest contract number, in characters.
const MaxContractNo = 64

// Messages shared by Validate and the request checks, so the two cannot disagree.
const (
	msgBlank    = "must not be empty"
	msgText     = "must be printable text (no control characters, valid UTF-8)"
	msgDate     = `must be a date such as "2024-03-01"`
	msgRateZero = "must be greater than 0"
)

// Validate returns what is malformed in a loan (JSON name → message), or nil. These are the
// checks that need neither the program nor the LPR table; CheckRegistration adds those.
func (l Loan) Validate() map[string]string {
	errs := map[string]string{}
	checkText(errs, "contract_no", l.ContractNo)
	checkCode(errs, "borrower_credit_code", l.BorrowerCreditCode)
	checkCode(errs, "lender_credit_code", l.LenderCreditCode)
	if err := money.CheckAmount(l.Principal); err != nil {
		errs["principal"] = err.Error()
	}
	checkRate(errs, "contract_rate", l.ContractRate)
	checkRate(errs, "stated_lpr", l.StatedLPR)
	checkDates(errs, l)
	if _, bad := errs["borrower_credit_code"]; !bad && l.BorrowerCreditCode == l.LenderCreditCode {
		errs["borrower_credit_code"] = "must not be the lender's own code"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// checkDates requires the three dates and their order: the contract is signed on or before
// the day the loan starts (interest cannot run on an unsigned contract), and the loan
// matures after it starts.
func checkDates(errs map[string]string, l Loan) {
	for field, t := range map[string]time.Time{"contract_date": l.ContractDate, "start_date": l.StartDate,
		"maturity_date": l.MaturityDate} {
		if t.IsZero() {
			errs[field] = msgDate
		}
	}
	if l.StartDate.IsZero() {
		return
	}
	if !l.ContractDate.IsZero() && civil(l.ContractDate).After(civil(l.StartDate)) {
		errs["contract_date"] = "must not be after start_date (the loan starts under a signed contract)"
	}
	if !l.MaturityDate.IsZero() && !civil(l.MaturityDate).After(civil(l.StartDate)) {
		errs["maturity_date"] = "must be after start_date (the loan runs up to, not including, this day)"
	}
}

// checkText refuses blank text and text PostgreSQL or a page cannot hold faithfully: a NUL
// byte or invalid UTF-8 fails the insert, other control characters hide in listings.
func checkText(errs map[string]string, field, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		errs[field] = msgBlank
	case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
		errs[field] = msgText
	case utf8.RuneCountInString(s) > MaxContractNo:
		errs[field] = fmt.Sprintf("must be at most %d characters long", MaxContractNo)
	}
}

func checkCode(errs map[string]string, field, code string) {
	if err := creditcode.Validate(code); err != nil {
		errs[field] = "must be a valid unified social credit code: " + err.Error()
	}
}

// checkRate applies money.CheckRate and refuses zero: an interest-free loan has nothing to
// subsidise and an LPR has never been zero.
func checkRate(errs map[string]string, field string, r decimal.Decimal) {
	if err := money.CheckRate(r); err != nil {
		errs[field] = err.Error()
	} else if !r.IsPositive() {
		errs[field] = msgRateZero
	}
}

// rangeText shows a half-open range [start, end) with its inclusive last day.
func rangeText(start, end time.Time) string {
	return dateText(start) + " – " + dateText(civil(end).AddDate(0, 0, -1))
}

func dateText(t time.Time) string { return civil(t).Format(time.DateOnly) }

// civil turns a time into its calendar date, read in its own zone, as UTC midnight, so a
// time of day or a zone never moves a date.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addMonths steps n calendar months from the date d (POLICIES.md, "Whole months"), clamping
// to the last day of the target month: Jan 31 plus one month is Feb 28 (29 in a leap year),
// not Mar 3 as time.AddDate would have it.
func addMonths(d time.Time, n int) time.Time {
	d = civil(d)
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// normalise trims surrounding spaces and upper-cases, so " ht-01" and "HT-01" are one
// contract.
func normalise(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
