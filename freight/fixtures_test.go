package freight

import (
	"time"

	"github.com/shopspring/decimal"
)

// Shared fixtures: a Tibet programme for 2024 paying on yak meat and highland barley, and an
// industrial applicant in Lhasa.

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	tibet2024 = Scope{Region: "540000", PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01")}
	lhasaFirm = Applicant{Industry: "industry", Region: "540102"}
)

func tibetParams() Params {
	p := DefaultParams()
	p.ProductCategories = []string{"yak_meat", "highland_barley"}
	return p
}

// shipment is an eligible line in the Tibet programme; edit one field to break one rule.
func shipment(waybill, invoice, amount string, edit ...func(*Shipment)) Shipment {
	s := Shipment{
		Carrier:           "China Railway Express",
		WaybillNo:         waybill,
		ShipDate:          day("2024-06-15"),
		OriginRegion:      "540102",
		DestinationRegion: "510100",
		ProductCategory:   "yak_meat",
		Mode:              Road,
		Amount:            dec(amount),
		InvoiceNo:         invoice,
	}
	for _, e := range edit {
		e(&s)
	}
	return s
}
