package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/money"
)

func TestCreateProgramFillsDefaults(t *testing.T) {
	api := newTestAPI(t)
	rec := api.do("POST", "/v1/programs", "admin", js(programBody(func(m map[string]any) {
		m["approval"] = map[string]any{"deadline_days": 3}
	})), key)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	var p map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, "/v1/programs/prg_new", rec.Header().Get("Location"))
	assert.Equal(t, "2024-01-01", p["period_start"])
	assert.Equal(t, "1000000.00", p["budget"])
	assert.Equal(t, "1000000.00", p["available"])
	assert.Equal(t, map[string]any{"four_eyes_threshold": "100000.00", "deadline_days": float64(3),
		"info_days": float64(15), "payment_fix_days": float64(30)}, p["approval"])
	assert.Equal(t, map[string]any{"rate": "0.50", "yearly_cap": "500000.00",
		"product_categories": []any{"barley"}, "excluded_modes": []any{}}, p["params"])
}

func TestFormatRate(t *testing.T) {
	for in, want := range map[string]string{"0.5": "0.50", "1": "1.00", "0.125": "0.125", "0.12345678": "0.12345678"} {
		assert.Equal(t, want, money.FormatRate(mustDecimal(in)), in)
	}
}
