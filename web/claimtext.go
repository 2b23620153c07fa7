package web

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"

	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/region"
)

// The claim page shows texts the kind packages wrote for people in English (reasons,
// calculation steps and their notes) and bilingual fact labels ("承运人 Carrier"). These
// helpers pick the reader's language: fact labels by their halves, reasons by their code,
// notes by the formats below; a note no format matches is shown in English, marked lang="en".
func init() {
	funcs["factLabel"] = factLabel
	funcs["factValue"] = factValue
	funcs["reasonText"] = reasonText
	funcs["noteText"] = noteText
	funcs["sizeLabel"] = func(s string) string { return sizeLabels[s] }
	funcs["sortLabel"] = func(s string) string { return sortLabels[s] }
	funcs["isZH"] = func(l i18n.Lang) bool { return l == i18n.ZH }
	// original is the rule's own English wording of a reason, offered on Chinese pages
	// beside the Chinese explanation (it names the figures and values the rule compared, and
	// a person's note on a rejection or cancellation); on English pages it is the text itself.
	funcs["original"] = func(l i18n.Lang, code, text string) string {
		if l != i18n.ZH || (code == "" && noteText(l, text) != "") {
			return ""
		}
		return text
	}
}

// factLabel is one half of a bilingual label: the Chinese before the first space that
// follows Chinese text, or the English after it.
func factLabel(l i18n.Lang, label string) string {
	zh, en, ok := splitBilingual(label)
	if !ok {
		return l.T(label)
	}
	if l == i18n.ZH {
		return zh
	}
	return en
}

func splitBilingual(s string) (string, string, bool) {
	i := strings.IndexByte(s, ' ')
	if i <= 0 {
		return "", "", false
	}
	head := s[:i]
	for _, r := range head {
		if unicode.Is(unicode.Han, r) {
			return head, s[i+1:], true
		}
	}
	return "", "", false
}

// factValue shows a fact's value: regions by name, enumerations translated, the rest as
// submitted.
func factValue(l i18n.Lang, name, value string) string {
	switch {
	case strings.HasSuffix(name, "_region") || name == "county":
		return region.Label(value)
	case name == "mode" || name == "service_category":
		return l.T(enumLabel(value))
	case amountFacts[name]:
		if _, err := decimal.NewFromString(value); err == nil {
			return i18n.Group(value)
		}
	case value == "yes", value == "no", value == "yes, in an earlier period":
		return l.T(strings.ToUpper(value[:1]) + value[1:])
	}
	return value
}

// amountFacts are the facts that are amounts of money, shown with thousands separators.
var amountFacts = map[string]bool{"amount": true, "monthly_rent": true, "guaranteed_amount": true, "fee_paid": true,
	"invoice_amount": true, "principal": true, "outstanding_principal": true, "interest_paid": true}

var enumLabels = map[string]string{
	"road": "Road", "rail": "Rail", "air": "Air", "multimodal": "Multimodal",
	"testing": "Testing", "certification": "Certification", "consulting": "Consulting", "design": "Design",
	"ip": "Intellectual property", "digital_transformation": "Digital transformation",
}

func enumLabel(v string) string {
	if l, ok := enumLabels[v]; ok {
		return l
	}
	return v
}

// reasonLabels name the reason codes the kinds and the claim workflow give.
var reasonLabels = map[string]string{
	"applicant_not_industrial":      "The applicant is not an industrial enterprise",
	"applicant_outside_region":      "The applicant is registered outside the program region",
	"ship_date_outside_period":      "Shipped outside the program period",
	"origin_outside_region":         "Not shipped from inside the program region",
	"destination_inside_region":     "Shipped to a place inside the program region",
	"category_not_listed":           "The category is not on the program's list",
	"mode_excluded":                 "The transport mode is excluded by the program",
	"duplicate_in_claim":            "Repeats an earlier line of this claim",
	"already_claimed":               "Already claimed in another claim",
	"no_eligible_line":              "No line is eligible",
	"subsidy_rounds_to_zero":        "The subsidy rounds to zero",
	"waiver_rounds_to_zero":         "The waiver rounds to zero",
	"tenant_not_small_or_micro":     "The tenant is not a small or micro enterprise",
	"tenant_outside_region":         "The tenant is registered outside the program region",
	"landlord_not_listed":           "The landlord is not on the program's register",
	"premises_outside_region":       "The premises are outside the program region",
	"lease_outside_period":          "The lease shares no day with the program period",
	"no_whole_month_in_period":      "The lease has no whole month in the period",
	"tenant_is_landlord":            "The tenant is the landlord",
	"provider_not_listed":           "The provider is not on the program's list",
	"provider_is_applicant":         "The enterprise bought the service from itself",
	"invoice_date_outside_period":   "The invoice date is outside the program period",
	"applicant_individual_business": "Individual businesses are not admitted",
	"applicant_not_sme":             "The applicant is not a small or medium enterprise",
	"already_holds_voucher":         "The enterprise already holds a voucher of this program",
	"institution_not_listed":        "The guarantee institution is not on the program's list",
	"borrower_not_sme":              "The borrower is not a small or medium enterprise",
	"fee_rate_above_max":            "The fee rate is above the program's maximum",
	"counter_guarantee_required":    "A counter-guarantee was demanded of a small or micro borrower",
	"review_fee_charged":            "A review fee was charged to a small or micro borrower",
	"guarantee_outside_period":      "The guarantee shares no day with the program period",
	"borrower_not_small_or_micro":   "The borrower is not a small or micro enterprise",
	"extended":                      "The loan was extended",
	"overdue_in_period":             "The loan was overdue in the period",
	"outstanding_above_principal":   "The outstanding principal is above the loan's principal",
	"not_the_borrower":              "The filer is not the borrower",
	"amount_out_of_range":           "The amount is out of range",
	"yearly_cap_reached":            "The yearly cap is reached",
	"voucher_expired":               "The voucher expired",
	"returned_unused":               "Returned unused",
	"delivery_not_confirmed":        "Delivery was not confirmed in time",
	"not_registered":                "The enterprise is not registered",
	"rejected_by_finance":           "Rejected by finance",
	"info_not_provided":             "The information asked for was not given in time",
	"payment_not_fixed":             "The failed payment was not fixed",
	"withdrawn_by_applicant":        "Withdrawn by the applicant",
	"cancelled":                     "Cancelled by an administrator",
	"cannot_be_assessed":            "The claim cannot be assessed",
	"program_not_found":             "The program does not exist",
	"kind_mismatch":                 "The claim does not fit the program's kind",
	"kind_not_implemented":          "This kind of program is not available",
}

