package rent

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
)

// Lease is the one line of a rent claim. Its term is half-open, [LeaseStart, LeaseEnd), like
// every date range of the API; both dates are read as calendar dates in their own zone.
type Lease struct {
	ContractNo         string          `json:"contract_no"`
	LandlordCreditCode string          `json:"landlord_credit_code"`
	PremisesAddress    string          `json:"premises_address"`
	County             string          `json:"county"`       // 6-digit code of the premises' county
	MonthlyRent        decimal.Decimal `json:"monthly_rent"` // CNY
	LeaseStart         time.Time       `json:"lease_start"`  // first day of the lease
	LeaseEnd           time.Time       `json:"lease_end"`    // first day after it
}

// Scope is what Judge needs of the program: its region and period, [PeriodStart,
// PeriodEnd). The period is the "program year" of POLICIES.md, whatever its length.
type Scope struct {
	Region      string    `json:"region"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

// Tenant is what Judge needs of the enterprise snapshot.
type Tenant struct {
	CreditCode string `json:"credit_code"`
	SizeClass  string `json:"size_class"` // a sizeclass.Class; empty for an individual business
	Region     string `json:"region"`
}

// Validate returns what is malformed in a lease (JSON name → message), or nil. These are
// validation errors answered by the API; Judge assumes leases passed them.
func (l Lease) Validate() map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(l.ContractNo) == "" {
		errs["contract_no"] = "must not be empty"
	}
	if strings.TrimSpace(l.PremisesAddress) == "" {
		errs["premises_address"] = "must not be empty"
	}
	if err := creditcode.Validate(l.LandlordCreditCode); err != nil {
		errs["landlord_credit_code"] = "must be a valid unified social credit code: " + err.Error()
	}
	if err := region.Validate(l.County); err != nil {
		errs["county"] = err.Error()
	}
	if err := money.CheckAmount(l.MonthlyRent); err != nil {
		errs["monthly_rent"] = err.Error()
	}
	for field, t := range map[string]time.Time{"lease_start": l.LeaseStart, "lease_end": l.LeaseEnd} {
		if t.IsZero() {
			errs[field] = `must be a date such as "2024-03-01"`
		}
	}
	if _, bad := errs["lease_start"]; !bad && !l.LeaseEnd.IsZero() && !civil(l.LeaseEnd).After(civil(l.LeaseStart)) {
		errs["lease_end"] = "must be after lease_start (the lease runs up to, not including, this day)"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// term describes the lease with its last day, as a person reads it.
func (l Lease) term() string { return rangeText(l.LeaseStart, l.LeaseEnd) }

// periodText describes the program period with its last day.
func (sc Scope) periodText() string { return rangeText(sc.PeriodStart, sc.PeriodEnd) }

// rangeText shows a half-open range [start, end) with its inclusive last day.
func rangeText(start, end time.Time) string {
	return civil(start).Format(time.DateOnly) + " – " + civil(end).AddDate(0, 0, -1).Format(time.DateOnly)
}
