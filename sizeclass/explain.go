package sizeclass

import "github.com/shopspring/decimal"

// Threshold is one figure of a row of the standard and its limit, for explaining a class
// to a person: Measure is "employees" (persons), "revenue" or "assets" (10k CNY).
type Threshold struct {
	Measure string
	Limit   decimal.Decimal
}

// Row is an industry's line of the standard: an enterprise is Large unless it is below
// EITHER Ceiling figure; an SME is Medium when it reaches ALL Medium figures, Small when it
// reaches all Small figures, Micro otherwise.
type Row struct {
	Ceiling, Medium, Small []Threshold
}

// RowOf is the standard's line for an industry; ok is false for an unknown industry.
func RowOf(industry string) (Row, bool) {
	ind, ok := ParseIndustry(industry)
	if !ok {
		return Row{}, false
	}
	r := rules[ind]
	return Row{Ceiling: exported(r.ceiling), Medium: exported(r.medium), Small: exported(r.small)}, true
}

func exported(r row) []Threshold {
	out := make([]Threshold, len(r))
	for i, t := range r {
		out[i] = Threshold{Measure: [...]string{"employees", "revenue", "assets"}[t.m], Limit: t.min}
	}
	return out
}
