package api

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/freight"
)

// maxShipments bounds one claim; larger batches are split into several claims.
const maxShipments = 500

type shipmentRequest struct {
	Carrier           string `json:"carrier" validate:"required,notblank,max=100"`
	WaybillNo         string `json:"waybill_no" validate:"required,notblank,max=64"`
	ShipDate          string `json:"ship_date" validate:"required,date"`
	OriginRegion      string `json:"origin_region" validate:"required,region"`
	DestinationRegion string `json:"destination_region" validate:"required,region"`
	ProductCategory   string `json:"product_category" validate:"required,notblank,max=100"`
	Mode              string `json:"mode" validate:"required,mode"`
	Amount            string `json:"amount" validate:"required,amount"`
	InvoiceNo         string `json:"invoice_no" validate:"required,notblank,max=64"`
}

type freightClaimRequest struct {
	Shipments []shipmentRequest `json:"shipments" validate:"required,min=1,max=500,dive"`
}

// claimLines is a claim's body made ready for the store and the workflow.
type claimLines struct {
	requested decimal.Decimal // exact sum of the line amounts
	payload   json.RawMessage // what the kind's assessment activity unmarshals
}

// lines converts validated shipments (ship dates become UTC midnight) and runs the
// freight rules' own well-formedness checks on them.
func (f *freightClaimRequest) lines() (claimLines, error) {
	if len(f.Shipments) > maxShipments { // the validator has refused this already
		return claimLines{}, invalid(map[string]string{"freight.shipments": fmt.Sprintf("must list at most %d items", maxShipments)})
	}
	out := make([]freight.Shipment, len(f.Shipments))
	sum := decimal.Zero
	for i, s := range f.Shipments {
		day, _ := parseDate(s.ShipDate)
		amount := mustDecimal(s.Amount)
		sum = sum.Add(amount)
		out[i] = freight.Shipment{Carrier: s.Carrier, WaybillNo: s.WaybillNo, ShipDate: day,
			OriginRegion: s.OriginRegion, DestinationRegion: s.DestinationRegion,
			ProductCategory: s.ProductCategory, Mode: s.Mode, Amount: amount, InvoiceNo: s.InvoiceNo}
	}
	errs := map[string]string{}
	mergeFields(errs, freight.ValidateShipments(out), "freight")
	if err := invalid(errs); err != nil {
		return claimLines{}, err
	}
	b, err := json.Marshal(freight.Payload{Shipments: out})
	if err != nil {
		return claimLines{}, fmt.Errorf("encode freight payload: %w", err)
	}
	return claimLines{requested: sum, payload: b}, nil
}
