package rent

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
)

func TestRulesIsAKind(t *testing.T) {
	var r kind.Rules = Rules{}
	require.Equal(t, program.Rent, r.Kind())
	require.IsType(t, &ParamsRequest{}, r.NewParams())
	require.IsType(t, &BodyRequest{}, r.NewBody())
}

func TestSchemas(t *testing.T) {
	sc := Rules{}.Schemas()
	require.Equal(t, "RentParams", sc.Params)
	require.Equal(t, "RentClaim", sc.Body)
	require.ElementsMatch(t, []string{"RentParams", "RentClaim", "Lease"}, keys(sc.Components))

	// Every $ref points at a component of the kind, and every schema member names a JSON
	// field of the Go type it describes.
	doc, _ := json.Marshal(sc.Components)
	for _, ref := range strings.Split(string(doc), `"$ref":"#/components/schemas/`)[1:] {
		name, _, _ := strings.Cut(ref, `"`)
		require.Contains(t, sc.Components, name)
	}
	require.ElementsMatch(t, jsonFields(t, DefaultParams()), keys(sc.Components["RentParams"]["properties"].(map[string]any)))
	require.ElementsMatch(t, jsonFields(t, lease()), keys(sc.Components["Lease"]["properties"].(map[string]any)))
	require.ElementsMatch(t, jsonFields(t, lease()), sc.Components["Lease"]["required"])
}

func TestViewParamsNeverShowsNull(t *testing.T) {
	v, err := Rules{}.ViewParams(json.RawMessage(`{"risk_months":6,"normal_months":3,"confirm_days":15}`))
	require.NoError(t, err)
	b, _ := json.Marshal(v)
	require.JSONEq(t, `{"landlords":[],"risk_counties":[],"risk_months":6,"normal_months":3,
		"compensate_landlord":false,"confirm_days":15}`, string(b))
	_, err = Rules{}.ViewParams(json.RawMessage(`[]`))
	require.Error(t, err)
}

func TestRulesAssess(t *testing.T) {
	params, _ := json.Marshal(tibetParams())
	payload, _ := json.Marshal(Payload{Lease: lease()})
	in := kind.Input{
		Program: program.Program{ID: "prg_1", Kind: program.Rent, Region: "540000",
			PeriodStart: day("2022-01-01"), PeriodEnd: day("2023-01-01"), Params: params},
		Enterprise: enterprise.Enterprise{CreditCode: shopkeeper, Industry: "retail", Region: "540102"},
		Payload:    payload,
	}
	none := func([]claim.Evidence) (map[int]string, error) { return nil, nil }

	out, err := Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, "30000.00", out.Assessment.Amount.StringFixed(2), "an individual business without a class")
	require.True(t, out.Cap.IsZero(), "the waiver has no cap")

	in.Enterprise = enterprise.Enterprise{CreditCode: smallTenant, SizeClass: "medium", Region: "540102"}
	out, err = Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, ReasonTenantNotSmallOrMicro, out.Assessment.Reason, "the snapshot's size class is used")

	in.Payload = json.RawMessage(`{"lease": {"monthly_rent": true}}`)
	_, err = Rules{}.Assess(in, none)
	var pe *kind.PayloadError
	require.True(t, errors.As(err, &pe), "an undecodable payload is a decision, not a crash: %v", err)
}

func TestDescribe(t *testing.T) {
	payload, _ := json.Marshal(Payload{Lease: lease(term("2023-01-01", "2024-01-01"))})
	lines, err := Rules{}.Describe(payload)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	require.Equal(t, []kind.Fact{
		{Name: "contract_no", Label: "租赁合同 Lease contract", Value: "HT-2021-007"},
		{Name: "landlord_credit_code", Label: "出租方 Landlord", Value: stateLandlord},
		{Name: "premises_address", Label: "房屋地址 Premises", Value: "拉萨市城关区北京中路 12 号"},
		{Name: "county", Label: "所在县 County", Value: "540102"},
		{Name: "monthly_rent", Label: "月租金 Monthly rent", Value: "5000.00"},
		{Name: "lease_term", Label: "租期 Lease", Value: "2023-01-01 – 2023-12-31"},
	}, lines[0].Facts)
	_, err = Rules{}.Describe(json.RawMessage(`"lease"`))
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
func jsonFields(t *testing.T, v any) []any {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	out := make([]any, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
