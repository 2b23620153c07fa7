package guarantee

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// MaxContracts bounds one claim; larger batches are split into several claims.
const MaxContracts = 500

// ParamsRequest is the "params" object of a guarantee program as an administrator sends it;
// absent members take DefaultParams.
type ParamsRequest struct {
	Institutions []string `json:"institutions" validate:"omitempty,max=10000,unique,dive,creditcode"`
	MaxFeeRate   *string  `json:"max_fee_rate" validate:"omitempty,rate"`
	SubsidyRate  *string  `json:"subsidy_rate" validate:"omitempty,rate"`
	YearlyCap    *string  `json:"yearly_cap" validate:"omitempty,amount"`
}

// Complete fills the defaults and checks the parameters as a whole. It parses each figure
// itself rather than trusting the tags to have run, and reports what does not parse.
func (r *ParamsRequest) Complete() (any, map[string]string) {
	p := DefaultParams()
	errs := map[string]string{}
	if r.Institutions != nil {
		p.Institutions = r.Institutions
	}
	parse := func(field string, s *string, dst *decimal.Decimal, read func(string) (decimal.Decimal, error)) {
		if s == nil {
			return
		}
		d, err := read(*s)
		if err != nil {
			errs[field] = err.Error()
			return
		}
		*dst = d
	}
	parse("max_fee_rate", r.MaxFeeRate, &p.MaxFeeRate, money.ParseRate)
	parse("subsidy_rate", r.SubsidyRate, &p.SubsidyRate, money.ParseRate)
	parse("yearly_cap", r.YearlyCap, &p.YearlyCap, money.Parse)
	for field, msg := range p.Validate() {
		if _, ok := errs[field]; !ok {
			errs[field] = msg
		}
	}
	if len(errs) == 0 {
		return p, nil
	}
	return p, errs
}

// ContractRequest is one guarantee contract as an institution sends it. The two flags are
// pointers so that "required" refuses an absent flag: an institution must say whether it
// demanded a counter-guarantee or a review fee, not let a missing member read as "no".
type ContractRequest struct {
	ContractNo         string `json:"contract_no" validate:"required,notblank,max=64"`
	BorrowerCreditCode string `json:"borrower_credit_code" validate:"required,creditcode"`
	BorrowerSizeClass  string `json:"borrower_size_class" validate:"required,oneof=small medium micro large"`
	GuaranteedAmount   string `json:"guaranteed_amount" validate:"required,amount"`
	FeeRate            string `json:"fee_rate" validate:"required,rate"`
	FeePaid            string `json:"fee_paid" validate:"required,amount"`
	StartDate          string `json:"start_date" validate:"required,date"`
	EndDate            string `json:"end_date" validate:"required,date"`
	CounterGuarantee   *bool  `json:"counter_guarantee" validate:"required"`
	ReviewFee          *bool  `json:"review_fee" validate:"required"`
}

// BodyRequest is the "guarantee" member of a claim request: {"contracts": [...]}.
type BodyRequest struct {
	Contracts []ContractRequest `json:"contracts" validate:"required,min=1,max=500,dive"`
}

// Normalise converts validated contracts (dates become UTC midnight), runs the contracts'
// own checks, keying errors as "contracts[i].field", and sums the fees paid: the most the
// claim could ask for, since no line pays more than its fee. It does not rely on the tags
// having run: a field that does not parse is reported, not guessed. A contract number
// repeated in the body is not an error here: it is a line decision (duplicate_in_claim).
func (b *BodyRequest) Normalise() (any, decimal.Decimal, map[string]string) {
	switch {
	case len(b.Contracts) == 0:
		return nil, decimal.Zero, map[string]string{"contracts": "must list at least one contract"}
	case len(b.Contracts) > MaxContracts:
		return nil, decimal.Zero, map[string]string{"contracts": fmt.Sprintf("must list at most %d contracts", MaxContracts)}
	}
	errs := map[string]string{}
	out := make([]Contract, len(b.Contracts))
	sum := decimal.Zero
	for i, r := range b.Contracts {
		c, ferrs := r.contract()
		for field, msg := range ferrs {
			errs[fmt.Sprintf("contracts[%d].%s", i, field)] = msg
		}
		out[i] = c
		sum = sum.Add(c.FeePaid)
	}
	if len(errs) > 0 {
		return nil, decimal.Zero, errs
	}
	return Payload{Contracts: out}, sum, nil
}

// contract converts one request line and lists what is wrong with it, field by field.
func (r ContractRequest) contract() (Contract, map[string]string) {
	errs := map[string]string{}
	read := func(field, s string, parse func(string) (decimal.Decimal, error)) decimal.Decimal {
		d, err := parse(s)
		if err != nil {
			errs[field] = err.Error()
		}
		return d
	}
	c := Contract{ContractNo: r.ContractNo, BorrowerCreditCode: r.BorrowerCreditCode,
		BorrowerSizeClass: r.BorrowerSizeClass,
		GuaranteedAmount:  read("guaranteed_amount", r.GuaranteedAmount, money.Parse),
		FeeRate:           read("fee_rate", r.FeeRate, money.ParseRate),
		FeePaid:           read("fee_paid", r.FeePaid, money.Parse)}
	c.StartDate, _ = time.Parse(time.DateOnly, r.StartDate) // an unreadable date stays zero and
	c.EndDate, _ = time.Parse(time.DateOnly, r.EndDate)     // Contract.Validate reports it
	for field, flag := range map[string]*bool{"counter_guarantee": r.CounterGuarantee, "review_fee": r.ReviewFee} {
		if flag == nil {
			errs[field] = "must be true or false"
		}
	}
	if r.CounterGuarantee != nil {
		c.CounterGuarantee = *r.CounterGuarantee
	}
	if r.ReviewFee != nil {
		c.ReviewFee = *r.ReviewFee
	}
	for field, msg := range c.Validate() {
		if _, ok := errs[field]; !ok { // the parse error is the more precise one
			errs[field] = msg
		}
	}
	return c, errs
}
