package rent

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// ParamsRequest is the "params" object of a rent program as an administrator sends it;
// absent members take DefaultParams. A month or day count of 0 passes omitempty and is
// refused by Complete, which checks the completed parameters as a whole.
type ParamsRequest struct {
	Landlords          []string `json:"landlords" validate:"omitempty,max=10000,unique,dive,creditcode"`
	RiskCounties       []string `json:"risk_counties" validate:"omitempty,max=5000,unique,dive,region"`
	RiskMonths         *int     `json:"risk_months" validate:"omitempty,min=1,max=12"`
	NormalMonths       *int     `json:"normal_months" validate:"omitempty,min=1,max=12"`
	CompensateLandlord *bool    `json:"compensate_landlord"`
	ConfirmDays        *int     `json:"confirm_days" validate:"omitempty,min=1,max=365"`
}

// Complete fills the defaults and checks the parameters as a whole.
func (r *ParamsRequest) Complete() (any, map[string]string) {
	p := DefaultParams()
	if r.Landlords != nil {
		p.Landlords = r.Landlords
	}
	if r.RiskCounties != nil {
		p.RiskCounties = r.RiskCounties
	}
	if r.RiskMonths != nil {
		p.RiskMonths = *r.RiskMonths
	}
	if r.NormalMonths != nil {
		p.NormalMonths = *r.NormalMonths
	}
	if r.CompensateLandlord != nil {
		p.CompensateLandlord = *r.CompensateLandlord
	}
	if r.ConfirmDays != nil {
		p.ConfirmDays = *r.ConfirmDays
	}
	return p, p.Validate()
}

// LeaseRequest is the lease as an applicant sends it.
type LeaseRequest struct {
	ContractNo         string `json:"contract_no" validate:"required,notblank,max=64"`
	LandlordCreditCode string `json:"landlord_credit_code" validate:"required,creditcode"`
	PremisesAddress    string `json:"premises_address" validate:"required,notblank,max=200"`
	County             string `json:"county" validate:"required,region"`
	MonthlyRent        string `json:"monthly_rent" validate:"required,amount"`
	LeaseStart         string `json:"lease_start" validate:"required,date"`
	LeaseEnd           string `json:"lease_end" validate:"required,date"`
}

// BodyRequest is the "rent" member of a claim request: {"lease": {...}}.
type BodyRequest struct {
	Lease LeaseRequest `json:"lease" validate:"required"`
}

// Normalise converts a validated lease (dates become UTC midnight) and runs the lease's own
// checks, keying errors as "lease.field". It does not rely on the tags having run: a field
// that does not parse is reported, not guessed. The amount asked about is the monthly rent:
// the months, hence the waiver, depend on the program's period and risk list, which the
// body does not know.
func (b *BodyRequest) Normalise() (any, decimal.Decimal, map[string]string) {
	r := b.Lease
	errs := map[string]string{}
	rent, err := money.Parse(r.MonthlyRent)
	if err != nil {
		errs["monthly_rent"] = err.Error()
	}
	start, _ := time.Parse(time.DateOnly, r.LeaseStart) // an unreadable date stays zero and
	end, _ := time.Parse(time.DateOnly, r.LeaseEnd)     // Lease.Validate reports it
	l := Lease{ContractNo: r.ContractNo, LandlordCreditCode: r.LandlordCreditCode,
		PremisesAddress: r.PremisesAddress, County: r.County, MonthlyRent: rent, LeaseStart: start, LeaseEnd: end}
	for field, msg := range l.Validate() {
		if _, ok := errs[field]; !ok { // the parse error is the more precise one
			errs[field] = msg
		}
	}
	if len(errs) > 0 {
		return nil, decimal.Zero, prefixed(errs, "lease.")
	}
	return Payload{Lease: l}, rent, nil
}

// prefixed keys each field error under the body member it belongs to.
func prefixed(errs map[string]string, prefix string) map[string]string {
	out := make(map[string]string, len(errs))
	for f, msg := range errs {
		out[prefix+f] = msg
	}
	return out
}
