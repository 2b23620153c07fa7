package freight

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/region"
)

// Shipment is one line of a freight claim: a waybill and the invoice for its freight.
type Shipment struct {
	Carrier           string          `json:"carrier"`
	WaybillNo         string          `json:"waybill_no"`
	ShipDate          time.Time       `json:"ship_date"` // read as a calendar date, see Scope
	OriginRegion      string          `json:"origin_region"`
	DestinationRegion string          `json:"destination_region"`
	ProductCategory   string          `json:"product_category"`
	Mode              string          `json:"mode"`
	Amount            decimal.Decimal `json:"amount"` // one-way freight paid, CNY
	InvoiceNo         string          `json:"invoice_no"`
}

// Scope is what Judge needs of the program: its region and period. The period includes the
// day of PeriodStart and excludes the day of PeriodEnd; all three dates are compared as
// calendar dates, each read in its own time zone, so a time of day never moves a shipment
// in or out.
type Scope struct {
	Region      string    `json:"region"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

// Applicant is what Judge needs of the enterprise snapshot.
type Applicant struct {
	Industry string `json:"industry"` // a sizeclass industry; only "industry" qualifies
	Region   string `json:"region"`
}

// Validate returns what is malformed in a shipment (JSON name → message), or nil. These are
// validation errors answered by the API; Judge assumes shipments passed them.
func (s Shipment) Validate() map[string]string {
	errs := map[string]string{}
	required := map[string]string{"carrier": s.Carrier, "waybill_no": s.WaybillNo,
		"product_category": s.ProductCategory, "invoice_no": s.InvoiceNo}
	for field, v := range required {
		if strings.TrimSpace(v) == "" {
			errs[field] = "must not be empty"
		}
	}
	if s.ShipDate.IsZero() {
		errs["ship_date"] = "must be a date such as \"2024-03-01\""
	}
	if err := region.Validate(s.OriginRegion); err != nil {
		errs["origin_region"] = err.Error()
	}
	if err := region.Validate(s.DestinationRegion); err != nil {
		errs["destination_region"] = err.Error()
	}
	if !ValidMode(s.Mode) {
		errs["mode"] = unknownMode(s.Mode)
	}
	if err := money.CheckAmount(s.Amount); err != nil {
		errs["amount"] = err.Error()
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// ValidateShipments validates every line of a claim, keying errors as
// "shipments[i].field"; a claim without lines is an error on "shipments".
func ValidateShipments(lines []Shipment) map[string]string {
	errs := map[string]string{}
	if len(lines) == 0 {
		errs["shipments"] = "must list at least one shipment"
	}
	for i, s := range lines {
		for field, msg := range s.Validate() {
			errs[fmt.Sprintf("shipments[%d].%s", i, field)] = msg
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// dayNumber turns a time into a comparable calendar date (yyyymmdd) in its own location.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// contains reports whether the period holds the ship date: start day in, end day out.
func (sc Scope) contains(t time.Time) bool {
	day := dayNumber(t)
	return day >= dayNumber(sc.PeriodStart) && day < dayNumber(sc.PeriodEnd)
}

// periodText describes the period with its last day, as a person reads it.
func (sc Scope) periodText() string {
	last := sc.PeriodEnd.AddDate(0, 0, -1)
	return sc.PeriodStart.Format(time.DateOnly) + " to " + last.Format(time.DateOnly)
}
