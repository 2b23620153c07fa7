package voucher

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
)

func goodRedemption() *RedemptionRequest {
	return &RedemptionRequest{ProviderCreditCode: testLab, ServiceCategory: "testing", ContractNo: "HT-1",
		InvoiceNo: "INV-1", InvoiceDate: "2024-06-15", InvoiceAmount: "12000.50"}
}

func TestNormalise(t *testing.T) {
	b := BodyRequest{Redemption: goodRedemption()}
	payload, requested, errs := b.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "12000.50", money.Format(requested), "requested is the invoice amount")
	r := payload.(Payload).Redemption
	require.Equal(t, testLab, r.ProviderCreditCode)
	require.Equal(t, time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC), r.InvoiceDate)
	require.True(t, r.InvoiceAmount.Equal(dec("12000.50")))
}

func TestNormaliseRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*RedemptionRequest)
		want map[string]string
	}{
		{"invoice amount zero", func(r *RedemptionRequest) { r.InvoiceAmount = "0" },
			map[string]string{"redemption.invoice_amount": "must be greater than 0"}},
		{"invoice amount with 3 places", func(r *RedemptionRequest) { r.InvoiceAmount = "1.005" },
			map[string]string{"redemption.invoice_amount": "must have at most 2 decimal places"}},
		{"invoice amount not a number", func(r *RedemptionRequest) { r.InvoiceAmount = "1e3" },
			map[string]string{"redemption.invoice_amount": `must be a decimal number such as "1234.50"`}},
		{"invoice date not a date", func(r *RedemptionRequest) { r.InvoiceDate = "2024-6-15" },
			map[string]string{"redemption.invoice_date": `must be a date such as "2024-03-01"`}},
		{"provider code check character", func(r *RedemptionRequest) { r.ProviderCreditCode = wrongCheck(testLab) },
			map[string]string{"redemption.provider_credit_code": "must be a valid unified social credit code: " +
				"check character mismatch (expected " + testLab[17:] + ")"}},
		{"blank contract", func(r *RedemptionRequest) { r.ContractNo = "  " },
			map[string]string{"redemption.contract_no": "must not be empty"}},
		{"several errors at once", func(r *RedemptionRequest) { r.InvoiceNo, r.ServiceCategory = "", "" },
			map[string]string{"redemption.invoice_no": "must not be empty", "redemption.service_category": "must not be empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := goodRedemption()
			tt.edit(req)
			payload, requested, errs := (&BodyRequest{Redemption: req}).Normalise()
			require.Equal(t, tt.want, errs)
			require.Nil(t, payload)
			require.True(t, requested.IsZero())
		})
	}
}

func TestNormaliseWithoutRedemption(t *testing.T) {
	_, _, errs := (&BodyRequest{}).Normalise()
	require.Equal(t, map[string]string{"redemption": "is required"}, errs)
}

func TestComplete(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	tests := []struct {
		name    string
		req     ParamsRequest
		check   func(*testing.T, Params)
		wantErr map[string]string
	}{
		{"absent members take the defaults", ParamsRequest{}, func(t *testing.T, p Params) {
			require.Equal(t, DefaultParams(), p)
		}, nil},
		{"every member given", ParamsRequest{FaceValue: str("50000.00"), ValidDays: num(365), Rate: str("0.3"),
			DeliveryDays: num(90), Providers: []string{testLab}, ServiceCategories: []string{Design, IP},
			Payee: str(PayeeEnterprise)}, func(t *testing.T, p Params) {
			require.Equal(t, "50000.00", money.Format(p.FaceValue))
			require.Equal(t, 365, p.ValidDays)
			require.Equal(t, "0.30", money.FormatRate(p.Rate))
			require.Equal(t, 90, p.DeliveryDays)
			require.Equal(t, []string{testLab}, p.Providers)
			require.Equal(t, []string{Design, IP}, p.ServiceCategories)
			require.Equal(t, PayeeEnterprise, p.Payee)
		}, nil},
		{"zero rate", ParamsRequest{Rate: str("0")}, nil, map[string]string{"rate": "must be greater than 0"}},
		{"rate that is not a number", ParamsRequest{Rate: str("half")}, nil,
			map[string]string{"rate": `must be a decimal number such as "0.50"`}},
		{"face value that is not a number", ParamsRequest{FaceValue: str("2万")}, nil,
			map[string]string{"face_value": `must be a decimal number such as "1234.50"`}},
		{"empty category list", ParamsRequest{ServiceCategories: []string{}}, nil,
			map[string]string{"service_categories": "must list at least one service category"}},
		{"zero valid days", ParamsRequest{ValidDays: num(0)}, nil,
			map[string]string{"valid_days": "must be between 1 and 3660 days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored, errs := tt.req.Complete()
			require.Equal(t, tt.wantErr, errs)
			if tt.check != nil {
				tt.check(t, stored.(Params))
			}
		})
	}
}

// testValidator registers the API's custom tags with the same meaning (api/validate.go), so
// a typo in a tag panics here and a wrong tag shows as a wrong field.
func testValidator(t *testing.T) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return strings.Split(f.Tag.Get("json"), ",")[0] })
	custom := map[string]func(string) bool{
		"amount":     func(s string) bool { _, err := money.Parse(s); return err == nil },
		"rate":       func(s string) bool { _, err := money.ParseRate(s); return err == nil },
		"date":       func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil },
		"region":     func(s string) bool { return region.Validate(s) == nil },
		"creditcode": func(s string) bool { return creditcode.Validate(s) == nil },
		"notblank":   func(s string) bool { return strings.TrimSpace(s) != "" },
	}
	for tag, ok := range custom {
		require.NoError(t, v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return ok(fl.Field().String()) }))
	}
	return v
}

// failing lists the JSON paths the validator refuses, without the Go type name.
func failing(t *testing.T, v *validator.Validate, s any) []string {
	err := v.Struct(s)
	if err == nil {
		return nil
	}
	var out []string
	for _, fe := range err.(validator.ValidationErrors) {
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		out = append(out, path)
	}
	return out
}

func TestTags(t *testing.T) {
	v := testValidator(t)
	require.Empty(t, failing(t, v, &BodyRequest{Redemption: goodRedemption()}))
	require.Equal(t, []string{"redemption"}, failing(t, v, &BodyRequest{}))

	bad := goodRedemption()
	bad.InvoiceAmount, bad.InvoiceDate, bad.ProviderCreditCode = "-1", "15/06/2024", wrongCheck(testLab)
	require.ElementsMatch(t, []string{"redemption.invoice_amount", "redemption.invoice_date",
		"redemption.provider_credit_code"}, failing(t, v, &BodyRequest{Redemption: bad}))

	var params ParamsRequest
	require.NoError(t, json.Unmarshal([]byte(`{"valid_days":0,"rate":"2","payee":"bank",
		"providers":["`+testLab+`","`+testLab+`"],"service_categories":["catering"]}`), &params))
	require.ElementsMatch(t, []string{"valid_days", "rate", "payee", "providers", "service_categories[0]"},
		failing(t, v, &params))
	require.Empty(t, failing(t, v, &ParamsRequest{}))
}
