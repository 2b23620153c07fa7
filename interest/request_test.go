package interest

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
)

func registration(edit ...func(*RegistrationRequest)) RegistrationRequest {
	q := RegistrationRequest{ContractNo: "DT-2023-0315", BorrowerCreditCode: borrower, LenderCreditCode: bank,
		Principal: "1000000.00", ContractRate: "0.0435", StatedLPR: "0.0365", ContractDate: "2023-03-15",
		StartDate: "2023-03-15", MaturityDate: "2026-03-15"}
	for _, e := range edit {
		e(&q)
	}
	return q
}

func reportRequest(edit ...func(*ReportRequest)) ReportRequest {
	no, yes := false, true
	q := ReportRequest{InterestPaid: "10995.83", OutstandingPrincipal: "1000000.00", Overdue: &no, Extended: &yes}
	for _, e := range edit {
		e(&q)
	}
	return q
}

func TestRegistrationNormalise(t *testing.T) {
	q := registration()
	l, errs := q.Normalise()
	require.Nil(t, errs)
	require.Equal(t, time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC), l.ContractDate)
	require.Equal(t, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), l.MaturityDate)
	require.Equal(t, "0.0365", l.StatedLPR.String(), "the rate exactly as typed")
	require.Equal(t, "1000000", l.Principal.String())
	require.Equal(t, loan().ContractNo, l.ContractNo)
}

func TestRegistrationNormaliseRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*RegistrationRequest)
		want map[string]string
	}{
		{"principal not a number", func(q *RegistrationRequest) { q.Principal = "一百万" },
			map[string]string{"principal": `must be a decimal number such as "1234.50"`}},
		{"rate as a percentage", func(q *RegistrationRequest) { q.StatedLPR = "3.65" },
			map[string]string{"stated_lpr": "must be between 0 and 1"}},
		{"zero contract rate", func(q *RegistrationRequest) { q.ContractRate = "0" },
			map[string]string{"contract_rate": "must be greater than 0"}},
		{"a day February lacks", func(q *RegistrationRequest) { q.StartDate = "2023-02-29" },
			map[string]string{"start_date": `must be a date such as "2024-03-01"`}},
		{"maturity before start", func(q *RegistrationRequest) { q.MaturityDate = "2023-03-01" },
			map[string]string{"maturity_date": "must be after start_date (the loan runs up to, not including, this day)"}},
		{"a NUL byte", func(q *RegistrationRequest) { q.ContractNo = "\x00" },
			map[string]string{"contract_no": "must be printable text (no control characters, valid UTF-8)"}},
		{"several at once", func(q *RegistrationRequest) { q.ContractNo, q.LenderCreditCode = "", "" },
			map[string]string{"contract_no": "must not be empty",
				"lender_credit_code": "must be a valid unified social credit code: must be 18 characters long (got 0)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := registration(tt.edit)
			l, errs := q.Normalise()
			require.Equal(t, tt.want, errs)
			require.Equal(t, Loan{}, l)
		})
	}
}

func TestReportNormalise(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*ReportRequest)
		want      Report
		requested string
	}{
		{"a report", func(*ReportRequest) {},
			Report{InterestPaid: dec("10995.83"), OutstandingPrincipal: dec("1000000.00"), Extended: true}, "10995.83"},
		{"no interest paid", func(q *ReportRequest) { q.InterestPaid = "0.00" },
			Report{InterestPaid: dec("0"), OutstandingPrincipal: dec("1000000.00"), Extended: true}, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := reportRequest(tt.edit)
			payload, requested, errs := q.Normalise()
			require.Nil(t, errs)
			r := payload.(Report)
			require.True(t, r.InterestPaid.Equal(tt.want.InterestPaid))
			require.True(t, r.OutstandingPrincipal.Equal(tt.want.OutstandingPrincipal))
			require.Equal(t, tt.want.Overdue, r.Overdue)
			require.Equal(t, tt.want.Extended, r.Extended)
			require.True(t, requested.Equal(dec(tt.requested)), "the interest paid is what the report asks about")
		})
	}
}

func TestReportNormaliseRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ReportRequest)
		want map[string]string
	}{
		{"negative interest", func(q *ReportRequest) { q.InterestPaid = "-1.00" },
			map[string]string{"interest_paid": "must not be negative"}},
		{"negative zero", func(q *ReportRequest) { q.InterestPaid = "-0" },
			map[string]string{"interest_paid": "must not be negative"}},
		{"interest with three places", func(q *ReportRequest) { q.InterestPaid = "1.005" },
			map[string]string{"interest_paid": "must have at most 2 decimal places"}},
		{"interest missing", func(q *ReportRequest) { q.InterestPaid = "" },
			map[string]string{"interest_paid": `must be a decimal number such as "1234.50"`}},
		{"zero outstanding principal", func(q *ReportRequest) { q.OutstandingPrincipal = "0" },
			map[string]string{"outstanding_principal": "must be greater than 0"}},
		{"overdue not said", func(q *ReportRequest) { q.Overdue = nil }, map[string]string{"overdue": "is required"}},
		{"extended not said", func(q *ReportRequest) { q.Extended = nil }, map[string]string{"extended": "is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := reportRequest(tt.edit)
			payload, requested, errs := q.Normalise()
			require.Equal(t, tt.want, errs)
			require.Nil(t, payload)
			require.True(t, requested.IsZero())
		})
	}
}

// tagChecker runs the struct tags the way the API does, with its custom tags built on the
// same packages, so a misspelt or misplaced tag fails here and not in production.
func tagChecker(t *testing.T) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return strings.Split(f.Tag.Get("json"), ",")[0] })
	checks := map[string]func(string) error{
		"creditcode": creditcode.Validate,
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
	good := registration()
	require.NoError(t, v.Struct(&good))
	bad := registration(func(q *RegistrationRequest) {
		q.ContractNo, q.Principal, q.StatedLPR, q.MaturityDate = " ", "0", "3.65", "2026-3-15"
	})
	require.ElementsMatch(t, []string{"contract_no", "principal", "stated_lpr", "maturity_date"}, failed(v.Struct(&bad)))

	rep := reportRequest(func(q *ReportRequest) { q.InterestPaid = "0.00" })
	require.NoError(t, v.Struct(&rep), "no interest paid passes the tags")
	badRep := ReportRequest{InterestPaid: "", OutstandingPrincipal: "0"}
	require.ElementsMatch(t, []string{"interest_paid", "outstanding_principal", "overdue", "extended"}, failed(v.Struct(&badRep)))

	zero, big := 0, 121
	require.NoError(t, v.Struct(&ParamsRequest{}))
	params := ParamsRequest{Lenders: []string{bank, bank}, MaxTermMonths: &big, ReportDays: &zero}
	require.ElementsMatch(t, []string{"lenders", "max_term_months", "report_days"}, failed(v.Struct(&params)))
}

// The requested amount is a decimal, never a float: the interest survives to the fen.
func TestReportNormaliseKeepsTheAmountExact(t *testing.T) {
	q := reportRequest(func(q *ReportRequest) { q.InterestPaid = "999999999999999999.99" })
	_, requested, errs := q.Normalise()
	require.Nil(t, errs)
	require.Equal(t, "999999999999999999.99", requested.StringFixed(2))
	require.False(t, requested.Equal(decimal.RequireFromString("1000000000000000000")))
}
