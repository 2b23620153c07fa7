package voucher

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, "20000.00", p.FaceValue.StringFixed(2))
	require.Equal(t, 180, p.ValidDays)
	require.Equal(t, "0.50", p.Rate.StringFixed(2))
	require.Equal(t, 60, p.DeliveryDays)
	require.Empty(t, p.Providers)
	require.NotNil(t, p.Providers, "stored as [] so views never show null")
	require.Equal(t, []string{"testing", "certification", "consulting", "design", "ip", "digital_transformation"},
		p.ServiceCategories)
	require.Equal(t, PayeeProvider, p.Payee)
	require.Nil(t, p.Validate(), "the defaults are usable: providers may be added later")

	p.ServiceCategories[0] = "changed"
	require.Equal(t, Testing, Categories[0], "DefaultParams must not share Categories")
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Params)
		want map[string]string
	}{
		{"Tibet defaults with providers", func(*Params) {}, nil},
		{"pays the enterprise", func(p *Params) { p.Payee = PayeeEnterprise }, nil},
		{"one category only", func(p *Params) { p.ServiceCategories = []string{IP} }, nil},
		{"full rate", func(p *Params) { p.Rate = dec("1") }, nil},
		{"zero rate", func(p *Params) { p.Rate = dec("0") }, map[string]string{"rate": "must be greater than 0"}},
		{"rate above one", func(p *Params) { p.Rate = dec("1.5") }, map[string]string{"rate": "must be between 0 and 1"}},
		{"zero face value", func(p *Params) { p.FaceValue = dec("0") },
			map[string]string{"face_value": "must be greater than 0"}},
		{"face value with fractions of a fen", func(p *Params) { p.FaceValue = dec("20000.005") },
			map[string]string{"face_value": "must have at most 2 decimal places"}},
		{"zero valid days", func(p *Params) { p.ValidDays = 0 },
			map[string]string{"valid_days": "must be between 1 and 3660 days"}},
		{"valid days beyond ten years", func(p *Params) { p.ValidDays = 3661 },
			map[string]string{"valid_days": "must be between 1 and 3660 days"}},
		{"negative delivery days", func(p *Params) { p.DeliveryDays = -1 },
			map[string]string{"delivery_days": "must be between 1 and 3660 days"}},
		{"bad provider code", func(p *Params) { p.Providers = []string{testLab, wrongCheck(testLab)} },
			map[string]string{"providers[1]": "must be a valid unified social credit code: check character mismatch (expected " +
				testLab[17:] + ")"}},
		{"provider listed twice", func(p *Params) { p.Providers = []string{testLab, consultant, testLab} },
			map[string]string{"providers[2]": "is listed twice"}},
		{"no category", func(p *Params) { p.ServiceCategories = []string{} },
			map[string]string{"service_categories": "must list at least one service category"}},
		{"unknown category", func(p *Params) { p.ServiceCategories = []string{Testing, "catering"} },
			map[string]string{"service_categories[1]": `unknown category "catering"; use one of testing, certification, consulting, design, ip, digital_transformation`}},
		{"category listed twice", func(p *Params) { p.ServiceCategories = []string{IP, IP} },
			map[string]string{"service_categories[1]": "is listed twice"}},
		{"unknown payee", func(p *Params) { p.Payee = "bank" },
			map[string]string{"payee": "must be provider or enterprise"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			tt.edit(&p)
			require.Equal(t, tt.want, p.Validate())
		})
	}
}

func TestParamsValidateBadProviderCode(t *testing.T) {
	p := tibetParams()
	p.Providers = []string{strings.ToLower(testLab)}
	require.Contains(t, p.Validate()["providers[0]"], "must be upper case")
}

func TestParamsJSON(t *testing.T) {
	var p Params
	err := json.Unmarshal([]byte(`{"face_value":"30000.00","valid_days":90,"rate":"0.40","delivery_days":30,
		"providers":["`+testLab+`"],"service_categories":["design"],"payee":"enterprise"}`), &p)
	require.NoError(t, err)
	require.Equal(t, "30000", p.FaceValue.String())
	require.Equal(t, 90, p.ValidDays)
	require.Equal(t, "0.4", p.Rate.String())
	require.Equal(t, 30, p.DeliveryDays)
	require.Equal(t, []string{testLab}, p.Providers)
	require.Equal(t, []string{Design}, p.ServiceCategories)
	require.Equal(t, PayeeEnterprise, p.Payee)
	require.Nil(t, p.Validate())
}

func TestCategoryLabelsCoverEveryCategory(t *testing.T) {
	require.Len(t, CategoryLabels, len(Categories))
	for _, c := range Categories {
		label := CategoryLabels[c]
		require.NotEmpty(t, label, c)
		require.Contains(t, label, " ", "bilingual: Chinese, then English")
	}
	require.Equal(t, "检验检测 Testing", CategoryLabels[Testing])
}

// TestRequestTagsAgreeWithTheRules keeps the validator tags, which cannot name Go
// constants, in step with MaxDays, MaxProviders and Categories.
func TestRequestTagsAgreeWithTheRules(t *testing.T) {
	tag := func(field string) string {
		f, ok := reflect.TypeOf(ParamsRequest{}).FieldByName(field)
		require.True(t, ok, field)
		return f.Tag.Get("validate")
	}
	maxDays := "max=" + strconv.Itoa(MaxDays)
	require.Contains(t, tag("ValidDays"), maxDays)
	require.Contains(t, tag("DeliveryDays"), maxDays)
	require.Contains(t, tag("Providers"), "max="+strconv.Itoa(MaxProviders))
	require.Contains(t, tag("ServiceCategories"), "oneof="+strings.Join(Categories, " "))
	require.Contains(t, tag("Payee"), "oneof="+PayeeProvider+" "+PayeeEnterprise)
}
