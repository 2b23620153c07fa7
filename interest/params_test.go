package interest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, "3000000.00", p.MaxPrincipal.StringFixed(2))
	require.Equal(t, 36, p.MaxTermMonths)
	require.Equal(t, 30, p.ReportDays)
	require.Equal(t, []string{}, p.Lenders)
	require.Nil(t, p.Validate(), "administrators list the banks after creation")
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Params)
		want map[string]string
	}{
		{"Datong with one bank", func(*Params) {}, nil},
		{"ten years", func(p *Params) { p.MaxTermMonths = 120 }, nil},
		{"zero principal", func(p *Params) { p.MaxPrincipal = dec("0") },
			map[string]string{"max_principal": "must be greater than 0"}},
		{"principal with three places", func(p *Params) { p.MaxPrincipal = dec("1.001") },
			map[string]string{"max_principal": "must have at most 2 decimal places"}},
		{"no months", func(p *Params) { p.MaxTermMonths = 0 },
			map[string]string{"max_term_months": "must be between 1 and 120"}},
		{"over ten years", func(p *Params) { p.MaxTermMonths = 121 },
			map[string]string{"max_term_months": "must be between 1 and 120"}},
		{"no report days", func(p *Params) { p.ReportDays = 0 },
			map[string]string{"report_days": "must be between 1 and 365"}},
		{"over a year to report", func(p *Params) { p.ReportDays = 366 },
			map[string]string{"report_days": "must be between 1 and 365"}},
		{"a bank with a bad check character", func(p *Params) { p.Lenders = []string{bank[:17] + "0"} },
			map[string]string{"lenders[0]": "must be a valid unified social credit code: check character mismatch (expected C)"}},
		{"a bank listed twice", func(p *Params) { p.Lenders = []string{bank, otherBank, bank} },
			map[string]string{"lenders[2]": "repeats lenders[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datongParams()
			tt.edit(&p)
			require.Equal(t, tt.want, p.Validate())
		})
	}
}

func TestParamsValidateRefusesTooManyBanks(t *testing.T) {
	p := DefaultParams()
	for i := range MaxLenders {
		p.Lenders = append(p.Lenders, code(fmt.Sprintf("91140200MA%07d", i+2)))
	}
	require.Nil(t, p.Validate(), "1000 banks")
	p.Lenders = append(p.Lenders, code("91140200MB0000001"))
	require.Equal(t, map[string]string{"lenders": "must list at most 1000 items"}, p.Validate())
}

func TestParamsRequestComplete(t *testing.T) {
	twelve, zero, seven := 12, 0, 7
	big, bad := "500000.00", "5e5"
	tests := []struct {
		name     string
		req      ParamsRequest
		want     any
		wantErrs map[string]string
	}{
		{"absent members take the defaults", ParamsRequest{}, DefaultParams(), nil},
		{"members given replace the defaults",
			ParamsRequest{Lenders: []string{bank}, MaxPrincipal: &big, MaxTermMonths: &twelve, ReportDays: &seven},
			Params{Lenders: []string{bank}, MaxPrincipal: dec("500000.00"), MaxTermMonths: 12, ReportDays: 7}, nil},
		{"zero months are refused without the tags", ParamsRequest{MaxTermMonths: &zero},
			Params{Lenders: []string{}, MaxPrincipal: dec("3000000.00"), MaxTermMonths: 0, ReportDays: 30},
			map[string]string{"max_term_months": "must be between 1 and 120"}},
		{"an amount the tags did not check", ParamsRequest{MaxPrincipal: &bad}, nil,
			map[string]string{"max_principal": `must be a decimal number such as "1234.50"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.req.Complete()
			require.Equal(t, tt.wantErrs, errs)
			if tt.want == nil {
				require.Nil(t, got)
				return
			}
			gp, want := got.(Params), tt.want.(Params)
			require.True(t, gp.MaxPrincipal.Equal(want.MaxPrincipal))
			gp.MaxPrincipal, want.MaxPrincipal = want.MaxPrincipal, gp.MaxPrincipal
			require.Equal(t, want, gp)
		})
	}
}

func TestParamsJSON(t *testing.T) {
	var p Params
	err := json.Unmarshal([]byte(`{"lenders":["`+bank+`"],"max_principal":"3000000.00","max_term_months":36,"report_days":30}`), &p)
	require.NoError(t, err)
	require.Equal(t, []string{bank}, p.Lenders)
	require.True(t, p.MaxPrincipal.Equal(dec("3000000")))
	require.Nil(t, p.Validate())
}
