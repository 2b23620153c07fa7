package guarantee

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/rent"
	"github.com/subsidyflow/subsidyflow/voucher"
)

func TestRulesIsAKind(t *testing.T) {
	var r kind.Rules = Rules{}
	require.Equal(t, program.Guarantee, r.Kind())
	require.IsType(t, &ParamsRequest{}, r.NewParams())
	require.IsType(t, &BodyRequest{}, r.NewBody())
	require.True(t, kind.Filed(r), "guarantee claims are filed through POST /v1/claims")
	require.Nil(t, r.Parties(stored(t, contract("G-1"))), "borrowers take no part in the claim")

	// The registry hooks take plain types, so an interface outside this package can name them.
	hooks, ok := r.(interface {
		RegistryCodes(json.RawMessage) []string
		WithRegistry(json.RawMessage, map[string]string) (json.RawMessage, error)
	})
	require.True(t, ok)
	payload := stored(t, contract("G-1", borrower(smallFirm, "medium")))
	require.Equal(t, []string{smallFirm}, hooks.RegistryCodes(payload))
	out, err := hooks.WithRegistry(payload, map[string]string{smallFirm: "small"})
	require.NoError(t, err)
	require.Equal(t, []string{"registry says small, claim says medium"}, sizeNotes(t, out))
}

// sizeNotes judges a stored payload and returns each line's size note.
func sizeNotes(t *testing.T, payload json.RawMessage) []string {
	var body Payload
	require.NoError(t, json.Unmarshal(payload, &body))
	var out []string
	for _, c := range body.Contracts {
		out = append(out, body.Borrowers.SizeOf(c).Note())
	}
	return out
}

func TestSchemas(t *testing.T) {
	sc := Rules{}.Schemas()
	require.Equal(t, "GuaranteeParams", sc.Params)
	require.Equal(t, "GuaranteeClaim", sc.Body)
	require.ElementsMatch(t, []string{"GuaranteeParams", "GuaranteeClaim", "GuaranteeContract"}, keys(sc.Components))

	// Every $ref points at a component of the kind, and every schema member names a JSON
	// field of the Go type it describes.
	doc, _ := json.Marshal(sc.Components)
	for _, ref := range strings.Split(string(doc), `"$ref":"#/components/schemas/`)[1:] {
		name, _, _ := strings.Cut(ref, `"`)
		require.Contains(t, sc.Components, name)
	}
	require.ElementsMatch(t, jsonFields(t, DefaultParams()), keys(sc.Components["GuaranteeParams"]["properties"].(map[string]any)))
	require.ElementsMatch(t, jsonFields(t, contract("G-1")), keys(sc.Components["GuaranteeContract"]["properties"].(map[string]any)))
	require.ElementsMatch(t, jsonFields(t, contract("G-1")), sc.Components["GuaranteeContract"]["required"])
	require.ElementsMatch(t, []string{"contracts"}, keys(sc.Components["GuaranteeClaim"]["properties"].(map[string]any)),
		"the institution cannot send the borrowers' classes")
}

// The API merges every kind's components into one document and refuses a name defined twice.
func TestSchemasDoNotClash(t *testing.T) {
	ours := Rules{}.Schemas().Components
	for _, other := range []kind.Rules{freight.Rules{}, rent.Rules{}, voucher.Rules{}} {
		for name := range other.Schemas().Components {
			require.NotContains(t, ours, name, "kind %s", other.Kind())
		}
	}
}

func TestViewParamsNeverShowsNull(t *testing.T) {
	v, err := Rules{}.ViewParams(json.RawMessage(`{"max_fee_rate":"0.01","subsidy_rate":"0.005","yearly_cap":"2000000"}`))
	require.NoError(t, err)
	b, _ := json.Marshal(v)
	require.JSONEq(t, `{"institutions":[],"max_fee_rate":"0.01","subsidy_rate":"0.005","yearly_cap":"2000000.00"}`, string(b))

	stored, _ := json.Marshal(datongParams())
	v, err = Rules{}.ViewParams(stored)
	require.NoError(t, err)
	b, _ = json.Marshal(v)
	require.JSONEq(t, `{"institutions":["`+datongGuarantee+`"],"max_fee_rate":"0.01","subsidy_rate":"0.005",
		"yearly_cap":"2000000.00"}`, string(b))

	_, err = Rules{}.ViewParams(json.RawMessage(`[]`))
	require.Error(t, err)
}

