package sizeclass

import "github.com/shopspring/decimal"

// Industry is one of the 16 industries of the standard.
type Industry string

// The industries, named as the API and the enterprise registry spell them.
const (
	Agriculture             Industry = "agriculture" // agriculture, forestry, animal husbandry, fishery
	Industrial              Industry = "industry"    // mining, manufacturing, utilities
	Construction            Industry = "construction"
	Wholesale               Industry = "wholesale"
	Retail                  Industry = "retail"
	Transport               Industry = "transport"
	Warehousing             Industry = "warehousing"
	Postal                  Industry = "postal"
	Accommodation           Industry = "accommodation"
	Catering                Industry = "catering"
	InformationTransmission Industry = "information_transmission"
	SoftwareIT              Industry = "software_it" // software and IT services
	RealEstate              Industry = "real_estate" // real estate development
	PropertyManagement      Industry = "property_management"
	LeasingBusiness         Industry = "leasing_business" // leasing and business services
	Other                   Industry = "other"            // every industry not listed above
)

// Industries lists every industry in the order of the standard's table.
var Industries = []Industry{Agriculture, Industrial, Construction, Wholesale, Retail,
	Transport, Warehousing, Postal, Accommodation, Catering, InformationTransmission,
	SoftwareIT, RealEstate, PropertyManagement, LeasingBusiness, Other}

// ParseIndustry checks an industry name.
func ParseIndustry(s string) (Industry, bool) {
	for _, ind := range Industries {
		if string(ind) == s {
			return ind, true
		}
	}
	return "", false
}

// measure is one figure of Inputs.
type measure int

const (
	employees measure = iota
	revenue
	assets
)

// of reads the measure from the inputs as a decimal so all figures compare alike.
func (m measure) of(in Inputs) decimal.Decimal {
	switch m {
	case employees:
		return decimal.NewFromInt(int64(in.Employees))
	case revenue:
		return in.Revenue
	}
	return in.Assets
}

// threshold is one figure and its limit.
type threshold struct {
	m   measure
	min decimal.Decimal
}

// row is a set of thresholds on the same line of the table.
type row []threshold

// belowEither reports whether any figure is under its limit (the SME ceiling test).
func (r row) belowEither(in Inputs) bool {
	for _, t := range r {
		if t.m.of(in).LessThan(t.min) {
			return true
		}
	}
	return false
}

// reachesAll reports whether every figure is at or above its limit (medium, small).
func (r row) reachesAll(in Inputs) bool {
	return !r.belowEither(in)
}

// rule is an industry's line of the table.
type rule struct{ ceiling, medium, small row }

// emp, rev and ast build thresholds on employees (persons), operating revenue and total
// assets (10k CNY), so the table below reads like the standard.
func emp(n int64) threshold { return threshold{employees, decimal.NewFromInt(n)} }
func rev(n int64) threshold { return threshold{revenue, decimal.NewFromInt(n)} }
func ast(n int64) threshold { return threshold{assets, decimal.NewFromInt(n)} }

// rules is the table of POLICIES.md, transcribed from 工信部联企业〔2011〕300号.
var rules = map[Industry]rule{
	Agriculture:             {row{rev(20000)}, row{rev(500)}, row{rev(50)}},
	Industrial:              {row{emp(1000), rev(40000)}, row{emp(300), rev(2000)}, row{emp(20), rev(300)}},
	Construction:            {row{rev(80000), ast(80000)}, row{rev(6000), ast(5000)}, row{rev(300), ast(300)}},
	Wholesale:               {row{emp(200), rev(40000)}, row{emp(20), rev(5000)}, row{emp(5), rev(1000)}},
	Retail:                  {row{emp(300), rev(20000)}, row{emp(50), rev(500)}, row{emp(10), rev(100)}},
	Transport:               {row{emp(1000), rev(30000)}, row{emp(300), rev(3000)}, row{emp(20), rev(200)}},
	Warehousing:             {row{emp(200), rev(30000)}, row{emp(100), rev(1000)}, row{emp(20), rev(100)}},
	Postal:                  {row{emp(1000), rev(30000)}, row{emp(300), rev(2000)}, row{emp(20), rev(100)}},
	Accommodation:           {row{emp(300), rev(10000)}, row{emp(100), rev(2000)}, row{emp(10), rev(100)}},
	Catering:                {row{emp(300), rev(10000)}, row{emp(100), rev(2000)}, row{emp(10), rev(100)}},
	InformationTransmission: {row{emp(2000), rev(100000)}, row{emp(100), rev(1000)}, row{emp(10), rev(100)}},
	SoftwareIT:              {row{emp(300), rev(10000)}, row{emp(100), rev(1000)}, row{emp(10), rev(50)}},
	RealEstate:              {row{rev(200000), ast(10000)}, row{rev(1000), ast(5000)}, row{rev(100), ast(2000)}},
	PropertyManagement:      {row{emp(1000), rev(5000)}, row{emp(300), rev(1000)}, row{emp(100), rev(500)}},
	LeasingBusiness:         {row{emp(300), ast(120000)}, row{emp(100), ast(8000)}, row{emp(10), ast(100)}},
	Other:                   {row{emp(300)}, row{emp(100)}, row{emp(10)}},
}
