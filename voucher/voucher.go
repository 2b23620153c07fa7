// Package voucher holds the rules of the service vouchers (POLICIES.md, "1. Service
// vouchers", 企业服务券 / 科技创新券): who may hold a voucher, how long it lives, whether a
// redemption (a purchase from a registered provider) qualifies, and what the voucher pays.
// It does no I/O: one voucher per enterprise per program and evidence held by other claims
// need the store, the timers and the ledger belong to the voucher's workflow.
package voucher

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
)

// RuleVersion is recorded with every assessment so an auditor can tell which rules produced
// it; change it whenever a judgement or the calculation would decide differently.
const RuleVersion = "voucher/v1"

// The service categories POLICIES.md names. They are codes, not free text: a program narrows
// the list, and a new category is a rule change (a new RuleVersion), so that every page and
// report can label what a voucher paid for.
const (
	Testing               = "testing"
	Certification         = "certification"
	Consulting            = "consulting"
	Design                = "design"
	IP                    = "ip"
	DigitalTransformation = "digital_transformation"
)

// Categories lists every service category in POLICIES.md's order, for forms and validation.
var Categories = []string{Testing, Certification, Consulting, Design, IP, DigitalTransformation}

// CategoryLabels are the bilingual names of the categories, as pages show them.
var CategoryLabels = map[string]string{
	Testing:               "检验检测 Testing",
	Certification:         "认证 Certification",
	Consulting:            "咨询 Consulting",
	Design:                "设计 Design",
	IP:                    "知识产权 IP",
	DigitalTransformation: "数字化转型 Digital transformation",
}

// Who is paid once finance approves a redeemed voucher.
const (
	PayeeProvider   = "provider"   // the service provider, the enterprise paying only its share
	PayeeEnterprise = "enterprise" // the enterprise, which has paid the provider in full
)

// MaxDays bounds valid_days and delivery_days: ten years is far beyond any real voucher and
// keeps a typo from producing a voucher that never expires.
const MaxDays = 3660

// MaxProviders bounds the provider list so a program's parameters fit in one API request.
const MaxProviders = 5000

// Params are the voucher-specific parameters of a program, stored as program.Program.Params
// and frozen into each voucher's snapshot.
//
// Providers may be empty when the program is created (the platform's register is often
// loaded later); until it lists someone, every redemption is refused as provider_not_listed.
type Params struct {
	FaceValue         decimal.Decimal `json:"face_value"`         // reserved at issue
	ValidDays         int             `json:"valid_days"`         // from the issue day, see ExpiresAt
	Rate              decimal.Decimal `json:"rate"`               // share of the invoice paid, 0.50 = 50 %
	DeliveryDays      int             `json:"delivery_days"`      // from the redemption day, see DeliveryDeadline
	Providers         []string        `json:"providers"`          // credit codes on the public service platform
	ServiceCategories []string        `json:"service_categories"` // a subset of Categories
	Payee             string          `json:"payee"`              // PayeeProvider or PayeeEnterprise
}

// DefaultParams are POLICIES.md's defaults; they validate as they are (no provider yet).
func DefaultParams() Params {
	return Params{
		FaceValue:         decimal.RequireFromString("20000.00"),
		ValidDays:         180,
		Rate:              decimal.RequireFromString("0.50"),
		DeliveryDays:      60,
		Providers:         []string{},
		ServiceCategories: slices.Clone(Categories),
		Payee:             PayeeProvider,
	}
}

// Validate returns what is wrong with each field (JSON name → message), or nil when the
// parameters are usable. The rate must be above 0: a voucher that pays nothing is a mistake.
func (p Params) Validate() map[string]string {
	errs := map[string]string{}
	if err := money.CheckAmount(p.FaceValue); err != nil {
		errs["face_value"] = err.Error()
	}
	if err := money.CheckRate(p.Rate); err != nil {
		errs["rate"] = err.Error()
	} else if !p.Rate.IsPositive() {
		errs["rate"] = money.ErrNotPositive.Error()
	}
	checkDays(errs, "valid_days", p.ValidDays)
	checkDays(errs, "delivery_days", p.DeliveryDays)
	checkProviders(errs, p.Providers)
	checkCategories(errs, p.ServiceCategories)
	if p.Payee != PayeeProvider && p.Payee != PayeeEnterprise {
		errs["payee"] = fmt.Sprintf("must be %s or %s", PayeeProvider, PayeeEnterprise)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkDays(errs map[string]string, field string, n int) {
	if n < 1 || n > MaxDays {
		errs[field] = fmt.Sprintf("must be between 1 and %d days", MaxDays)
	}
}

// checkProviders wants valid, distinct codes: a duplicate is harmless to the rules but is
// almost always a paste error worth showing.
func checkProviders(errs map[string]string, codes []string) {
	if len(codes) > MaxProviders {
		errs["providers"] = fmt.Sprintf("must list at most %d providers", MaxProviders)
	}
	seen := map[string]bool{}
	for i, c := range codes {
		key := fmt.Sprintf("providers[%d]", i)
		if err := creditcode.Validate(c); err != nil {
			errs[key] = "must be a valid unified social credit code: " + err.Error()
		} else if seen[c] {
			errs[key] = "is listed twice"
		}
		seen[c] = true
	}
}

func checkCategories(errs map[string]string, cats []string) {
	if len(cats) == 0 {
		errs["service_categories"] = "must list at least one service category"
	}
	seen := map[string]bool{}
	for i, c := range cats {
		key := fmt.Sprintf("service_categories[%d]", i)
		if !slices.Contains(Categories, c) {
			errs[key] = fmt.Sprintf("unknown category %q; use one of %s", c, strings.Join(Categories, ", "))
		} else if seen[c] {
			errs[key] = "is listed twice"
		}
		seen[c] = true
	}
}

// listsProvider reports whether code is on the program's provider list. Codes are compared
// exactly: both sides passed creditcode.Validate, which refuses lower case.
func (p Params) listsProvider(code string) bool { return slices.Contains(p.Providers, code) }

// listsCategory reports whether c is one of the program's service categories (exact codes).
func (p Params) listsCategory(c string) bool { return slices.Contains(p.ServiceCategories, c) }
