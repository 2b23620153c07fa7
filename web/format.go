package web

import (
	"html/template"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// funcs are the helpers templates use to show values the way POLICIES.md writes them:
// amounts with exactly two decimals, times in UTC, statuses in Chinese and English.
var funcs = template.FuncMap{
	"money":       money.Format,
	"moneyp":      moneyOrDash,
	"exact":       exact,
	"utc":         func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"date":        func(t time.Time) string { return t.Format("2006-01-02") },
	"status":      statusLabel,
	"statusClass": statusClass,
	"role":        roleLabel,
	"kind":        kindLabel,
	"cell":        func(row shipmentRow, field, typ string) formCell { return formCell{row, field, typ} },
	"isAuditor":   func(p access.Principal) bool { return p.Role == access.Auditor || p.Role == access.Admin },
}

func moneyOrDash(d *decimal.Decimal) string {
	if d == nil {
		return "—"
	}
	return money.Format(*d)
}

// exact shows a calculation step: at least two decimals like every amount, but every
// digit of an unrounded intermediate figure, so an auditor can redo the arithmetic.
func exact(d decimal.Decimal) string {
	if d.Equal(d.Round(money.AmountPlaces)) {
		return money.Format(d)
	}
	return d.String()
}

var statusLabels = map[claim.Status]string{
	claim.Submitted:        "已提交 Submitted",
	claim.Validated:        "已校验 Validated",
	claim.Calculated:       "已核算 Calculated",
	claim.WaitingForBudget: "等待资金 Waiting for budget",
	claim.Reserved:         "已预留 Reserved",
	claim.PendingApproval:  "待审批 Pending approval",
	claim.NeedsInfo:        "待补充材料 Needs information",
	claim.Approved:         "已批准 Approved",
	claim.Disbursing:       "拨付中 Disbursing",
	claim.PaymentFailed:    "支付失败 Payment failed",
	claim.Paid:             "已支付 Paid",
	claim.Rejected:         "已驳回 Rejected",
	claim.Withdrawn:        "已撤回 Withdrawn",
	claim.Expired:          "已过期 Expired",
	claim.Cancelled:        "已撤销 Cancelled",
	claim.Recorded:         "已入账 Recorded against the fund",
	claim.PendingLandlord:  "待出租方确认 Awaiting the landlord",
	claim.Issued:           "已发放 Issued",
	claim.Redeemed:         "已兑付待交付 Redeemed, awaiting delivery",
}

func statusLabel(v claim.Status) string { return label(statusLabels, v) }

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
	access.Admin:             "管理员 Administrator",
	access.Applicant:         "申请企业 Applicant",
	access.FinanceOfficer:    "财政经办 Finance officer",
	access.FinanceSupervisor: "财政主管 Finance supervisor",
	access.Auditor:           "审计 Auditor",
	access.Landlord:          "出租方 Landlord",
	access.Provider:          "服务机构 Service provider",
}

func roleLabel(v access.Role) string { return label(roleLabels, v) }

var kindLabels = map[program.Kind]string{
	program.Voucher:   "服务券 Service voucher",
	program.Freight:   "运费补贴 Freight subsidy",
	program.Rent:      "房租减免 Rent waiver",
	program.Guarantee: "担保费补贴 Guarantee-fee rebate",
	program.Interest:  "贷款贴息 Interest subsidy",
}

func kindLabel(v program.Kind) string { return label(kindLabels, v) }

// label is the bilingual label of a value, or the value itself when it has none.
func label[K ~string](labels map[K]string, v K) string {
	if l, ok := labels[v]; ok {
		return l
	}
	return string(v)
}