// reasonText explains a reason: in Chinese by its code, in English by the kind's own text
// (which names the figures), or by the code's label when there is no text.
func reasonText(l i18n.Lang, code, text string) string {
	if l != i18n.ZH && text != "" {
		return text
	}
	if code == "" {
		if l == i18n.ZH && text != "" {
			return noteText(l, text)
		}
		return text
	}
	if lbl, ok := reasonLabels[code]; ok {
		return l.T(lbl)
	}
	return text
}

// notePattern translates one shape of note: a regular expression over the English and the
// Chinese with $1… for what it captured.
type notePattern struct {
	re *regexp.Regexp
	zh string
}

var notePatterns = []notePattern{
	{regexp.MustCompile(`^(\d+) of (\d+) lines eligible, summed exactly$`), "共 $2 行，其中 $1 行符合，精确求和"},
	{regexp.MustCompile(`^eligible freight × rate, exact$`), "符合条件的运费 × 补贴比例，精确值"},
	{regexp.MustCompile(`^rounded once to 0\.01; the yearly cap is applied when money is reserved$`), "仅四舍五入一次至 0.01；年度上限在预留资金时适用"},
	{regexp.MustCompile(`^eligible: freight of ([0-9.,]+) counts towards the subsidy$`), "符合：运费 $1 计入补贴"},
	{regexp.MustCompile(`^monthly rent × months waived, exact$`), "月租金 × 减免月数，精确值"},
	{regexp.MustCompile(`^rounded once to 0\.01; no cap applies$`), "仅四舍五入一次至 0.01；无上限"},
	{regexp.MustCompile(`^rounded once to 0\.01$`), "仅四舍五入一次至 0.01"},
	{regexp.MustCompile(`^entitled to (\d+) for county (\S+), not on the risk list(?:, limited to the lease's (\d+) whole months in the period)?$`), "县 $2 不在风险名单，可减免 $1 个月"},
	{regexp.MustCompile(`^entitled to (\d+) for county (\S+), on the risk list(?:, limited to the lease's (\d+) whole months in the period)?$`), "县 $2 在风险名单，可减免 $1 个月"},
	{regexp.MustCompile(`^calendar-month steps from (\S+) within (\S+) – (\S+); a part month at the end does not count$`), "自 $1 起按自然月计算（$2 至 $3），末尾不足一个月不计"},
	{regexp.MustCompile(`^the lease (\S+) – (\S+) shares no day with the period (\S+) – (\S+)$`), "租期 $1 至 $2 与项目期间 $3 至 $4 无重叠"},
	{regexp.MustCompile(`^none: the lease is refused \((\S+)\)$`), "无：该租约不符合（$1）"},
	{regexp.MustCompile(`^share of the guaranteed amount per year of guarantee$`), "每担保一年按担保金额计算的补贴比例"},
	{regexp.MustCompile(`^actual days of guarantee in the period / 365, in a leap year too$`), "期间内实际担保天数 / 365（闰年同样）"},
	{regexp.MustCompile(`^(\d+) of (\d+) contracts eligible, each min\(fee paid, guaranteed × rate × days / 365\), (\d+) limited by the fee paid; summed exactly$`), "共 $2 份合同，其中 $1 份符合，每份取 min(已付担保费, 担保金额 × 比例 × 天数 / 365)，$3 份以已付担保费为限；精确求和"},
	{regexp.MustCompile(`^rounded once to 0\.01; the yearly cap of ([0-9.,]+) per institution is applied when money is reserved$`), "仅四舍五入一次至 0.01；每家机构年度上限 $1 在预留资金时适用"},
	{regexp.MustCompile(`^exact$`), "精确值"},
	{regexp.MustCompile(`^reported by the lender$`), "贷款银行报送"},
	{regexp.MustCompile(`^the redemption's invoice$`), "核销发票"},
	{regexp.MustCompile(`^0: the redemption is refused$`), "0：核销不符合"},
	{regexp.MustCompile(`^reserved when the voucher was issued$`), "发券时预留"},
	{regexp.MustCompile(`^limited by the face value$`), "以面值为限"},
	{regexp.MustCompile(`^invoice × rate, within the face value$`), "发票金额 × 比例，未超过面值"},
	{regexp.MustCompile(`^given back to the program's budget when the redemption is recorded$`), "核销入账时退回项目预算"},
	{regexp.MustCompile(`^the smaller of the interest paid and the interest at the stated LPR, exact$`), "实付利息与按合同LPR计算利息中的较小者，精确值"},
	{regexp.MustCompile(`^none: the period is refused \((\S+)\)$`), "无：该计息期不符合（$1）"},
	{regexp.MustCompile(`^÷ (\d+) \(actual days / 360\)$`), "÷ $1（实际天数 / 360）"},
	{regexp.MustCompile(`^(\S+) – (\S+), both days included$`), "$1 至 $2，首尾两日均计"},
	{regexp.MustCompile(`^(\S+), as stated in the loan contract$`), "$1，以贷款合同为准"},
}

