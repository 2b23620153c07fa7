package api

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/program"
)

// The JSON forms of the API. Amounts are strings with exactly 2 decimals, dates
// "YYYY-MM-DD", times RFC 3339 in UTC with microseconds (PostgreSQL's precision, and what
// audit hashes cover).

const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatDate(t time.Time) string { return t.Format(dateLayout) }

func optAmount(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := money.Format(*d)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optJSON is nil (JSON null) for an empty document.
func optJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

type bankAccountView struct {
	BankName      string `json:"bank_name"`
	AccountName   string `json:"account_name"`
	AccountNumber string `json:"account_number"`
}

type enterpriseView struct {
	CreditCode string          `json:"credit_code"`
	Name       string          `json:"name"`
	Industry   string          `json:"industry"`
	Employees  int             `json:"employees"`
	Revenue    string          `json:"revenue"`
	Assets     string          `json:"assets"`
	Region     string          `json:"region"`
	EntityType string          `json:"entity_type"`
	SizeClass  *string         `json:"size_class"`
	SizeRule   string          `json:"size_rule"`
	Bank       bankAccountView `json:"bank_account"`
	CreatedAt  string          `json:"created_at"`
	UpdatedAt  string          `json:"updated_at"`

	Verification verificationView `json:"verification"`
}

// viewEnterprise shows the account number masked to everyone, the applicant who entered it
// and the administrator included: the registry is not where a payment is approved
// (seesFullAccount).
func viewEnterprise(e enterprise.Enterprise) enterpriseView {
	b := bankAccountView(e.Bank)
	b.AccountNumber = pii.Mask(b.AccountNumber)
	return enterpriseView{CreditCode: e.CreditCode, Name: e.Name, Industry: e.Industry,
		Employees: e.Employees, Revenue: money.Format(e.Revenue), Assets: money.Format(e.Assets),
		Region: e.Region, EntityType: e.EntityType, SizeClass: optString(e.SizeClass), SizeRule: e.SizeRule,
		Bank:      b,
		CreatedAt: formatTime(e.CreatedAt), UpdatedAt: formatTime(e.UpdatedAt),
		Verification: viewVerification(e.Verification)}
}

type approvalRulesView struct {
	FourEyesThreshold string `json:"four_eyes_threshold"`
	DeadlineDays      int    `json:"deadline_days"`
	InfoDays          int    `json:"info_days"`
	PaymentFixDays    int    `json:"payment_fix_days"`
}

type programView struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Name        string            `json:"name"`
	Region      string            `json:"region"`
	PeriodStart string            `json:"period_start"`
	PeriodEnd   string            `json:"period_end"`
	Approval    approvalRulesView `json:"approval"`
	Params      json.RawMessage   `json:"params"`
	Budget      string            `json:"budget"`
	Reserved    string            `json:"reserved"`
	Committed   string            `json:"committed"`
	Available   string            `json:"available"`
	CreatedAt   string            `json:"created_at"`
}

func viewProgram(p program.Program) programView {
	return programView{ID: p.ID, Kind: string(p.Kind), Name: p.Name, Region: p.Region,
		PeriodStart: formatDate(p.PeriodStart), PeriodEnd: formatDate(p.PeriodEnd),
		Approval: approvalRulesView{FourEyesThreshold: money.Format(p.Approval.FourEyesThreshold),
			DeadlineDays: p.Approval.DeadlineDays, InfoDays: p.Approval.InfoDays,
			PaymentFixDays: p.Approval.PaymentFixDays},
		Params: viewParams(p.Kind, p.Params), Budget: money.Format(p.Budget),
		Reserved: money.Format(p.Reserved), Committed: money.Format(p.Committed),
		Available: money.Format(p.Available()), CreatedAt: formatTime(p.CreatedAt)}
}

type approvalView struct {
	Subject string  `json:"subject"`
	Role    string  `json:"role"`
	At      string  `json:"at"`
	Note    *string `json:"note"`
}

