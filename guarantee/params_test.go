package guarantee

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, "0.01", p.MaxFeeRate.String())
	require.Equal(t, "0.005", p.SubsidyRate.String())
	require.Equal(t, "2000000.00", p.YearlyCap.StringFixed(2))
	require.Equal(t, []string{}, p.Institutions)
	require.Nil(t, p.Validate(), "administrators fill the institution list after creation")
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Params)
		want map[string]string
	}{
		{"Datong with one institution", func(*Params) {}, nil},
		{"full rates", func(p *Params) { p.MaxFeeRate, p.SubsidyRate = dec("1"), dec("1") }, nil},
		{"zero fee ceiling", func(p *Params) { p.MaxFeeRate = dec("0") },
			map[string]string{"max_fee_rate": "must be greater than 0"}},
		{"zero subsidy rate", func(p *Params) { p.SubsidyRate = dec("0") },
			map[string]string{"subsidy_rate": "must be greater than 0"}},
		{"fee ceiling above one", func(p *Params) { p.MaxFeeRate = dec("1.5") },
			map[string]string{"max_fee_rate": "must be between 0 and 1"}},
		{"subsidy rate with 9 places", func(p *Params) { p.SubsidyRate = dec("0.005000001") },
			map[string]string{"subsidy_rate": "must have at most 8 decimal places"}},
		{"zero cap", func(p *Params) { p.YearlyCap = dec("0") },
			map[string]string{"yearly_cap": "must be greater than 0"}},
		{"cap with fractions of a fen", func(p *Params) { p.YearlyCap = dec("100.001") },
			map[string]string{"yearly_cap": "must have at most 2 decimal places"}},
		{"institution with a bad check character", func(p *Params) {
			p.Institutions = []string{datongGuarantee[:17] + wrongCheck(datongGuarantee)}
		}, map[string]string{"institutions[0]": "must be a valid unified social credit code: check character mismatch (expected " +
			datongGuarantee[17:] + ")"}},
		{"institution listed twice", func(p *Params) { p.Institutions = []string{datongGuarantee, otherInstitute, datongGuarantee} },
			map[string]string{"institutions[2]": "repeats institutions[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datongParams()
			tt.edit(&p)
			require.Equal(t, tt.want, p.Validate())
		})
	}
}

// wrongCheck is a check character the code does not have.
func wrongCheck(code string) string {
	if code[17] == '0' {
		return "1"
	}
	return "0"
}

func TestParamsRequestComplete(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		name     string
		req      ParamsRequest
		want     Params
		wantErrs map[string]string
	}{
		{"absent members take the defaults", ParamsRequest{}, DefaultParams(), nil},
		{"members given replace the defaults",
			ParamsRequest{Institutions: []string{datongGuarantee}, MaxFeeRate: s("0.015"), SubsidyRate: s("0.003"),
				YearlyCap: s("1000000.50")},
			Params{Institutions: []string{datongGuarantee}, MaxFeeRate: dec("0.015"), SubsidyRate: dec("0.003"),
				YearlyCap: dec("1000000.50")}, nil},
		{"zero rate passes the tag and is refused here", ParamsRequest{SubsidyRate: s("0")},
			Params{Institutions: []string{}, MaxFeeRate: dec("0.01"), SubsidyRate: dec("0"), YearlyCap: dec("2000000")},
			map[string]string{"subsidy_rate": "must be greater than 0"}},
		{"figures that do not parse are reported, not guessed",
			ParamsRequest{MaxFeeRate: s("1 %"), YearlyCap: s("-5")}, DefaultParams(),
			map[string]string{"max_fee_rate": `must be a decimal number such as "0.50"`, "yearly_cap": "must be greater than 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.req.Complete()
			require.Equal(t, tt.wantErrs, errs)
			p := got.(Params)
			require.Equal(t, tt.want.Institutions, p.Institutions)
			require.True(t, tt.want.MaxFeeRate.Equal(p.MaxFeeRate), "max_fee_rate %s", p.MaxFeeRate)
			require.True(t, tt.want.SubsidyRate.Equal(p.SubsidyRate), "subsidy_rate %s", p.SubsidyRate)
			require.True(t, tt.want.YearlyCap.Equal(p.YearlyCap), "yearly_cap %s", p.YearlyCap)
		})
	}
}

func TestParamsJSON(t *testing.T) {
	var p Params
	err := json.Unmarshal([]byte(`{"institutions":["`+datongGuarantee+`"],"max_fee_rate":"0.01",
		"subsidy_rate":"0.005","yearly_cap":"2000000.00"}`), &p)
	require.NoError(t, err)
	require.Equal(t, []string{datongGuarantee}, p.Institutions)
	require.Equal(t, "0.01", p.MaxFeeRate.String())
	require.Equal(t, "0.005", p.SubsidyRate.String())
	require.Equal(t, "2000000", p.YearlyCap.String())
	require.Nil(t, p.Validate())
}

func TestContractJSONNames(t *testing.T) {
	b, err := json.Marshal(contract("G-1"))
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(b, &fields))
	for _, name := range []string{"contract_no", "borrower_credit_code", "borrower_size_class", "guaranteed_amount",
		"fee_rate", "fee_paid", "start_date", "end_date", "counter_guarantee", "review_fee"} {
		require.Contains(t, fields, name)
	}
	require.Len(t, fields, 10)
}

func TestOverlapDays(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		want       int
	}{
		{"whole year", "2023-01-01", "2024-01-01", 365},
		{"longer than the year", "2020-05-05", "2030-05-05", 365},
		{"ends on the first day of the period", "2022-01-01", "2023-01-01", 0},
		{"starts on the end day of the period", "2024-01-01", "2024-06-01", 0},
		{"one day at each edge", "2022-12-31", "2023-01-02", 1},
		{"second half", "2023-07-01", "2024-07-01", 184},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, OverlapDays(datong2023, contract("G-1", term(tt.start, tt.end))))
		})
	}
	require.Equal(t, 366, OverlapDays(datong2024, contract("G-1", term("2024-01-01", "2025-01-01"))))

	// A time of day or a zone never moves a date: late on 1 July in Beijing is still 1 July.
	beijing := time.FixedZone("CST", 8*3600)
	late := contract("G-1", func(c *Contract) {
		c.StartDate, c.EndDate = time.Date(2023, 7, 1, 23, 0, 0, 0, beijing), time.Date(2024, 7, 1, 23, 0, 0, 0, beijing)
	})
	require.Equal(t, 184, OverlapDays(datong2023, late))
}