func TestRulesAssess(t *testing.T) {
	params, _ := json.Marshal(datongParams())
	payload, err := WithRegistered(stored(t, contract("G-1", borrower(smallFirm, "medium"),
		func(c *Contract) { c.CounterGuarantee = true }), contract("G-2")), registry)
	require.NoError(t, err)
	in := kind.Input{
		Program: program.Program{ID: "prg_1", Kind: program.Guarantee, Region: "140200",
			PeriodStart: day("2023-01-01"), PeriodEnd: day("2024-01-01"), Params: params},
		Enterprise: enterprise.Enterprise{CreditCode: datongGuarantee, Industry: "other", Region: "140200"},
		Payload:    payload,
	}
	none := func([]claim.Evidence) (map[int]string, error) { return nil, nil }

	out, err := Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, "5000.00", out.Assessment.Amount.StringFixed(2))
	require.Equal(t, ReasonCounterGuaranteeRequired, out.Assessment.Lines[0].Reason, "the stored registry class is used")
	require.Equal(t, "2000000.00", out.Cap.StringFixed(2), "the yearly cap goes to the ledger")
	require.Empty(t, out.Payee, "the filing institution is paid")
	require.False(t, out.NoPayment)
	require.Nil(t, out.Confirm)

	in.Enterprise.CreditCode = otherInstitute
	out, err = Rules{}.Assess(in, none)
	require.NoError(t, err)
	require.Equal(t, ReasonInstitutionNotListed, out.Assessment.Reason, "the snapshot's enterprise is the filer")

	in.Payload = json.RawMessage(`{"contracts": [{"fee_paid": true}]}`)
	_, err = Rules{}.Assess(in, none)
	var pe *kind.PayloadError
	require.True(t, errors.As(err, &pe), "an undecodable payload is a decision, not a crash: %v", err)
}

func TestDescribe(t *testing.T) {
	payload, err := WithRegistered(stored(t,
		contract("G-1", borrower(smallFirm, "medium"), term("2023-03-15", "2024-03-15"),
			func(c *Contract) { c.CounterGuarantee = true }),
		contract("G-2", borrower(unregistered, "micro"), func(c *Contract) { c.ReviewFee, c.FeeRate = true, dec("0.0075") }),
		contract("G-3", borrower(shop, "micro"))), registry)
	require.NoError(t, err)
	lines, err := Rules{}.Describe(payload)
	require.NoError(t, err)
	require.Len(t, lines, 3)
	require.Equal(t, []kind.Fact{
		{Name: "contract_no", Label: "担保合同 Contract", Value: "G-1"},
		{Name: "borrower_credit_code", Label: "借款企业 Borrower", Value: smallFirm},
		{Name: "borrower_size_class", Label: "规模 Size (claimed / registry)", Value: "medium / small"},
		{Name: "guaranteed_amount", Label: "担保金额 Guaranteed", Value: "1000000.00"},
		{Name: "fee_rate", Label: "费率 Fee rate", Value: "0.008"},
		{Name: "fee_paid", Label: "已付担保费 Fee paid", Value: "8000.00"},
		{Name: "term", Label: "担保期 Term", Value: "2023-03-15 – 2024-03-14"},
		{Name: "counter_guarantee", Label: "反担保 Counter-guarantee", Value: "yes"},
		{Name: "review_fee", Label: "评审费 Review fee", Value: "no"},
	}, lines[0].Facts)
	require.Equal(t, "micro / not registered", lines[1].Facts[2].Value)
	require.Equal(t, "0.0075", lines[1].Facts[4].Value)
	require.Equal(t, "yes", lines[1].Facts[8].Value)
	require.Equal(t, "micro / no class", lines[2].Facts[2].Value)

	_, err = Rules{}.Describe(json.RawMessage(`"contracts"`))
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