// noteText is a calculation note or a line's text in the reader's language; in Chinese a
// note no pattern matches is the empty string, and the page shows the English marked as such.
func noteText(l i18n.Lang, note string) string {
	if l != i18n.ZH || note == "" {
		return note
	}
	if l.Has(note) {
		return l.T(note)
	}
	for _, p := range notePatterns {
		if p.re.MatchString(note) {
			return p.re.ReplaceAllString(note, p.zh)
		}
	}
	return ""
}

func init() {
	funcs["roleLabel"] = func(r string) string {
		if r == "" {
			return ""
		}
		return label(roleLabels, access.Role(r))
	}
}

// approvalState is who approved a claim pending approval and whether a second approval is
// awaited (the four-eyes rule: amounts at or above the program's threshold need a second
// approval by a supervisor other than the first approver).
type approvalState struct {
	FourEyes  bool
	Approvals []approvalBy
	Awaiting  string // "first", "second" or "" when no approval is awaited
}

type approvalBy struct {
	By string
	At time.Time
}

func approvalStateOf(c claim.Claim, threshold decimal.Decimal) *approvalState {
	if c.Amount == nil {
		return nil
	}
	st := &approvalState{FourEyes: threshold.IsPositive() && c.Amount.GreaterThanOrEqual(threshold)}
	for _, a := range c.Approvals {
		st.Approvals = append(st.Approvals, approvalBy{By: a.Subject, At: a.At})
	}
	if c.Status == claim.PendingApproval {
		st.Awaiting = "first"
		if st.FourEyes && len(c.Approvals) > 0 {
			st.Awaiting = "second"
		}
	}
	return st
}

// nextStep is what a claim waits for and, where a deadline applies, by when.
type nextStep struct {
	What   string    // English, without a deadline
	WhatBy string    // English format with the deadline as %s
	By     time.Time // zero when no deadline applies
}

// nextStepOf says who acts next on a claim. The deadlines count from the claim's last
// update, which is when it entered its waiting status, by the program's approval rules.
func nextStepOf(c claim.Claim, ap program.Approval) *nextStep {
	days := func(n int) time.Time {
		if n <= 0 {
			return time.Time{}
		}
		return c.UpdatedAt.AddDate(0, 0, n)
	}
	switch c.Status {
	case claim.PendingApproval:
		return &nextStep{What: "Finance decides next.", WhatBy: "Finance decides by %s; after that the claim goes to supervisors.", By: days(ap.DeadlineDays)}
	case claim.NeedsInfo:
		return &nextStep{What: "The applicant answers finance's question.", WhatBy: "The applicant answers by %s, or the claim expires.", By: days(ap.InfoDays)}
	case claim.PaymentFailed:
		return &nextStep{What: "The payee's account must be fixed.", WhatBy: "The payee's account must be fixed by %s, or the claim expires.", By: days(ap.PaymentFixDays)}
	case claim.WaitingForBudget:
		return &nextStep{What: "The claim waits for the program's budget to be topped up."}
	case claim.PendingLandlord:
		return &nextStep{What: "The landlord confirms or disputes the lease."}
	case claim.Approved, claim.Disbursing:
		return &nextStep{What: "The bank pays the subsidy."}
	case claim.Submitted, claim.Validated, claim.Calculated, claim.Reserved:
		return &nextStep{What: "The system checks and calculates the claim."}
	}
	return nil
}

var sortLabels = map[string]string{"-filed": "Newest first", "filed": "Oldest first", "-amount": "Largest amount first",
	"amount": "Smallest amount first"}
