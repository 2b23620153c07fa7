package voucher

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
)

func TestRulesSatisfiesKindRules(t *testing.T) {
	var r kind.Rules = Rules{}
	require.Equal(t, program.Voucher, r.Kind())
	require.IsType(t, &ParamsRequest{}, r.NewParams())
	require.IsType(t, &BodyRequest{}, r.NewBody())
}

func TestViewParams(t *testing.T) {
	stored, err := json.Marshal(DefaultParams())
	require.NoError(t, err)
	v, err := Rules{}.ViewParams(stored)
	require.NoError(t, err)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	require.JSONEq(t, `{"face_value": "20000.00", "valid_days": 180, "rate": "0.50", "delivery_days": 60,
		"providers": [], "service_categories": ["testing", "certification", "consulting", "design", "ip",
		"digital_transformation"], "payee": "provider"}`, string(out))

	v, err = Rules{}.ViewParams(json.RawMessage(`{"face_value": "5000", "rate": "0.0035"}`))
	require.NoError(t, err)
	out, _ = json.Marshal(v)
	require.Contains(t, string(out), `"face_value":"5000.00"`)
	require.Contains(t, string(out), `"rate":"0.0035"`)
	require.Contains(t, string(out), `"providers":[]`, "never null")
	require.Contains(t, string(out), `"service_categories":[]`, "never null")

	_, err = Rules{}.ViewParams(json.RawMessage(`"nope"`))
	require.Error(t, err)
}

func TestRulesAssess(t *testing.T) {
	payload, _ := json.Marshal(Payload{Redemption: redemption("50000.00")})
	in := kind.Input{Program: tibetProgram(t, tibetParams()), Payload: payload,
		Enterprise: enterprise.Enterprise{CreditCode: lhasaFirm, Region: "540102", SizeClass: "small"}}
	out, err := Rules{}.Assess(in, noneHeld)
	require.NoError(t, err)
	require.Equal(t, "20000.00", out.Assessment.Amount.StringFixed(2), "face value limits the subsidy")
	require.True(t, out.Cap.IsZero(), "no cap: the face value already bounds S")

	in.Enterprise.CreditCode = testLab // the provider redeeming its own service
	out, err = Rules{}.Assess(in, noneHeld)
	require.NoError(t, err)
	require.Equal(t, ReasonProviderIsApplicant, out.Assessment.Reason)
}

func TestRulesAssessUndecodablePayload(t *testing.T) {
	in := kind.Input{Program: tibetProgram(t, tibetParams()), Payload: json.RawMessage(`{"redemption": []}`)}
	_, err := Rules{}.Assess(in, noneHeld)
	var pe *kind.PayloadError
	require.True(t, errors.As(err, &pe), "got %v", err)
}

func TestDescribe(t *testing.T) {
	payload, _ := json.Marshal(Payload{Redemption: redemption("12000.5")})
	lines, err := Rules{}.Describe(payload)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	require.Equal(t, []kind.Fact{
		{Name: "provider_credit_code", Label: "服务机构 Provider", Value: testLab},
		{Name: "service_category", Label: "服务类别 Service", Value: "testing"},
		{Name: "contract_no", Label: "合同号 Contract", Value: "HT-2024-017"},
		{Name: "invoice_no", Label: "发票号 Invoice", Value: "INV-88001"},
		{Name: "invoice_date", Label: "发票日期 Invoice date", Value: "2024-06-15"},
		{Name: "invoice_amount", Label: "发票金额 Invoice amount", Value: "12000.50"},
	}, lines[0].Facts)

	_, err = Rules{}.Describe(json.RawMessage(`{`))
	require.Error(t, err)
}

// jsonNames lists the JSON member names of a struct type.
func jsonNames(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		out = append(out, strings.Split(t.Field(i).Tag.Get("json"), ",")[0])
	}
	slices.Sort(out)
	return out
}

func propertyNames(schema map[string]any) []string {
	var out []string
	for name := range schema["properties"].(map[string]any) {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func TestSchemas(t *testing.T) {
	sc := Rules{}.Schemas()
	require.Equal(t, "VoucherParams", sc.Params)
	require.Equal(t, "VoucherRedemption", sc.Body)
	require.Len(t, sc.Components, 3)
	for _, name := range []string{"VoucherParams", "VoucherRedemption", "Redemption"} {
		require.Contains(t, sc.Components, name)
	}
	// The schemas describe exactly what the request types read.
	require.Equal(t, jsonNames(ParamsRequest{}), propertyNames(sc.Components["VoucherParams"]))
	require.Equal(t, jsonNames(RedemptionRequest{}), propertyNames(sc.Components["Redemption"]))
	require.Equal(t, jsonNames(BodyRequest{}), propertyNames(sc.Components["VoucherRedemption"]))
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/Redemption"},
		sc.Components["VoucherRedemption"]["properties"].(map[string]any)["redemption"])
}

// TestSchemaNamesDoNotClash checks the component names against the other kind and the
// API's base document, which refuses a name defined twice.
func TestSchemaNamesDoNotClash(t *testing.T) {
	taken := map[string]bool{}
	for name := range (freight.Rules{}).Schemas().Components {
		taken[name] = true
	}
	base, err := os.ReadFile("../api/openapi.json")
	require.NoError(t, err)
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(base, &doc))
	require.NotEmpty(t, doc.Components.Schemas)
	for name := range doc.Components.Schemas {
		taken[name] = true
	}
	for name := range (Rules{}).Schemas().Components {
		require.False(t, taken[name], "schema %s is already defined", name)
	}
}
