package interest

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules plugs the interest subsidy into the kind registry. What it assesses is one period
// of one loan (PeriodPayload); the registration is checked by CheckRegistration in the
// loan's process.
type Rules struct{}

var _ kind.Rules = Rules{}
var _ kind.Applied = Rules{}

// Kind is program.Interest.
func (Rules) Kind() program.Kind { return program.Interest }

// AppliedFor marks the interest subsidy as run by the loan's own process: the lender
// registers the loan and reports each period, and the process files one period claim per
// report. Nothing is filed through POST /v1/claims.
func (Rules) AppliedFor() {}

// NewParams returns an empty params request.
func (Rules) NewParams() kind.ParamsRequest { return &ParamsRequest{} }

// NewBody returns an empty period report, the body the loan's process takes from the
// lender; its payload is a Report, which the process wraps in a PeriodPayload.
func (Rules) NewBody() kind.BodyRequest { return &ReportRequest{} }

// paramsView shows parameters with the amount in the API's money form ("3000000.00"),
// which the stored JSON does not keep, and the list as [] rather than null.
type paramsView struct {
	Lenders       []string `json:"lenders"`
	MaxPrincipal  string   `json:"max_principal"`
	MaxTermMonths int      `json:"max_term_months"`
	ReportDays    int      `json:"report_days"`
}

// ViewParams renders stored parameters.
func (Rules) ViewParams(stored json.RawMessage) (any, error) {
	var p Params
	if err := json.Unmarshal(stored, &p); err != nil {
		return nil, err
	}
	lenders := p.Lenders
	if lenders == nil {
		lenders = []string{}
	}
	return paramsView{Lenders: lenders, MaxPrincipal: money.Format(p.MaxPrincipal),
		MaxTermMonths: p.MaxTermMonths, ReportDays: p.ReportDays}, nil
}

// Assess judges one period under the snapshot. The period has no cap (zero). The payee is
// the borrower, named explicitly: the subsidy is the borrower's own interest paid back, and
// AssessPeriod refuses a claim filed for anyone else. Nothing waits for a confirmation: the
// lender's report is the lender's word already.
func (Rules) Assess(in kind.Input, holders claim.Holders) (kind.Outcome, error) {
	pp, err := PayloadOf(in.Payload)
	if err != nil {
		return kind.Outcome{}, &kind.PayloadError{Err: err}
	}
	as, err := AssessPeriod(pp, in.Enterprise.CreditCode, holders)
	if err != nil {
		return kind.Outcome{}, err
	}
	return kind.Outcome{Assessment: as, Cap: decimal.Zero, Payee: pp.Loan.BorrowerCreditCode}, nil
}

// Parties is the lender, who registered the loan and reports its periods; it may read the
// period claims.
func (Rules) Parties(payload json.RawMessage) []string {
	var pp PeriodPayload
	if json.Unmarshal(payload, &pp) != nil || pp.Loan.LenderCreditCode == "" {
		return nil
	}
	return []string{pp.Loan.LenderCreditCode}
}

// Describe lists the period's facts; the period is shown with its inclusive last day.
func (Rules) Describe(payload json.RawMessage) ([]kind.Line, error) {
	var pp PeriodPayload
	if err := json.Unmarshal(payload, &pp); err != nil {
		return nil, fmt.Errorf("interest payload: %w", err)
	}
	l, p, r := pp.Loan, pp.Period, pp.Report
	return []kind.Line{{Facts: []kind.Fact{
		{Name: "contract_no", Label: "贷款合同 Loan contract", Value: l.ContractNo},
		{Name: "lender_credit_code", Label: "贷款银行 Lender", Value: l.LenderCreditCode},
		// start and end together, as a person reads a period.
		{Name: "period", Label: "计息期 Period", Value: p.Text()},
		{Name: "days", Label: "计息天数 Days", Value: fmt.Sprint(p.Days)},
		{Name: "principal", Label: "贷款本金 Principal", Value: money.Format(l.Principal)},
		{Name: "outstanding_principal", Label: "未还本金 Outstanding principal", Value: money.Format(r.OutstandingPrincipal)},
		{Name: "stated_lpr", Label: "合同LPR Stated LPR", Value: lpr.Percent(l.StatedLPR)},
		{Name: "interest_paid", Label: "实付利息 Interest paid", Value: money.Format(r.InterestPaid)},
		{Name: "overdue", Label: "逾期 Overdue", Value: yesNo(r.Overdue, false)},
		{Name: "extended", Label: "展期 Extended", Value: yesNo(r.Extended, pp.ExtendedBefore)},
	}}}, nil
}

// yesNo shows a reported flag; before says it was already set in an earlier period.
func yesNo(now, before bool) string {
	switch {
	case before:
		return "yes, in an earlier period"
	case now:
		return "yes"
	}
	return "no"
}

//go:embed openapi.json
var schemaDoc []byte

// Schemas are InterestParams, PeriodReport (the body) and LoanRegistration, the body of the
// loan registration its process takes.
func (Rules) Schemas() kind.Schemas {
	var comps map[string]map[string]any
	if err := json.Unmarshal(schemaDoc, &comps); err != nil {
		panic("interest: openapi.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return kind.Schemas{Params: "InterestParams", Body: "PeriodReport", Components: comps}
}
