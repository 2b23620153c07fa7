package web

import (
	"html/template"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/region"
)

// funcs are the template helpers that do not depend on the page's language. Files add their
// own at init (loans.go does); helpers that show words belong in langFuncs.
var funcs = template.FuncMap{
	"exact":       exact,
	"statusClass": statusClass,
	"cell":        func(row shipmentRow, field, typ string) formCell { return formCell{row, field, typ} },
	"isAuditor":   func(p access.Principal) bool { return p.Role == access.Auditor || p.Role == access.Admin },
	"isFinance":   isFinance,
	"plus1":       func(i int) int { return i + 1 }, // line numbers count from 1 for people
	"regionCode":  func(code string) string { return code },
}

// langFuncs are the helpers that show words, numbers and times the way a reader of l
// expects: texts from the catalog, amounts with thousands separators and two decimals,
// times in Beijing time, periods with their last day, regions by name with their code.
func langFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"t":      l.T,
		"tf":     l.Tf,
		"msg":    l.Message,
		"money":  i18n.Amount,
		"moneyp": moneyOrDash,
		"when":   i18n.Time,
		"minute": i18n.Minute,
		"date":   func(t time.Time) string { return t.Format("2006-01-02") },
		"day":    i18n.Day,
		"period": l.Period,
		"last":   func(t time.Time) string { return i18n.LastDay(t).Format("2006-01-02") },
		"region": region.Label,
		"status": func(v claim.Status) string { return l.T(label(statusLabels, v)) },
		"role":   func(v access.Role) string { return l.T(label(roleLabels, v)) },
		"kind":   func(v program.Kind) string { return l.T(label(kindLabels, v)) },
		"lang":   func() i18n.Lang { return l },
	}
}

func isFinance(p access.Principal) bool {
	return p.Role == access.FinanceOfficer || p.Role == access.FinanceSupervisor || p.Role == access.Admin
}

func moneyOrDash(d *decimal.Decimal) string {
	if d == nil {
		return "—"
	}
	return i18n.Amount(*d)
}

// exact shows a calculation step: at least two decimals like every amount, but every
// digit of an unrounded intermediate figure, so an auditor can redo the arithmetic.
func exact(d decimal.Decimal) string {
	if d.Equal(d.Round(money.AmountPlaces)) {
		return i18n.Amount(d)
	}
	return i18n.Group(d.String())
}

// statusLabels are the English names of the statuses; the Chinese are in the catalog.
var statusLabels = map[claim.Status]string{
	claim.Submitted:        "Submitted",
	claim.Validated:        "Validated",
	claim.Calculated:       "Calculated",
	claim.WaitingForBudget: "Waiting for budget",
	claim.Reserved:         "Reserved",
	claim.PendingApproval:  "Pending approval",
	claim.NeedsInfo:        "Needs information",
	claim.Approved:         "Approved",
	claim.Disbursing:       "Disbursing",
	claim.PaymentFailed:    "Payment failed",
	claim.Paid:             "Paid",
	claim.Rejected:         "Rejected",
	claim.Withdrawn:        "Withdrawn",
	claim.Expired:          "Expired",
	claim.Cancelled:        "Cancelled",
	claim.Recorded:         "Recorded against the fund",
	claim.PendingLandlord:  "Awaiting the landlord",
	claim.Issued:           "Issued",
	claim.Redeemed:         "Redeemed, awaiting delivery",
}

// statusClass colours a badge by what the status asks of people: green done, amber
// someone must act, red refused or failed, grey in progress or closed by the applicant.
func statusClass(s claim.Status) string {
	switch s {
	case claim.Paid, claim.Approved:
		return "ok"
	case claim.PendingApproval, claim.NeedsInfo, claim.WaitingForBudget:
		return "wait"
	case claim.Rejected, claim.Expired, claim.PaymentFailed:
		return "bad"
	}
	return "neutral"
}

var roleLabels = map[access.Role]string{
	access.Admin:             "Administrator",
	access.Applicant:         "Applicant",
	access.FinanceOfficer:    "Finance officer",
	access.FinanceSupervisor: "Finance supervisor",
	access.Auditor:           "Auditor",
	access.Landlord:          "Landlord",
	access.Provider:          "Service provider",
	access.Institution:       "Guarantee institution",
	access.Lender:            "Lending bank",
}

var kindLabels = map[program.Kind]string{
	program.Voucher:   "Service voucher",
	program.Freight:   "Freight subsidy",
	program.Rent:      "Rent waiver",
	program.Guarantee: "Guarantee-fee rebate",
	program.Interest:  "Interest subsidy",
}

// label is the English label of a value, or the value itself when it has none.
func label[K ~string](labels map[K]string, v K) string {
	if l, ok := labels[v]; ok {
		return l
	}
	return string(v)
}
