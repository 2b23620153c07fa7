package freight

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules plugs the freight subsidy into the kind registry.
type Rules struct{}

var _ kind.Rules = Rules{}

// Kind is program.Freight.
func (Rules) Kind() program.Kind { return program.Freight }

// NewParams returns an empty params request.
func (Rules) NewParams() kind.ParamsRequest { return &ParamsRequest{} }

// NewBody returns an empty claim body.
func (Rules) NewBody() kind.BodyRequest { return &BodyRequest{} }

// paramsView shows parameters with amounts in the API's money form ("500000.00"), which the
// stored JSON (decimal's shortest form) does not keep.
type paramsView struct {
	Rate              string   `json:"rate"`
	YearlyCap         string   `json:"yearly_cap"`
	ProductCategories []string `json:"product_categories"`
	ExcludedModes     []string `json:"excluded_modes"`
}

// ViewParams renders stored parameters.
func (Rules) ViewParams(stored json.RawMessage) (any, error) {
	var p Params
	if err := json.Unmarshal(stored, &p); err != nil {
		return nil, err
	}
	return paramsView{Rate: money.FormatRate(p.Rate), YearlyCap: money.Format(p.YearlyCap),
		ProductCategories: nonNil(p.ProductCategories), ExcludedModes: nonNil(p.ExcludedModes)}, nil
}

// Assess judges the shipments; the yearly cap goes to the ledger with the outcome.
func (Rules) Assess(in kind.Input, holders claim.Holders) (kind.Outcome, error) {
	c, err := ClaimOf(in.Program, Applicant{Industry: in.Enterprise.Industry, Region: in.Enterprise.Region}, in.Payload)
	if err != nil {
		return kind.Outcome{}, &kind.PayloadError{Err: err}
	}
	as, err := c.Assess(holders)
	if err != nil {
		return kind.Outcome{}, err
	}
	return kind.Outcome{Assessment: as, Cap: c.Params.YearlyCap}, nil
}

// Parties: a freight claim involves only the filing enterprise.
func (Rules) Parties(json.RawMessage) []string { return nil }

// Describe lists each shipment's facts.
func (Rules) Describe(payload json.RawMessage) ([]kind.Line, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return nil, fmt.Errorf("freight payload: %w", err)
	}
	lines := make([]kind.Line, len(body.Shipments))
	for i, s := range body.Shipments {
		lines[i] = kind.Line{Facts: []kind.Fact{
			{Name: "carrier", Label: "承运人 Carrier", Value: s.Carrier},
			{Name: "waybill_no", Label: "运单号 Waybill", Value: s.WaybillNo},
			{Name: "ship_date", Label: "发运日期 Ship date", Value: s.ShipDate.Format("2006-01-02")},
			{Name: "origin_region", Label: "始发地 Origin", Value: s.OriginRegion},
			{Name: "destination_region", Label: "目的地 Destination", Value: s.DestinationRegion},
			{Name: "product_category", Label: "产品类别 Product", Value: s.ProductCategory},
			{Name: "mode", Label: "运输方式 Mode", Value: s.Mode},
			{Name: "amount", Label: "运费 Freight", Value: money.Format(s.Amount)},
			{Name: "invoice_no", Label: "发票号 Invoice", Value: s.InvoiceNo},
		}}
	}
	return lines, nil
}

//go:embed openapi.json
var schemaDoc []byte

// Schemas are FreightParams, FreightClaim and Shipment.
func (Rules) Schemas() kind.Schemas {
	var comps map[string]map[string]any
	if err := json.Unmarshal(schemaDoc, &comps); err != nil {
		panic("freight: openapi.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return kind.Schemas{Params: "FreightParams", Body: "FreightClaim", Components: comps}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
