package rent

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules plugs the rent waiver into the kind registry.
type Rules struct{}

var _ kind.Rules = Rules{}

// Kind is program.Rent.
func (Rules) Kind() program.Kind { return program.Rent }

// NewParams returns an empty params request.
func (Rules) NewParams() kind.ParamsRequest { return &ParamsRequest{} }

// NewBody returns an empty claim body.
func (Rules) NewBody() kind.BodyRequest { return &BodyRequest{} }

// paramsView shows parameters with lists that are never null, so clients need not tell an
// absent list from an empty one.
type paramsView struct {
	Landlords          []string `json:"landlords"`
	RiskCounties       []string `json:"risk_counties"`
	RiskMonths         int      `json:"risk_months"`
	NormalMonths       int      `json:"normal_months"`
	CompensateLandlord bool     `json:"compensate_landlord"`
	ConfirmDays        int      `json:"confirm_days"`
}

// ViewParams renders stored parameters.
func (Rules) ViewParams(stored json.RawMessage) (any, error) {
	var p Params
	if err := json.Unmarshal(stored, &p); err != nil {
		return nil, err
	}
	return paramsView{Landlords: nonNil(p.Landlords), RiskCounties: nonNil(p.RiskCounties),
		RiskMonths: p.RiskMonths, NormalMonths: p.NormalMonths,
		CompensateLandlord: p.CompensateLandlord, ConfirmDays: p.ConfirmDays}, nil
}

// Assess judges the lease under the snapshot. The waiver has no cap, so Cap is zero.
func (Rules) Assess(in kind.Input, holders claim.Holders) (kind.Outcome, error) {
	e := in.Enterprise
	c, err := ClaimOf(in.Program, Tenant{CreditCode: e.CreditCode, SizeClass: e.SizeClass, Region: e.Region}, in.Payload)
	if err != nil {
		return kind.Outcome{}, &kind.PayloadError{Err: err}
	}
	as, err := c.Assess(holders)
	if err != nil {
		return kind.Outcome{}, err
	}
	out := kind.Outcome{Assessment: as, Cap: decimal.Zero,
		// The landlord bears the waiver: it confirms the lease and how the waiver is applied
		// before finance decides, and is paid only where the program compensates it.
		Confirm: &kind.Confirm{Party: c.Lease.LandlordCreditCode, Role: access.Landlord,
			Days: c.Params.ConfirmDays, Modes: ApplyModes},
		NoPayment: !c.Params.CompensateLandlord,
	}
	if c.Params.CompensateLandlord {
		out.Payee = c.Lease.LandlordCreditCode
	}
	return out, nil
}

// Parties is the lease's landlord, who may read the claim and must confirm it.
func (Rules) Parties(payload json.RawMessage) []string {
	var body Payload
	if json.Unmarshal(payload, &body) != nil || body.Lease.LandlordCreditCode == "" {
		return nil
	}
	return []string{body.Lease.LandlordCreditCode}
}

// Describe lists the lease's facts; the term is shown with its inclusive last day.
func (Rules) Describe(payload json.RawMessage) ([]kind.Line, error) {
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return nil, fmt.Errorf("rent payload: %w", err)
	}
	l := body.Lease
	return []kind.Line{{Facts: []kind.Fact{
		{Name: "contract_no", Label: "租赁合同 Lease contract", Value: l.ContractNo},
		{Name: "landlord_credit_code", Label: "出租方 Landlord", Value: l.LandlordCreditCode},
		{Name: "premises_address", Label: "房屋地址 Premises", Value: l.PremisesAddress},
		{Name: "county", Label: "所在县 County", Value: l.County},
		{Name: "monthly_rent", Label: "月租金 Monthly rent", Value: money.Format(l.MonthlyRent)},
		// lease_start and lease_end together, as a person reads a term.
		{Name: "lease_term", Label: "租期 Lease", Value: l.term()},
	}}}, nil
}

//go:embed openapi.json
var schemaDoc []byte

// Schemas are RentParams, RentClaim and Lease.
func (Rules) Schemas() kind.Schemas {
	var comps map[string]map[string]any
	if err := json.Unmarshal(schemaDoc, &comps); err != nil {
		panic("rent: openapi.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return kind.Schemas{Params: "RentParams", Body: "RentClaim", Components: comps}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
