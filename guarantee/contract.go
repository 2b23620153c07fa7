package guarantee

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// MaxContractNo is the longest contract number accepted, in characters.
const MaxContractNo = 64

// Contract is one line of a guarantee claim: a guarantee the filing institution gave for a
// borrower's loan. Its term is half-open, [StartDate, EndDate), like every date range of the
// API; both dates are read as calendar dates in their own zone.
type Contract struct {
	ContractNo         string          `json:"contract_no"`
	BorrowerCreditCode string          `json:"borrower_credit_code"`
	BorrowerSizeClass  string          `json:"borrower_size_class"` // as the institution claims it; the registry's wins
	GuaranteedAmount   decimal.Decimal `json:"guaranteed_amount"`   // CNY
	FeeRate            decimal.Decimal `json:"fee_rate"`            // annual, 0.008 = 0.8 %
	FeePaid            decimal.Decimal `json:"fee_paid"`            // guarantee fee actually paid, CNY
	StartDate          time.Time       `json:"start_date"`          // first day of the guarantee
	EndDate            time.Time       `json:"end_date"`            // first day after it
	CounterGuarantee   bool            `json:"counter_guarantee"`   // the institution required a counter-guarantee
	ReviewFee          bool            `json:"review_fee"`          // the institution charged a review fee
}

// ClaimedClasses are the size classes an institution may claim for a borrower.
var ClaimedClasses = []string{string(sizeclass.Small), string(sizeclass.Medium), string(sizeclass.Micro),
	string(sizeclass.Large)}

// Scope is what Judge needs of the program: its period, [PeriodStart, PeriodEnd), the
// "program year" of POLICIES.md whatever its length. The region plays no part: the
// institution list says who may claim, and a listed institution's borrowers may be anywhere.
type Scope struct {
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

// Validate returns what is malformed in a contract (JSON name → message), or nil. These are
// validation errors answered by the API; Judge assumes contracts passed them. A fee rate of
// 0 is refused: the fee paid must be above 0, so a free guarantee cannot be described, and
// it would earn no rebate anyway.
func (c Contract) Validate() map[string]string {
	errs := map[string]string{}
	switch {
	case strings.TrimSpace(c.ContractNo) == "":
		errs["contract_no"] = "must not be empty"
	case utf8.RuneCountInString(c.ContractNo) > MaxContractNo:
		errs["contract_no"] = fmt.Sprintf("must be at most %d characters", MaxContractNo)
	}
	if err := creditcode.Validate(c.BorrowerCreditCode); err != nil {
		errs["borrower_credit_code"] = "must be a valid unified social credit code: " + err.Error()
	}
	if !slices.Contains(ClaimedClasses, c.BorrowerSizeClass) {
		errs["borrower_size_class"] = "must be one of " + strings.Join(ClaimedClasses, ", ")
	}
	checkAmount(errs, "guaranteed_amount", c.GuaranteedAmount)
	checkAmount(errs, "fee_paid", c.FeePaid)
	checkPositiveRate(errs, "fee_rate", c.FeeRate)
	for field, t := range map[string]time.Time{"start_date": c.StartDate, "end_date": c.EndDate} {
		if t.IsZero() {
			errs[field] = `must be a date such as "2024-03-01"`
		}
	}
	if !c.StartDate.IsZero() && !c.EndDate.IsZero() && !civil(c.EndDate).After(civil(c.StartDate)) {
		errs["end_date"] = "must be after start_date (the guarantee runs up to, not including, this day)"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkAmount(errs map[string]string, field string, d decimal.Decimal) {
	if err := money.CheckAmount(d); err != nil {
		errs[field] = err.Error()
	}
}

// ValidateContracts validates every line of a claim, keying errors as
// "contracts[i].field"; a claim without lines is an error on "contracts".
func ValidateContracts(lines []Contract) map[string]string {
	errs := map[string]string{}
	if len(lines) == 0 {
		errs["contracts"] = "must list at least one contract"
	}
	for i, c := range lines {
		for field, msg := range c.Validate() {
			errs[fmt.Sprintf("contracts[%d].%s", i, field)] = msg
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// OverlapDays counts the days the guarantee and the program period share: the days of
// [StartDate, EndDate) ∩ [PeriodStart, PeriodEnd), as calendar dates. 0 when they share none.
func OverlapDays(sc Scope, c Contract) int {
	start := laterOf(civil(c.StartDate), civil(sc.PeriodStart))
	end := earlierOf(civil(c.EndDate), civil(sc.PeriodEnd))
	if !end.After(start) {
		return 0
	}
	// Both are UTC midnights, so the difference is a whole number of 24-hour days.
	return int(end.Sub(start) / (24 * time.Hour))
}

// civil turns a time into its calendar date, read in its own zone, as UTC midnight, so a
// time of day or a zone never moves a date and no day has 23 or 25 hours.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// term describes the guarantee with its last day, as a person reads it.
func (c Contract) term() string { return rangeText(c.StartDate, c.EndDate) }

// periodText describes the program period with its last day.
func (sc Scope) periodText() string { return rangeText(sc.PeriodStart, sc.PeriodEnd) }

// rangeText shows a half-open range [start, end) with its inclusive last day.
func rangeText(start, end time.Time) string {
	return civil(start).Format(time.DateOnly) + " – " + civil(end).AddDate(0, 0, -1).Format(time.DateOnly)
}

// normalise trims surrounding spaces and upper-cases, so " ht-01" and "HT-01" are one
// contract.
func normalise(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
