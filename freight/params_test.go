package freight

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultParams(t *testing.T) {
	p := DefaultParams()
	require.Equal(t, "0.50", p.Rate.StringFixed(2))
	require.Equal(t, "500000.00", p.YearlyCap.StringFixed(2))
	require.Empty(t, p.ProductCategories)
	require.Empty(t, p.ExcludedModes)
	require.Equal(t, map[string]string{"product_categories": "must list at least one product category"},
		p.Validate(), "an administrator must name the products")
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Params)
		want map[string]string
	}{
		{"Tibet defaults with products", func(*Params) {}, nil},
		{"Qinghai-style rail exclusion", func(p *Params) { p.ExcludedModes = []string{Rail} }, nil},
		{"full rate", func(p *Params) { p.Rate = dec("1") }, nil},
		{"zero rate", func(p *Params) { p.Rate = dec("0") },
			map[string]string{"rate": "must be greater than 0"}},
		{"rate above one", func(p *Params) { p.Rate = dec("50") },
			map[string]string{"rate": "must be between 0 and 1"}},
		{"rate with 9 places", func(p *Params) { p.Rate = dec("0.123456789") },
			map[string]string{"rate": "must have at most 8 decimal places"}},
		{"zero cap", func(p *Params) { p.YearlyCap = dec("0") },
			map[string]string{"yearly_cap": "must be greater than 0"}},
		{"cap with fractions of a fen", func(p *Params) { p.YearlyCap = dec("100.001") },
			map[string]string{"yearly_cap": "must have at most 2 decimal places"}},
		{"no products", func(p *Params) { p.ProductCategories = nil },
			map[string]string{"product_categories": "must list at least one product category"}},
		{"blank product", func(p *Params) { p.ProductCategories = []string{"yak_meat", " "} },
			map[string]string{"product_categories[1]": "must not be empty"}},
		{"unknown excluded mode", func(p *Params) { p.ExcludedModes = []string{Rail, "ship"} },
			map[string]string{"excluded_modes[1]": `unknown mode "ship"; use one of road, rail, air, multimodal`}},
		{"modes are lower case", func(p *Params) { p.ExcludedModes = []string{"Rail"} },
			map[string]string{"excluded_modes[0]": `unknown mode "Rail"; use one of road, rail, air, multimodal`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			tt.edit(&p)
			require.Equal(t, tt.want, p.Validate())
		})
	}
}

func TestParamsJSON(t *testing.T) {
	var p Params
	err := json.Unmarshal([]byte(`{"rate":"0.50","yearly_cap":"500000.00",
		"product_categories":["wolfberry"],"excluded_modes":["rail"]}`), &p)
	require.NoError(t, err)
	require.Equal(t, "0.5", p.Rate.String())
	require.Equal(t, "500000", p.YearlyCap.String())
	require.Equal(t, []string{"wolfberry"}, p.ProductCategories)
	require.Equal(t, []string{"rail"}, p.ExcludedModes)
	require.Nil(t, p.Validate())
}

func TestValidMode(t *testing.T) {
	for _, m := range []string{"road", "rail", "air", "multimodal"} {
		require.True(t, ValidMode(m), m)
	}
	for _, m := range []string{"", "ship", "RAIL", " road"} {
		require.False(t, ValidMode(m), m)
	}
}

func TestShipmentJSONNames(t *testing.T) {
	b, err := json.Marshal(shipment("W1", "I1", "12.30"))
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(b, &fields))
	for _, name := range []string{"carrier", "waybill_no", "ship_date", "origin_region",
		"destination_region", "product_category", "mode", "amount", "invoice_no"} {
		require.Contains(t, fields, name)
	}
	require.Len(t, fields, 9)
}

func TestShipmentValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Shipment)
		want map[string]string
	}{
		{"well formed", func(*Shipment) {}, nil},
		{"blank carrier", func(s *Shipment) { s.Carrier = "  " }, map[string]string{"carrier": "must not be empty"}},
		{"no waybill", func(s *Shipment) { s.WaybillNo = "" }, map[string]string{"waybill_no": "must not be empty"}},
		{"no invoice", func(s *Shipment) { s.InvoiceNo = "" }, map[string]string{"invoice_no": "must not be empty"}},
		{"no product", func(s *Shipment) { s.ProductCategory = "" },
			map[string]string{"product_category": "must not be empty"}},
		{"no ship date", func(s *Shipment) { s.ShipDate = day("0001-01-01") },
			map[string]string{"ship_date": `must be a date such as "2024-03-01"`}},
		{"bad origin", func(s *Shipment) { s.OriginRegion = "54" },
			map[string]string{"origin_region": `must be exactly 6 digits, such as "540000"`}},
		{"bad destination", func(s *Shipment) { s.DestinationRegion = "000000" },
			map[string]string{"destination_region": "must start with a province code between 11 and 82 (got 00)"}},
		{"unknown mode", func(s *Shipment) { s.Mode = "ship" },
			map[string]string{"mode": `unknown mode "ship"; use one of road, rail, air, multimodal`}},
		{"zero amount", func(s *Shipment) { s.Amount = dec("0") }, map[string]string{"amount": "must be greater than 0"}},
		{"amount with 3 places", func(s *Shipment) { s.Amount = dec("1.005") },
			map[string]string{"amount": "must have at most 2 decimal places"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shipment("W1", "I1", "12.30", tt.edit)
			require.Equal(t, tt.want, s.Validate())
		})
	}
}

func TestValidateShipments(t *testing.T) {
	require.Equal(t, map[string]string{"shipments": "must list at least one shipment"}, ValidateShipments(nil))
	require.Nil(t, ValidateShipments([]Shipment{shipment("W1", "I1", "1.00")}))
	bad := shipment("W2", "I2", "1.00", func(s *Shipment) { s.Mode = "" })
	require.Equal(t, map[string]string{"shipments[1].mode": `unknown mode ""; use one of road, rail, air, multimodal`},
		ValidateShipments([]Shipment{shipment("W1", "I1", "1.00"), bad}))
}
