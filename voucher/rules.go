package voucher

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules plugs the service vouchers into the kind registry. Its assessment is that of a
// redemption; the application is judged by JudgeApplication in the voucher's workflow.
type Rules struct{}

var _ kind.Rules = Rules{}

// Kind is program.Voucher.
func (Rules) Kind() program.Kind { return program.Voucher }

// NewParams returns an empty params request.
func (Rules) NewParams() kind.ParamsRequest { return &ParamsRequest{} }

// AppliedFor marks vouchers as applied for (POST /v1/vouchers) and redeemed through their
// own workflow, never filed as claims.
func (Rules) AppliedFor() {}

// Parties: the provider joins a voucher when it is redeemed, recorded by the workflow.
func (Rules) Parties(json.RawMessage) []string { return nil }

// NewBody returns an empty redemption body.
func (Rules) NewBody() kind.BodyRequest { return &BodyRequest{} }

// paramsView shows parameters with amounts in the API's money form ("20000.00"), which the
// stored JSON (decimal's shortest form) does not keep, and lists as [] rather than null.
type paramsView struct {
	FaceValue         string   `json:"face_value"`
	ValidDays         int      `json:"valid_days"`
	Rate              string   `json:"rate"`
	DeliveryDays      int      `json:"delivery_days"`
	Providers         []string `json:"providers"`
	ServiceCategories []string `json:"service_categories"`
	Payee             string   `json:"payee"`
}

// ViewParams renders stored parameters.
func (Rules) ViewParams(stored json.RawMessage) (any, error) {
	var p Params
	if err := json.Unmarshal(stored, &p); err != nil {
		return nil, err
	}
	return paramsView{FaceValue: money.Format(p.FaceValue), ValidDays: p.ValidDays,
		Rate: money.FormatRate(p.Rate), DeliveryDays: p.DeliveryDays, Providers: nonNil(p.Providers),
		ServiceCategories: nonNil(p.ServiceCategories), Payee: p.Payee}, nil
}

// Assess judges a redemption. The face value already bounds the subsidy, so the outcome
// carries no cap (zero).
func (Rules) Assess(in kind.Input, holders claim.Holders) (kind.Outcome, error) {
	c, err := ClaimOf(in.Program, in.Enterprise.CreditCode, in.Payload)
	if err != nil {
		return kind.Outcome{}, &kind.PayloadError{Err: err}
	}
	as, err := c.Assess(holders)
	if err != nil {
		return kind.Outcome{}, err
	}
	// The payee is named so the provider's account is frozen with the claim and approved.
	return kind.Outcome{Assessment: as, Cap: decimal.Zero, Payee: Payee(c.Params, c.Redemption, c.Holder)}, nil
}

// Describe lists the redemption's facts as its one line.
func (Rules) Describe(payload json.RawMessage) ([]kind.Line, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return nil, fmt.Errorf("voucher payload: %w", err)
	}
	r := body.Redemption
	return []kind.Line{{Facts: []kind.Fact{
		{Name: "provider_credit_code", Label: "服务机构 Provider", Value: r.ProviderCreditCode},
		{Name: "service_category", Label: "服务类别 Service", Value: r.ServiceCategory},
		{Name: "contract_no", Label: "合同号 Contract", Value: r.ContractNo},
		{Name: "invoice_no", Label: "发票号 Invoice", Value: r.InvoiceNo},
		{Name: "invoice_date", Label: "发票日期 Invoice date", Value: r.InvoiceDate.Format(time.DateOnly)},
		{Name: "invoice_amount", Label: "发票金额 Invoice amount", Value: money.Format(r.InvoiceAmount)},
	}}}, nil
}

//go:embed openapi.json
var schemaDoc []byte

// Schemas are VoucherParams, VoucherRedemption (the body) and Redemption.
func (Rules) Schemas() kind.Schemas {
	var comps map[string]map[string]any
	if err := json.Unmarshal(schemaDoc, &comps); err != nil {
		panic("voucher: openapi.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return kind.Schemas{Params: "VoucherParams", Body: "VoucherRedemption", Components: comps}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