func viewApprovals(as []claim.Approval) []approvalView {
	out := make([]approvalView, len(as))
	for i, a := range as {
		out[i] = approvalView{Subject: a.Subject, Role: a.Role, At: formatTime(a.At), Note: optString(a.Note)}
	}
	return out
}

type lineView struct {
	Index    int     `json:"index"`
	Eligible bool    `json:"eligible"`
	Reason   *string `json:"reason"`
	Text     *string `json:"text"`
	Basis    string  `json:"basis"`
	Conflict *string `json:"conflict"`
}

func viewLines(a *claim.Assessment) []lineView {
	if a == nil {
		return []lineView{}
	}
	out := make([]lineView, len(a.Lines))
	for i, l := range a.Lines {
		out[i] = lineView{Index: l.Index, Eligible: l.Eligible, Reason: optString(string(l.Reason)),
			Text: optString(l.Text), Basis: money.Format(l.Basis), Conflict: optString(l.Conflict)}
	}
	return out
}

type claimView struct {
	ID          string         `json:"id"`
	ProgramID   string         `json:"program_id"`
	Kind        string         `json:"kind"`
	CreditCode  string         `json:"credit_code"`
	SubmittedBy string         `json:"submitted_by"`
	Status      string         `json:"status"`
	Requested   string         `json:"requested"`
	Amount      *string        `json:"amount"`
	Escalated   bool           `json:"escalated"`
	Approvals   []approvalView `json:"approvals"`
	// Approval is the four-eyes state; null until the claim is calculated.
	Approval     *approvalStateView `json:"approval"`
	InfoRequest  *string            `json:"info_request"`
	InfoResponse *string            `json:"info_response"`
	Reason       *string            `json:"reason"`
	ReasonText   *string            `json:"reason_text"`
	Payment      json.RawMessage    `json:"payment"`
	Lines        []lineView         `json:"lines"`
	Parties      []string           `json:"parties"`
	Confirmation *confirmView       `json:"confirmation"`
	CreatedAt    string             `json:"created_at"`
	UpdatedAt    string             `json:"updated_at"`

	// Enterprise is the filer as the registry holds it now; single-claim answers only.
	Enterprise *claimEnterpriseView `json:"enterprise,omitempty"`
}

// confirmView is a second party's answer on a claim.
type confirmView struct {
	Party    string  `json:"party"`
	Subject  string  `json:"subject"`
	Disputed bool    `json:"disputed"`
	Mode     *string `json:"mode"`
	Reason   *string `json:"reason"`
	At       string  `json:"at"`
}

func viewConfirmation(c *claim.Confirmation) *confirmView {
	if c == nil {
		return nil
	}
	return &confirmView{Party: c.Party, Subject: c.Subject, Disputed: c.Disputed, Mode: optString(c.Mode),
		Reason: optString(c.Reason), At: formatTime(c.At)}
}

// viewClaim is c as p may read it: the payment's account number masked unless p is finance
// deciding on or fixing the payment (seesFullAccount).
func viewClaim(c claim.Claim, p access.Principal) claimView {
	pay := optJSON(c.Payment)
	if !seesFullAccount(p, c) {
		pay = maskAccounts(pay)
	}
	return claimView{ID: c.ID, ProgramID: c.ProgramID, Kind: string(c.Kind), CreditCode: c.CreditCode,
		SubmittedBy: c.SubmittedBy, Status: string(c.Status), Requested: money.Format(c.Requested),
		Amount: optAmount(c.Amount), Escalated: c.Escalated, Approvals: viewApprovals(c.Approvals),
		Approval:    viewApprovalState(c),
		InfoRequest: optString(c.InfoRequest), InfoResponse: optString(c.InfoResponse),
		Reason: optString(c.Reason), ReasonText: optString(c.ReasonText), Payment: pay,
		Lines: viewLines(c.Assessment), Parties: nonNilList(c.Parties), Confirmation: viewConfirmation(c.Confirmation),
		CreatedAt: formatTime(c.CreatedAt), UpdatedAt: formatTime(c.UpdatedAt)}
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
