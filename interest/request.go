package interest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// ParamsRequest is the "params" object of an interest program as an administrator sends
// it; absent members take DefaultParams. Complete checks the completed parameters again,
// so a request that skipped the tags is refused all the same.
type ParamsRequest struct {
	Lenders       []string `json:"lenders" validate:"omitempty,max=1000,unique,dive,creditcode"`
	MaxPrincipal  *string  `json:"max_principal" validate:"omitempty,amount"`
	MaxTermMonths *int     `json:"max_term_months" validate:"omitempty,min=1,max=120"`
	ReportDays    *int     `json:"report_days" validate:"omitempty,min=1,max=365"`
}

// Complete fills the defaults and checks the parameters as a whole. The amount is parsed
// again rather than trusted to the tags, so a request that skipped them gets a field error,
// not a panic.
func (r *ParamsRequest) Complete() (any, map[string]string) {
	p := DefaultParams()
	if r.MaxPrincipal != nil {
		d, err := money.Parse(*r.MaxPrincipal)
		if err != nil {
			return nil, map[string]string{"max_principal": err.Error()}
		}
		p.MaxPrincipal = d
	}
	if r.Lenders != nil {
		p.Lenders = r.Lenders
	}
	if r.MaxTermMonths != nil {
		p.MaxTermMonths = *r.MaxTermMonths
	}
	if r.ReportDays != nil {
		p.ReportDays = *r.ReportDays
	}
	return p, p.Validate()
}

// RegistrationRequest is a loan as the lender registers it.
type RegistrationRequest struct {
	ContractNo         string `json:"contract_no" validate:"required,notblank,max=64"`
	BorrowerCreditCode string `json:"borrower_credit_code" validate:"required,creditcode"`
	LenderCreditCode   string `json:"lender_credit_code" validate:"required,creditcode"`
	Principal          string `json:"principal" validate:"required,amount"`
	ContractRate       string `json:"contract_rate" validate:"required,rate"`
	StatedLPR          string `json:"stated_lpr" validate:"required,rate"`
	ContractDate       string `json:"contract_date" validate:"required,date"`
	StartDate          string `json:"start_date" validate:"required,date"`
	MaturityDate       string `json:"maturity_date" validate:"required,date"`
}

// Normalise converts a registration (dates become UTC midnight) and runs the loan's own
// checks. It does not rely on the tags having run: a field that does not parse is reported,
// not guessed. The program's rules (CheckRegistration) need the program and the LPR table,
// which the caller has.
func (q *RegistrationRequest) Normalise() (Loan, map[string]string) {
	errs := map[string]string{}
	l := Loan{ContractNo: q.ContractNo, BorrowerCreditCode: q.BorrowerCreditCode, LenderCreditCode: q.LenderCreditCode,
		Principal:    parse(errs, "principal", q.Principal, money.Parse),
		ContractRate: parse(errs, "contract_rate", q.ContractRate, money.ParseRate),
		StatedLPR:    parse(errs, "stated_lpr", q.StatedLPR, money.ParseRate),
		ContractDate: parseDate(q.ContractDate), StartDate: parseDate(q.StartDate), MaturityDate: parseDate(q.MaturityDate),
	}
	merge(errs, l.Validate())
	if len(errs) > 0 {
		return Loan{}, errs
	}
	return l, nil
}

// ReportRequest is the lender's report for one period: the body of this kind (kind.Rules'
// NewBody). A period claim is not filed through POST /v1/claims; the loan's process takes
// this body from the lender and builds the PeriodPayload around it. overdue and extended are
// required: a missing answer must not read as "not overdue" and pay.
type ReportRequest struct {
	InterestPaid         string `json:"interest_paid" validate:"required,max=24"`
	OutstandingPrincipal string `json:"outstanding_principal" validate:"required,amount"`
	Overdue              *bool  `json:"overdue" validate:"required"`
	Extended             *bool  `json:"extended" validate:"required"`
}

// Normalise converts a report and returns it as the payload (a Report) with the interest
// paid as what it asks about: the subsidy never exceeds it.
func (q *ReportRequest) Normalise() (any, decimal.Decimal, map[string]string) {
	errs := map[string]string{}
	r := Report{
		InterestPaid:         parse(errs, "interest_paid", q.InterestPaid, parseNonNegative),
		OutstandingPrincipal: parse(errs, "outstanding_principal", q.OutstandingPrincipal, money.Parse),
	}
	for field, b := range map[string]*bool{"overdue": q.Overdue, "extended": q.Extended} {
		if b == nil {
			errs[field] = "is required"
		}
	}
	merge(errs, r.Validate())
	if len(errs) > 0 {
		return nil, decimal.Zero, errs
	}
	r.Overdue, r.Extended = *q.Overdue, *q.Extended
	return r, r.InterestPaid, nil
}

// parse reads one decimal member, recording its error under field.
func parse(errs map[string]string, field, s string, read func(string) (decimal.Decimal, error)) decimal.Decimal {
	d, err := read(s)
	if err != nil {
		errs[field] = err.Error()
	}
	return d
}

// parseDate reads a date; an unreadable one stays zero and the Validate that follows reports
// it.
func parseDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// merge adds the errors of a later check where no earlier, more precise one was recorded.
func merge(errs, later map[string]string) {
	for field, msg := range later {
		if _, ok := errs[field]; !ok {
			errs[field] = msg
		}
	}
}
