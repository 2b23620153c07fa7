package rent

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, 6, p.RiskMonths)
	require.Equal(t, 3, p.NormalMonths)
	require.Equal(t, 15, p.ConfirmDays)
	require.False(t, p.CompensateLandlord)
	require.Equal(t, []string{}, p.Landlords)
	require.Equal(t, []string{}, p.RiskCounties)
	require.Nil(t, p.Validate(), "administrators fill the landlord register after creation")
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Params)
		want map[string]string
	}{
		{"Tibet 2022 with landlords and risk counties", func(*Params) {}, nil},
		{"risk months below normal months is allowed", func(p *Params) { p.RiskMonths, p.NormalMonths = 2, 4 }, nil},
		{"a whole year", func(p *Params) { p.RiskMonths = 12 }, nil},
		{"compensating the landlord", func(p *Params) { p.CompensateLandlord = true }, nil},
		{"zero risk months", func(p *Params) { p.RiskMonths = 0 },
			map[string]string{"risk_months": "must be between 1 and 12"}},
		{"thirteen normal months", func(p *Params) { p.NormalMonths = 13 },
			map[string]string{"normal_months": "must be between 1 and 12"}},
		{"no confirmation days", func(p *Params) { p.ConfirmDays = 0 },
			map[string]string{"confirm_days": "must be between 1 and 365"}},
		{"landlord with a bad check character", func(p *Params) { p.Landlords = []string{stateLandlord[:17] + "0"} },
			map[string]string{"landlords[0]": "must be a valid unified social credit code: check character mismatch (expected H)"}},
		{"landlord listed twice", func(p *Params) { p.Landlords = []string{stateLandlord, otherLandlord, stateLandlord} },
			map[string]string{"landlords[2]": "repeats landlords[0]"}},
		{"county that is not a code", func(p *Params) { p.RiskCounties = []string{"540102", "5401"} },
			map[string]string{"risk_counties[1]": `must be exactly 6 digits, such as "540000"`}},
		{"county listed twice", func(p *Params) { p.RiskCounties = []string{"540102", "540102"} },
			map[string]string{"risk_counties[1]": "repeats risk_counties[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			tt.edit(&p)
			require.Equal(t, tt.want, p.Validate())
		})
	}
}

func TestParamsRequestComplete(t *testing.T) {
	two, zero, yes := 2, 0, true
	tests := []struct {
		name     string
		req      ParamsRequest
		want     Params
		wantErrs map[string]string
	}{
		{"absent members take the defaults", ParamsRequest{}, DefaultParams(), nil},
		{"members given replace the defaults",
			ParamsRequest{Landlords: []string{stateLandlord}, RiskCounties: []string{"540102"}, RiskMonths: &two,
				NormalMonths: &two, CompensateLandlord: &yes, ConfirmDays: &two},
			Params{Landlords: []string{stateLandlord}, RiskCounties: []string{"540102"}, RiskMonths: 2,
				NormalMonths: 2, CompensateLandlord: true, ConfirmDays: 2}, nil},
		{"zero months passes omitempty and is refused here", ParamsRequest{NormalMonths: &zero},
			Params{Landlords: []string{}, RiskCounties: []string{}, RiskMonths: 6, NormalMonths: 0, ConfirmDays: 15},
			map[string]string{"normal_months": "must be between 1 and 12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.req.Complete()
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.wantErrs, errs)
		})
	}
}

func TestParamsJSON(t *testing.T) {
	var p Params
	err := json.Unmarshal([]byte(`{"landlords":["`+stateLandlord+`"],"risk_counties":["540102"],
		"risk_months":6,"normal_months":3,"compensate_landlord":true,"confirm_days":15}`), &p)
	require.NoError(t, err)
	require.Equal(t, Params{Landlords: []string{stateLandlord}, RiskCounties: []string{"540102"},
		RiskMonths: 6, NormalMonths: 3, CompensateLandlord: true, ConfirmDays: 15}, p)
	require.Nil(t, p.Validate())
}

func TestValidApplyMode(t *testing.T) {
	require.Equal(t, []string{"offset", "refund"}, ApplyModes)
	for _, m := range []string{"offset", "refund"} {
		require.True(t, ValidApplyMode(m), m)
	}
	for _, m := range []string{"", "Offset", "cash", " refund"} {
		require.False(t, ValidApplyMode(m), m)
	}
}
