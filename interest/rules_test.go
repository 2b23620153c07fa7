package interest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
)

func TestRulesIsAKind(t *testing.T) {
	var r kind.Rules = Rules{}
	require.Equal(t, program.Interest, r.Kind())
	require.IsType(t, &ParamsRequest{}, r.NewParams())
	require.IsType(t, &ReportRequest{}, r.NewBody(), "the body is the lender's period report")
	require.False(t, kind.Filed(r), "period claims are filed by the loan's process, not through POST /v1/claims")
}

func TestSchemas(t *testing.T) {
	sc := Rules{}.Schemas()
	require.Equal(t, "InterestParams", sc.Params)
	require.Equal(t, "PeriodReport", sc.Body)
	require.ElementsMatch(t, []string{"InterestParams", "LoanRegistration", "PeriodReport"}, keys(sc.Components))

	// Every schema member names a JSON field of the Go type it describes, and every field
	// of a body is required.
	props := func(name string) []string { return keys(sc.Components[name]["properties"].(map[string]any)) }
	require.ElementsMatch(t, jsonFields(t, DefaultParams()), props("InterestParams"))
	require.ElementsMatch(t, jsonFields(t, loan()), props("LoanRegistration"))
	require.ElementsMatch(t, jsonFields(t, registration()), props("LoanRegistration"))
	require.ElementsMatch(t, jsonFields(t, report()), props("PeriodReport"))
	require.ElementsMatch(t, jsonFields(t, reportRequest()), props("PeriodReport"))
	require.ElementsMatch(t, toAny(jsonFields(t, loan())), sc.Components["LoanRegistration"]["required"])
	require.ElementsMatch(t, toAny(jsonFields(t, report())), sc.Components["PeriodReport"]["required"])
	require.NotContains(t, string(schemaDoc), `"$ref"`, "the three stand alone")
}

func TestViewParamsNeverShowsNull(t *testing.T) {
	v, err := Rules{}.ViewParams(json.RawMessage(`{"max_principal":"3000000","max_term_months":36,"report_days":30}`))
	require.NoError(t, err)
	b, _ := json.Marshal(v)
	require.JSONEq(t, `{"lenders":[],"max_principal":"3000000.00","max_term_months":36,"report_days":30}`, string(b))
	_, err = Rules{}.ViewParams(json.RawMessage(`[]`))
	require.Error(t, err)
}

func TestRulesAssess(t *testing.T) {
	params, _ := json.Marshal(datongParams())
	raw, _ := json.Marshal(payload())
	in := kind.Input{
		Program:    program.Program{ID: "prg_1", Kind: program.Interest, Region: "140200", Params: params},
		Enterprise: enterprise.Enterprise{CreditCode: borrower, SizeClass: "small", Region: "140211"},
		Payload:    raw,
	}
	none := func([]claim.Evidence) (map[int]string, error) { return nil, nil }

	out, err := Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, "9226.39", out.Assessment.Amount.StringFixed(2))
	require.True(t, out.Cap.IsZero(), "a period has no cap")
	require.Equal(t, borrower, out.Payee, "the borrower is paid its interest back")
	require.Nil(t, out.Confirm)
	require.False(t, out.NoPayment)

	in.Enterprise.CreditCode = otherBank
	out, err = Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, ReasonNotTheBorrower, out.Assessment.Reason)

	in.Payload = json.RawMessage(`{"loan": {"principal": true}}`)
	_, err = Rules{}.Assess(in, none)
	var pe *kind.PayloadError
	require.True(t, errors.As(err, &pe), "an undecodable payload is a decision, not a crash: %v", err)

	bad, _ := json.Marshal(payload(func(pp *PeriodPayload) { pp.Period.Days = 365 }))
	in.Payload = bad
	_, err = Rules{}.Assess(in, none)
	require.True(t, errors.As(err, &pe), "a period that is not the loan's is not paid: %v", err)
}

func TestParties(t *testing.T) {
	raw, _ := json.Marshal(payload())
	require.Equal(t, []string{bank}, Rules{}.Parties(raw))
	require.Nil(t, Rules{}.Parties(json.RawMessage(`"loan"`)))
	require.Nil(t, Rules{}.Parties(json.RawMessage(`{}`)))
}

func TestDescribe(t *testing.T) {
	raw, _ := json.Marshal(payload(func(pp *PeriodPayload) {
		pp.Report.OutstandingPrincipal, pp.Report.InterestPaid, pp.Report.Overdue = dec("400000"), dec("0"), true
	}))
	lines, err := Rules{}.Describe(raw)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	require.Equal(t, []kind.Fact{
		{Name: "contract_no", Label: "贷款合同 Loan contract", Value: "DT-2023-0315"},
		{Name: "lender_credit_code", Label: "贷款银行 Lender", Value: bank},
		{Name: "period", Label: "计息期 Period", Value: "2023-09-21 – 2023-12-20"},
		{Name: "days", Label: "计息天数 Days", Value: "91"},
		{Name: "principal", Label: "贷款本金 Principal", Value: "1000000.00"},
		{Name: "outstanding_principal", Label: "未还本金 Outstanding principal", Value: "400000.00"},
		{Name: "stated_lpr", Label: "合同LPR Stated LPR", Value: "3.65 %"},
		{Name: "interest_paid", Label: "实付利息 Interest paid", Value: "0.00"},
		{Name: "overdue", Label: "逾期 Overdue", Value: "yes"},
		{Name: "extended", Label: "展期 Extended", Value: "no"},
	}, lines[0].Facts)

	for _, tt := range []struct {
		now, before bool
		want        string
	}{{true, false, "yes"}, {false, true, "yes, in an earlier period"}, {true, true, "yes, in an earlier period"}} {
		raw, _ := json.Marshal(payload(func(pp *PeriodPayload) { pp.Report.Extended, pp.ExtendedBefore = tt.now, tt.before }))
		lines, err := Rules{}.Describe(raw)
		require.NoError(t, err)
		require.Equal(t, tt.want, lines[0].Facts[9].Value)
	}
	_, err = Rules{}.Describe(json.RawMessage(`"loan"`))
	require.Error(t, err)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// jsonFields lists the members v encodes to.
func jsonFields(t *testing.T, v any) []string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return keys(m)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
