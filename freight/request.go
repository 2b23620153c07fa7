package freight

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// MaxShipments bounds one claim; larger batches are split into several claims.
const MaxShipments = 500

// ParamsRequest is the "params" object of a freight program as an administrator sends it;
// absent members take DefaultParams.
type ParamsRequest struct {
	Rate              *string  `json:"rate" validate:"omitempty,rate"`
	YearlyCap         *string  `json:"yearly_cap" validate:"omitempty,amount"`
	ProductCategories []string `json:"product_categories" validate:"omitempty,max=500,dive,notblank,max=100"`
	ExcludedModes     []string `json:"excluded_modes" validate:"omitempty,unique,dive,oneof=road rail air multimodal"`
}

// Complete fills the defaults and checks the parameters as a whole.
func (r *ParamsRequest) Complete() (any, map[string]string) {
	p := DefaultParams()
	if r.Rate != nil {
		p.Rate = decimal.RequireFromString(*r.Rate) // the rate tag accepted it
	}
	if r.YearlyCap != nil {
		p.YearlyCap = decimal.RequireFromString(*r.YearlyCap)
	}
	if r.ProductCategories != nil {
		p.ProductCategories = r.ProductCategories
	}
	if r.ExcludedModes != nil {
		p.ExcludedModes = r.ExcludedModes
	}
	return p, p.Validate()
}

// ShipmentRequest is one shipment as an applicant sends it.
type ShipmentRequest struct {
	Carrier           string `json:"carrier" validate:"required,notblank,max=100"`
	WaybillNo         string `json:"waybill_no" validate:"required,notblank,max=64"`
	ShipDate          string `json:"ship_date" validate:"required,date"`
	OriginRegion      string `json:"origin_region" validate:"required,region"`
	DestinationRegion string `json:"destination_region" validate:"required,region"`
	ProductCategory   string `json:"product_category" validate:"required,notblank,max=100"`
	Mode              string `json:"mode" validate:"required,oneof=road rail air multimodal"`
	Amount            string `json:"amount" validate:"required,amount"`
	InvoiceNo         string `json:"invoice_no" validate:"required,notblank,max=64"`
}

// BodyRequest is the "freight" member of a claim request: {"shipments": [...]}.
type BodyRequest struct {
	Shipments []ShipmentRequest `json:"shipments" validate:"required,min=1,max=500,dive"`
}

// Normalise converts validated shipments (ship dates become UTC midnight), runs the
// shipments' own well-formedness checks and sums the freight asked about.
func (b *BodyRequest) Normalise() (any, decimal.Decimal, map[string]string) {
	if len(b.Shipments) > MaxShipments { // the tags have refused this already
		return nil, decimal.Zero, map[string]string{"shipments": fmt.Sprintf("must list at most %d items", MaxShipments)}
	}
	out := make([]Shipment, len(b.Shipments))
	sum := decimal.Zero
	for i, s := range b.Shipments {
		day, _ := time.Parse(time.DateOnly, s.ShipDate) // the date tag accepted it
		amount, err := decimal.NewFromString(s.Amount)
		if err != nil {
			return nil, decimal.Zero, map[string]string{fmt.Sprintf("shipments[%d].amount", i): "must be a decimal amount"}
		}
		sum = sum.Add(amount)
		out[i] = Shipment{Carrier: s.Carrier, WaybillNo: s.WaybillNo, ShipDate: day,
			OriginRegion: s.OriginRegion, DestinationRegion: s.DestinationRegion,
			ProductCategory: s.ProductCategory, Mode: s.Mode, Amount: amount, InvoiceNo: s.InvoiceNo}
	}
	if errs := ValidateShipments(out); len(errs) > 0 {
		return nil, decimal.Zero, errs
	}
	return Payload{Shipments: out}, sum, nil
}
