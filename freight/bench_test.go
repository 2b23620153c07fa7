package freight

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkJudgeAndCalculate judges and calculates a claim of 500 shipments, the most the
// API accepts.
func BenchmarkJudgeAndCalculate(b *testing.B) {
	scope := Scope{Region: "540000", PeriodStart: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := DefaultParams()
	p.ProductCategories = []string{"barley", "yak-dairy"}
	lines := make([]Shipment, 500)
	for i := range lines {
		lines[i] = Shipment{Carrier: "Tianlu", WaybillNo: fmt.Sprintf("WB%06d", i), InvoiceNo: fmt.Sprintf("INV%06d", i),
			ShipDate: time.Date(2023, 5, 1+i%28, 0, 0, 0, 0, time.UTC), OriginRegion: "540102",
			DestinationRegion: "510100", ProductCategory: "barley", Mode: Road,
			Amount: decimal.RequireFromString("1234.57")}
	}
	app := Applicant{Industry: "industry", Region: "540102"}
	b.ReportAllocs()
	for b.Loop() {
		as := Calculate(p, Judge(scope, p, app, lines))
		if !as.Eligible() {
			b.Fatal("expected an eligible claim")
		}
	}
}
