package guarantee

import (
	"errors"
	"fmt"
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

func flag(v bool) *bool { return &v }

func contractRequest(no string, edit ...func(*ContractRequest)) ContractRequest {
	r := ContractRequest{ContractNo: no, BorrowerCreditCode: smallFirm, BorrowerSizeClass: "small",
		GuaranteedAmount: "1000000.00", FeeRate: "0.008", FeePaid: "8000.50", StartDate: "2023-03-15",
		EndDate: "2024-03-15", CounterGuarantee: flag(false), ReviewFee: flag(false)}
	for _, e := range edit {
		e(&r)
	}
	return r
}

func TestNormalise(t *testing.T) {
	b := BodyRequest{Contracts: []ContractRequest{
		contractRequest("G-1"),
		contractRequest("G-2", func(r *ContractRequest) {
			r.FeePaid, r.CounterGuarantee, r.ReviewFee = "99.99", flag(true), flag(false)
		}),
	}}
	payload, requested, errs := b.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "8100.49", requested.StringFixed(2), "the fees paid are what the body asks about")
	want := Contract{ContractNo: "G-1", BorrowerCreditCode: smallFirm, BorrowerSizeClass: "small",
		GuaranteedAmount: dec("1000000.00"), FeeRate: dec("0.008"), FeePaid: dec("8000.50"),
		StartDate: time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)}
	got := payload.(Payload)
	require.Equal(t, want, got.Contracts[0])
	require.True(t, got.Contracts[1].CounterGuarantee)
	require.False(t, got.Contracts[1].ReviewFee)
	require.Nil(t, got.Borrowers, "the body never carries the registry's classes")
}

func TestNormaliseRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ContractRequest)
		want map[string]string
	}{
		{"blank contract", func(r *ContractRequest) { r.ContractNo = " " },
			map[string]string{"contracts[1].contract_no": "must not be empty"}},
		{"contract number too long", func(r *ContractRequest) { r.ContractNo = strings.Repeat("担", 65) },
			map[string]string{"contracts[1].contract_no": "must be at most 64 characters"}},
		{"borrower code fails its check", func(r *ContractRequest) { r.BorrowerCreditCode = smallFirm[:17] + wrongCheck(smallFirm) },
			map[string]string{"contracts[1].borrower_credit_code": "must be a valid unified social credit code: " +
				"check character mismatch (expected " + smallFirm[17:] + ")"}},
		{"unknown size class", func(r *ContractRequest) { r.BorrowerSizeClass = "tiny" },
			map[string]string{"contracts[1].borrower_size_class": "must be one of small, medium, micro, large"}},
		{"guaranteed amount with three places", func(r *ContractRequest) { r.GuaranteedAmount = "100.005" },
			map[string]string{"contracts[1].guaranteed_amount": "must have at most 2 decimal places"}},
		{"zero fee paid", func(r *ContractRequest) { r.FeePaid = "0.00" },
			map[string]string{"contracts[1].fee_paid": "must be greater than 0"}},
		{"fee paid not a number", func(r *ContractRequest) { r.FeePaid = "8千" },
			map[string]string{"contracts[1].fee_paid": `must be a decimal number such as "1234.50"`}},
		{"fee rate as a percentage", func(r *ContractRequest) { r.FeeRate = "0.8%" },
			map[string]string{"contracts[1].fee_rate": `must be a decimal number such as "0.50"`}},
		{"fee rate above one", func(r *ContractRequest) { r.FeeRate = "1.2" },
			map[string]string{"contracts[1].fee_rate": "must be between 0 and 1"}},
		{"zero fee rate", func(r *ContractRequest) { r.FeeRate = "0" },
			map[string]string{"contracts[1].fee_rate": "must be greater than 0"}},
		{"start not a date", func(r *ContractRequest) { r.StartDate = "2023-02-30" },
			map[string]string{"contracts[1].start_date": `must be a date such as "2024-03-01"`}},
		{"end not a date", func(r *ContractRequest) { r.EndDate = "15/03/2024" },
			map[string]string{"contracts[1].end_date": `must be a date such as "2024-03-01"`}},
		{"end equal to start", func(r *ContractRequest) { r.EndDate = r.StartDate },
			map[string]string{"contracts[1].end_date": "must be after start_date (the guarantee runs up to, not including, this day)"}},
		{"end before start", func(r *ContractRequest) { r.EndDate = "2022-03-15" },
			map[string]string{"contracts[1].end_date": "must be after start_date (the guarantee runs up to, not including, this day)"}},
		{"counter-guarantee not stated", func(r *ContractRequest) { r.CounterGuarantee = nil },
			map[string]string{"contracts[1].counter_guarantee": "must be true or false"}},
		{"review fee not stated", func(r *ContractRequest) { r.ReviewFee = nil },
			map[string]string{"contracts[1].review_fee": "must be true or false"}},
		{"several fields at once", func(r *ContractRequest) { r.ContractNo, r.FeeRate = "", "" },
			map[string]string{"contracts[1].contract_no": "must not be empty",
				"contracts[1].fee_rate": `must be a decimal number such as "0.50"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := BodyRequest{Contracts: []ContractRequest{contractRequest("G-1"), contractRequest("G-2", tt.edit)}}
			payload, requested, errs := b.Normalise()
			require.Equal(t, tt.want, errs)
			require.Nil(t, payload)
			require.True(t, requested.IsZero())
		})
	}
}

func TestNormaliseBoundsTheClaim(t *testing.T) {
	_, _, errs := (&BodyRequest{}).Normalise()
	require.Equal(t, map[string]string{"contracts": "must list at least one contract"}, errs)

	many := BodyRequest{Contracts: make([]ContractRequest, MaxContracts+1)}
	for i := range many.Contracts {
		many.Contracts[i] = contractRequest(fmt.Sprintf("G-%d", i))
	}
	_, _, errs = many.Normalise()
	require.Equal(t, map[string]string{"contracts": "must list at most 500 contracts"}, errs)

	many.Contracts = many.Contracts[:MaxContracts]
	_, requested, errs := many.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "4000250.00", requested.StringFixed(2))
}

func TestValidateContracts(t *testing.T) {
	require.Equal(t, map[string]string{"contracts": "must list at least one contract"}, ValidateContracts(nil))
	require.Nil(t, ValidateContracts([]Contract{contract("G-1")}))
	bad := contract("G-2", func(c *Contract) { c.BorrowerSizeClass = "" })
	require.Equal(t, map[string]string{"contracts[1].borrower_size_class": "must be one of small, medium, micro, large"},
		ValidateContracts([]Contract{contract("G-1"), bad}))
}

// tagChecker runs the struct tags the way the API does, with the API's custom tags built on
// the same packages, so a misspelt or misplaced tag fails here and not in production.
func tagChecker(t *testing.T) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return strings.Split(f.Tag.Get("json"), ",")[0] })
	checks := map[string]func(string) error{
		"creditcode": creditcode.Validate,
		"region":     region.Validate,
		"amount":     func(s string) error { _, err := money.Parse(s); return err },
		"rate":       func(s string) error { _, err := money.ParseRate(s); return err },
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
	good := BodyRequest{Contracts: []ContractRequest{contractRequest("G-1")}}
	require.NoError(t, v.Struct(&good))
	bad := BodyRequest{Contracts: []ContractRequest{contractRequest("G-1"), contractRequest("G-2", func(r *ContractRequest) {
		r.FeeRate, r.BorrowerSizeClass, r.EndDate, r.ReviewFee = "2", "Small", "", nil
	})}}
	require.ElementsMatch(t, []string{"contracts[1].fee_rate", "contracts[1].borrower_size_class",
		"contracts[1].end_date", "contracts[1].review_fee"}, failed(v.Struct(&bad)))
	require.ElementsMatch(t, []string{"contracts"}, failed(v.Struct(&BodyRequest{})))

	require.NoError(t, v.Struct(&ParamsRequest{}))
	rate, yearly := "1.5", "0"
	params := ParamsRequest{Institutions: []string{datongGuarantee, datongGuarantee}, MaxFeeRate: &rate, YearlyCap: &yearly}
	require.ElementsMatch(t, []string{"institutions", "max_fee_rate", "yearly_cap"}, failed(v.Struct(&params)))
}

// The requested amount is a decimal, never a float: the fees survive to the fen.
func TestNormaliseKeepsTheFeesExact(t *testing.T) {
	b := BodyRequest{Contracts: []ContractRequest{
		contractRequest("G-1", func(r *ContractRequest) { r.FeePaid, r.GuaranteedAmount = "999999999999999999.99", "1.00" })}}
	_, requested, errs := b.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "999999999999999999.99", requested.StringFixed(2))
	require.False(t, requested.Equal(decimal.RequireFromString("1000000000000000000")))
}
