// Package freight holds the rules of the 50 % one-way freight subsidy (POLICIES.md, "2.
// Freight subsidy"): which shipments of a claim are eligible and why the others are not, and
// how the subsidy is computed from the eligible ones. It does no I/O: evidence held by other
// claims and the yearly cap need the store, so the workflow applies them with MarkClaimed and
// money.Cap.
package freight

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/money"
)

// RuleVersion is recorded with every assessment so an auditor can tell which rules produced
// it; change it whenever Judge or Calculate would decide differently.
const RuleVersion = "freight/v1"

// The transport modes a shipment may use.
const (
	Road       = "road"
	Rail       = "rail"
	Air        = "air"
	Multimodal = "multimodal"
)

// Modes lists every transport mode, for validation and for forms.
var Modes = []string{Road, Rail, Air, Multimodal}

// ValidMode reports whether m is one of Modes (exact, lower case).
func ValidMode(m string) bool {
	for _, x := range Modes {
		if x == m {
			return true
		}
	}
	return false
}

// Params are the freight-specific parameters of a program, stored as program.Program.Params
// and frozen into each claim's snapshot.
type Params struct {
	Rate              decimal.Decimal `json:"rate"`               // share of eligible freight paid back, 0.50 = 50 %
	YearlyCap         decimal.Decimal `json:"yearly_cap"`         // per enterprise and program year, applied at reservation
	ProductCategories []string        `json:"product_categories"` // the local processed products that qualify
	ExcludedModes     []string        `json:"excluded_modes"`     // e.g. ["rail"] in Qinghai-style programs
}

// DefaultParams are POLICIES.md's defaults. The product list has no default: an
// administrator must name the products, so DefaultParams alone does not validate.
func DefaultParams() Params {
	return Params{
		Rate:              decimal.RequireFromString("0.50"),
		YearlyCap:         decimal.RequireFromString("500000.00"),
		ProductCategories: []string{},
		ExcludedModes:     []string{},
	}
}

// Validate returns what is wrong with each field (JSON name → message), or nil when the
// parameters are usable. The rate must be above 0: a program that pays nothing is a mistake.
func (p Params) Validate() map[string]string {
	errs := map[string]string{}
	if err := money.CheckRate(p.Rate); err != nil {
		errs["rate"] = err.Error()
	} else if !p.Rate.IsPositive() {
		errs["rate"] = money.ErrNotPositive.Error()
	}
	if err := money.CheckAmount(p.YearlyCap); err != nil {
		errs["yearly_cap"] = err.Error()
	}
	if len(p.ProductCategories) == 0 {
		errs["product_categories"] = "must list at least one product category"
	}
	for i, c := range p.ProductCategories {
		if strings.TrimSpace(c) == "" {
			errs[fmt.Sprintf("product_categories[%d]", i)] = "must not be empty"
		}
	}
	for i, m := range p.ExcludedModes {
		if !ValidMode(m) {
			errs[fmt.Sprintf("excluded_modes[%d]", i)] = unknownMode(m)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// unknownMode is the field error for a mode outside Modes.
func unknownMode(m string) string {
	return fmt.Sprintf("unknown mode %q; use one of %s", m, strings.Join(Modes, ", "))
}

// listsCategory reports whether c is on the program's product list (exact match: categories
// are codes chosen by the administrator, not free text).
func (p Params) listsCategory(c string) bool {
	for _, x := range p.ProductCategories {
		if x == c {
			return true
		}
	}
	return false
}

// excludes reports whether the program refuses shipments by mode m.
func (p Params) excludes(m string) bool {
	for _, x := range p.ExcludedModes {
		if x == m {
			return true
		}
	}
	return false
}
