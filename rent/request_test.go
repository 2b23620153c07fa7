package rent

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
)

func leaseRequest(edit ...func(*LeaseRequest)) BodyRequest {
	r := LeaseRequest{ContractNo: "HT-2021-007", LandlordCreditCode: stateLandlord,
		PremisesAddress: "拉萨市城关区北京中路 12 号", County: "540102", MonthlyRent: "5000.50",
		LeaseStart: "2022-03-15", LeaseEnd: "2024-03-15"}
	for _, e := range edit {
		e(&r)
	}
	return BodyRequest{Lease: r}
}

func TestNormalise(t *testing.T) {
	b := leaseRequest()
	payload, requested, errs := b.Normalise()
	require.Nil(t, errs)
	require.True(t, requested.Equal(dec("5000.50")), "the monthly rent is what the body asks about")
	require.Equal(t, Payload{Lease: Lease{ContractNo: "HT-2021-007", LandlordCreditCode: stateLandlord,
		PremisesAddress: "拉萨市城关区北京中路 12 号", County: "540102", MonthlyRent: dec("5000.50"),
		LeaseStart: time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC), LeaseEnd: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)}},
		payload)
}

func TestNormaliseRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*LeaseRequest)
		want map[string]string
	}{
		{"blank contract", func(r *LeaseRequest) { r.ContractNo = " " }, map[string]string{"lease.contract_no": "must not be empty"}},
		{"blank address", func(r *LeaseRequest) { r.PremisesAddress = "" },
			map[string]string{"lease.premises_address": "must not be empty"}},
		{"landlord code fails its check", func(r *LeaseRequest) { r.LandlordCreditCode = stateLandlord[:17] + "0" },
			map[string]string{"lease.landlord_credit_code": "must be a valid unified social credit code: check character mismatch (expected H)"}},
		{"county not a code", func(r *LeaseRequest) { r.County = "54010" },
			map[string]string{"lease.county": `must be exactly 6 digits, such as "540000"`}},
		{"rent with three places", func(r *LeaseRequest) { r.MonthlyRent = "100.005" },
			map[string]string{"lease.monthly_rent": "must have at most 2 decimal places"}},
		{"zero rent", func(r *LeaseRequest) { r.MonthlyRent = "0.00" },
			map[string]string{"lease.monthly_rent": "must be greater than 0"}},
		{"rent not a number", func(r *LeaseRequest) { r.MonthlyRent = "5千" },
			map[string]string{"lease.monthly_rent": `must be a decimal number such as "1234.50"`}},
		{"start not a date", func(r *LeaseRequest) { r.LeaseStart = "2022-02-30" },
			map[string]string{"lease.lease_start": `must be a date such as "2024-03-01"`}},
		{"end not a date", func(r *LeaseRequest) { r.LeaseEnd = "15/03/2024" },
			map[string]string{"lease.lease_end": `must be a date such as "2024-03-01"`}},
		{"end equal to start", func(r *LeaseRequest) { r.LeaseEnd = r.LeaseStart },
			map[string]string{"lease.lease_end": "must be after lease_start (the lease runs up to, not including, this day)"}},
		{"end before start", func(r *LeaseRequest) { r.LeaseEnd = "2021-03-15" },
			map[string]string{"lease.lease_end": "must be after lease_start (the lease runs up to, not including, this day)"}},
		{"several fields at once", func(r *LeaseRequest) { r.ContractNo, r.County = "", "" },
			map[string]string{"lease.contract_no": "must not be empty", "lease.county": `must be exactly 6 digits, such as "540000"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := leaseRequest(tt.edit)
			payload, requested, errs := b.Normalise()
			require.Equal(t, tt.want, errs)
			require.Nil(t, payload)
			require.True(t, requested.IsZero())
		})
	}
}

// tagChecker runs the struct tags the way the API does, with the API's custom tags built
// on the same packages, so a misspelt or misplaced tag fails here and not in production.
func tagChecker(t *testing.T) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return strings.Split(f.Tag.Get("json"), ",")[0] })
	checks := map[string]func(string) error{
		"creditcode": creditcode.Validate,
		"region":     region.Validate,
		"amount":     func(s string) error { _, err := money.Parse(s); return err },
		"date":       func(s string) error { _, err := time.Parse(time.DateOnly, s); return err },
		"notblank": func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New("blank")
			}
			return nil
		},
	}
	for tag, check := range checks {
		require.NoError(t, v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			return check(fl.Field().String()) == nil
		}))
	}
	return v
}

// failed lists the JSON paths the validator refused, without the type name.
func failed(err error) []string {
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return nil
	}
	var out []string
	for _, fe := range ves {
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		out = append(out, path)
	}
	return out
}

func TestRequestTags(t *testing.T) {
	v := tagChecker(t)
	good := leaseRequest()
	require.NoError(t, v.Struct(&good))
	bad := leaseRequest(func(r *LeaseRequest) { r.MonthlyRent, r.County, r.LeaseEnd = "-1", "5401", "" })
	require.ElementsMatch(t, []string{"lease.monthly_rent", "lease.county", "lease.lease_end"}, failed(v.Struct(&bad)))

	thirteen := 13
	require.NoError(t, v.Struct(&ParamsRequest{}))
	params := ParamsRequest{Landlords: []string{stateLandlord, stateLandlord}, RiskCounties: []string{"54"},
		RiskMonths: &thirteen}
	require.ElementsMatch(t, []string{"landlords", "risk_counties[0]", "risk_months"}, failed(v.Struct(&params)))
}

// The requested amount is a decimal, never a float: the rent survives to the fen.
func TestNormaliseKeepsTheRentExact(t *testing.T) {
	b := leaseRequest(func(r *LeaseRequest) { r.MonthlyRent = "999999999999999999.99" })
	_, requested, errs := b.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "999999999999999999.99", requested.StringFixed(2))
	require.False(t, requested.Equal(decimal.RequireFromString("1000000000000000000")))
}
