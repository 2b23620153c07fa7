package guarantee

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules plugs the guarantee-fee rebate into the kind registry.
type Rules struct{}

var _ kind.Rules = Rules{}

// Kind is program.Guarantee.
func (Rules) Kind() program.Kind { return program.Guarantee }

// FiledBy: guarantee institutions file for their guarantees; they are paid.
func (Rules) FiledBy() access.Role { return access.Institution }

// NewParams returns an empty params request.
func (Rules) NewParams() kind.ParamsRequest { return &ParamsRequest{} }

// NewBody returns an empty claim body.
func (Rules) NewBody() kind.BodyRequest { return &BodyRequest{} }

// paramsView shows parameters with amounts in the API's money form ("2000000.00") and rates
// as money.FormatRate does, which the stored JSON (decimal's shortest form) does not keep,
// and the list as [] rather than null.
type paramsView struct {
	Institutions []string `json:"institutions"`
	MaxFeeRate   string   `json:"max_fee_rate"`
	SubsidyRate  string   `json:"subsidy_rate"`
	YearlyCap    string   `json:"yearly_cap"`
}

// ViewParams renders stored parameters.
func (Rules) ViewParams(stored json.RawMessage) (any, error) {
	var p Params
	if err := json.Unmarshal(stored, &p); err != nil {
		return nil, err
	}
	institutions := p.Institutions
	if institutions == nil {
		institutions = []string{}
	}
	return paramsView{Institutions: institutions, MaxFeeRate: money.FormatRate(p.MaxFeeRate),
		SubsidyRate: money.FormatRate(p.SubsidyRate), YearlyCap: money.Format(p.YearlyCap)}, nil
}

// Assess judges the contracts of the filing institution (the snapshot's enterprise). The
// yearly cap goes to the ledger with the outcome; the institution itself is paid.
func (Rules) Assess(in kind.Input, holders claim.Holders) (kind.Outcome, error) {
	c, err := ClaimOf(in.Program, in.Enterprise.CreditCode, in.Payload)
	if err != nil {
		return kind.Outcome{}, &kind.PayloadError{Err: err}
	}
	as, err := c.Assess(holders)
	if err != nil {
		return kind.Outcome{}, err
	}
	return kind.Outcome{Assessment: as, Cap: c.Params.YearlyCap}, nil
}

// RegistryCodes is BorrowerCodes: whom the API must look up in the enterprise registry
// before it stores a claim or runs a dry run. It and WithRegistry take plain types so that
// an optional interface in package kind can name them and the API need not import this
// package (see BorrowersKey).
func (Rules) RegistryCodes(payload json.RawMessage) []string { return BorrowerCodes(payload) }

// WithRegistry is WithRegistered: the payload with the registered size classes (credit code
// → class) of the borrowers the API found.
func (Rules) WithRegistry(payload json.RawMessage, classes map[string]string) (json.RawMessage, error) {
	return WithRegistered(payload, classes)
}

// Parties: a guarantee claim involves only the filing institution. The borrowers are named
// but take no part: they neither read the claim nor answer for it.
func (Rules) Parties(json.RawMessage) []string { return nil }

// Describe lists each contract's facts; the term is shown with its inclusive last day and
// the size class as claimed beside the registry's, so a difference is seen at a glance.
func (Rules) Describe(payload json.RawMessage) ([]kind.Line, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return nil, fmt.Errorf("guarantee payload: %w", err)
	}
	lines := make([]kind.Line, len(body.Contracts))
	for i, c := range body.Contracts {
		lines[i] = kind.Line{Facts: []kind.Fact{
			{Name: "contract_no", Label: "担保合同 Contract", Value: c.ContractNo},
			{Name: "borrower_credit_code", Label: "借款企业 Borrower", Value: c.BorrowerCreditCode},
			{Name: "borrower_size_class", Label: "规模 Size (claimed / registry)",
				Value: c.BorrowerSizeClass + " / " + registryText(body.Borrowers, c)},
			{Name: "guaranteed_amount", Label: "担保金额 Guaranteed", Value: money.Format(c.GuaranteedAmount)},
			{Name: "fee_rate", Label: "费率 Fee rate", Value: money.FormatRate(c.FeeRate)},
			{Name: "fee_paid", Label: "已付担保费 Fee paid", Value: money.Format(c.FeePaid)},
			// start_date and end_date together, as a person reads a term.
			{Name: "term", Label: "担保期 Term", Value: c.term()},
			{Name: "counter_guarantee", Label: "反担保 Counter-guarantee", Value: yesNo(c.CounterGuarantee)},
			{Name: "review_fee", Label: "评审费 Review fee", Value: yesNo(c.ReviewFee)},
		}}
	}
	return lines, nil
}

// registryText is the registry's side of the size fact.
func registryText(b Borrowers, c Contract) string {
	class, registered := b.lookup(c.BorrowerCreditCode)
	switch {
	case !registered:
		return "not registered"
	case class == "":
		return "no class"
	}
	return class
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

//go:embed openapi.json
var schemaDoc []byte

// Schemas are GuaranteeParams, GuaranteeClaim and GuaranteeContract.
func (Rules) Schemas() kind.Schemas {
	var comps map[string]map[string]any
	if err := json.Unmarshal(schemaDoc, &comps); err != nil {
		panic("guarantee: openapi.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return kind.Schemas{Params: "GuaranteeParams", Body: "GuaranteeClaim", Components: comps}
}
