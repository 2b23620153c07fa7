package voucher

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// ParamsRequest is the "params" object of a voucher program as an administrator sends it;
// absent members take DefaultParams. An empty providers list is accepted (see Params).
type ParamsRequest struct {
	FaceValue         *string  `json:"face_value" validate:"omitempty,amount"`
	ValidDays         *int     `json:"valid_days" validate:"omitempty,min=1,max=3660"`
	Rate              *string  `json:"rate" validate:"omitempty,rate"`
	DeliveryDays      *int     `json:"delivery_days" validate:"omitempty,min=1,max=3660"`
	Providers         []string `json:"providers" validate:"omitempty,max=5000,unique,dive,creditcode"`
	ServiceCategories []string `json:"service_categories" validate:"omitempty,unique,dive,oneof=testing certification consulting design ip digital_transformation"`
	Payee             *string  `json:"payee" validate:"omitempty,oneof=provider enterprise"`
}

// Complete fills the defaults and checks the parameters as a whole. Amounts are parsed
// again rather than trusted to the tags, so a request that skipped them gets field errors,
// not a panic.
func (r *ParamsRequest) Complete() (any, map[string]string) {
	p := DefaultParams()
	errs := map[string]string{}
	if r.FaceValue != nil {
		p.FaceValue = parseField(errs, "face_value", *r.FaceValue, money.Parse)
	}
	if r.Rate != nil {
		p.Rate = parseField(errs, "rate", *r.Rate, money.ParseRate)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if r.ValidDays != nil {
		p.ValidDays = *r.ValidDays
	}
	if r.DeliveryDays != nil {
		p.DeliveryDays = *r.DeliveryDays
	}
	if r.Providers != nil {
		p.Providers = r.Providers
	}
	if r.ServiceCategories != nil {
		p.ServiceCategories = r.ServiceCategories
	}
	if r.Payee != nil {
		p.Payee = *r.Payee
	}
	return p, p.Validate()
}

// parseField parses one decimal member, recording its error under field.
func parseField(errs map[string]string, field, v string, parse func(string) (decimal.Decimal, error)) decimal.Decimal {
	d, err := parse(v)
	if err != nil {
		errs[field] = err.Error()
	}
	return d
}

// RedemptionRequest is a redemption as the enterprise sends it.
type RedemptionRequest struct {
	ProviderCreditCode string `json:"provider_credit_code" validate:"required,creditcode"`
	ServiceCategory    string `json:"service_category" validate:"required,notblank,max=100"`
	ContractNo         string `json:"contract_no" validate:"required,notblank,max=64"`
	InvoiceNo          string `json:"invoice_no" validate:"required,notblank,max=64"`
	InvoiceDate        string `json:"invoice_date" validate:"required,date"`
	InvoiceAmount      string `json:"invoice_amount" validate:"required,amount"`
}

// BodyRequest is the "voucher" member of a redemption request: {"redemption": {...}}. A
// service category outside the program's list is well formed and refused by the judgement
// (category_not_listed), as a freight product is, so the applicant sees the program's list.
type BodyRequest struct {
	Redemption *RedemptionRequest `json:"redemption" validate:"required"`
}

// Normalise converts a redemption (the invoice date becomes UTC midnight), checks it again
// without trusting the tags, and returns the invoice amount as what is asked about. Field
// errors are keyed "redemption.<field>".
func (b *BodyRequest) Normalise() (any, decimal.Decimal, map[string]string) {
	if b.Redemption == nil {
		return nil, decimal.Zero, map[string]string{"redemption": "is required"}
	}
	r, errs := b.Redemption.redemption()
	for field, msg := range r.Validate() {
		if _, ok := errs[field]; !ok { // the parse error is the more precise one
			errs[field] = msg
		}
	}
	if len(errs) > 0 {
		keyed := make(map[string]string, len(errs))
		for field, msg := range errs {
			keyed["redemption."+field] = msg
		}
		return nil, decimal.Zero, keyed
	}
	return Payload{Redemption: r}, r.InvoiceAmount, nil
}

// redemption converts the strings, reporting what does not parse.
func (q RedemptionRequest) redemption() (Redemption, map[string]string) {
	errs := map[string]string{}
	day, err := time.Parse(time.DateOnly, q.InvoiceDate)
	if err != nil {
		errs["invoice_date"] = `must be a date such as "2024-03-01"`
	}
	amount := parseField(errs, "invoice_amount", q.InvoiceAmount, money.Parse)
	return Redemption{ProviderCreditCode: q.ProviderCreditCode, ServiceCategory: q.ServiceCategory,
		ContractNo: q.ContractNo, InvoiceNo: q.InvoiceNo, InvoiceDate: day, InvoiceAmount: amount}, errs
}
