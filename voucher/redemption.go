package voucher

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Redemption is the purchase an enterprise records against its voucher: the one line the
// redemption's assessment judges.
type Redemption struct {
	ProviderCreditCode string          `json:"provider_credit_code"`
	ServiceCategory    string          `json:"service_category"`
	ContractNo         string          `json:"contract_no"`
	InvoiceNo          string          `json:"invoice_no"`
	InvoiceDate        time.Time       `json:"invoice_date"`   // read as a calendar date, see Scope
	InvoiceAmount      decimal.Decimal `json:"invoice_amount"` // A, the fee invoiced, CNY
}

// Payload is how a redemption is stored with the voucher and handed to the assessment:
// {"redemption": {...}}.
type Payload struct {
	Redemption Redemption `json:"redemption"`
}

// Validate returns what is malformed in a redemption (JSON name → message), or nil. These
// are validation errors answered by the API; the judgement assumes redemptions passed them.
func (r Redemption) Validate() map[string]string {
	errs := map[string]string{}
	if err := creditcode.Validate(r.ProviderCreditCode); err != nil {
		errs["provider_credit_code"] = "must be a valid unified social credit code: " + err.Error()
	}
	required := map[string]string{"service_category": r.ServiceCategory,
		"contract_no": r.ContractNo, "invoice_no": r.InvoiceNo}
	for field, v := range required {
		if strings.TrimSpace(v) == "" {
			errs[field] = "must not be empty"
		}
	}
	if r.InvoiceDate.IsZero() {
		errs["invoice_date"] = `must be a date such as "2024-03-01"`
	}
	if err := money.CheckAmount(r.InvoiceAmount); err != nil {
		errs["invoice_amount"] = err.Error()
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Scope is what the judgements need of the program: its region and period. The period
// includes the day of PeriodStart and excludes the day of PeriodEnd; dates are compared as
// calendar dates, each read in its own time zone, so a time of day never moves an invoice in
// or out.
type Scope struct {
	Region      string    `json:"region"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

// ScopeOf reads the scope of a program.
func ScopeOf(prg program.Program) Scope {
	return Scope{Region: prg.Region, PeriodStart: prg.PeriodStart, PeriodEnd: prg.PeriodEnd}
}

// dayNumber turns a time into a comparable calendar date (yyyymmdd) in its own location.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// contains reports whether the period holds the day of t: start day in, end day out.
func (sc Scope) contains(t time.Time) bool {
	day := dayNumber(t)
	return day >= dayNumber(sc.PeriodStart) && day < dayNumber(sc.PeriodEnd)
}

// periodText describes the period with its last day, as a person reads it.
func (sc Scope) periodText() string {
	last := sc.PeriodEnd.AddDate(0, 0, -1)
	return sc.PeriodStart.Format(time.DateOnly) + " to " + last.Format(time.DateOnly)
}

// ExpiresAt is the first instant a voucher issued at issued can no longer be redeemed:
// midnight starting the day ValidDays calendar days after the issue day, in issued's time
// zone. The validity is half-open like every range of POLICIES.md: the issue day is day 1
// and a 180-day voucher issued on 2024-01-01 may be redeemed through 2024-06-28 and expires
// at 2024-06-29 00:00. Calendar days, not 24-hour steps, so the time of issue and a
// daylight-saving change do not shift the last day.
func ExpiresAt(issued time.Time, p Params) time.Time { return dayAfter(issued, p.ValidDays) }

// DeliveryDeadline is the first instant at which a redeemed voucher whose delivery is not yet
// confirmed is escalated: midnight starting the day DeliveryDays calendar days after the
// redemption day (the redemption day is day 1), with the same half-open reading as ExpiresAt.
func DeliveryDeadline(redeemed time.Time, p Params) time.Time {
	return dayAfter(redeemed, p.DeliveryDays)
}

// dayAfter is midnight at the start of t's calendar day plus n days, in t's location.
func dayAfter(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, t.Location())
}

// Payee is the credit code paid once finance approves: the provider of the redemption, or
// the enterprise holding the voucher (holder) when the program pays enterprises.
func Payee(p Params, r Redemption, holder string) string {
	if p.Payee == PayeeEnterprise {
		return holder
	}
	return r.ProviderCreditCode
}
