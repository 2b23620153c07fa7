package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/pii"
)

// detailData is everything the claim page shows.
type detailData struct {
	Claim     claim.Claim
	Snapshot  snapshot
	Lines     []lineRow
	Payment   *payment
	Trail     []trailRow
	FourEyes  bool // the amount needs a second approval by a supervisor
	Threshold decimal.Decimal
	Actions   actions
	// Enterprise is the filer as the registry holds it now (nil if it cannot be read): its
	// verification mark, and its account, masked unless the viewer is finance and the
	// payment is at stake (claim.Status.PaymentAtStake), as in the API.
	Enterprise *enterprise.Enterprise
	// AccountChange is the trail's latest record of the payee's account changing after an
	// approval, while the claim waits to be approved again; nil otherwise.
	AccountChange *accountChange
	// Executions are the claim's workflow runs linked to the Temporal UI, for staff (the
	// UI is an internal tool; parties follow their claim on these pages).
	Executions []historylink.Execution
	// Approval is the four-eyes state: who approved and what approval is awaited.
	Approval *approvalState
	// Next is who acts next and by when.
	Next *nextStep
}

// accountChange is what the approvers are told when the account they approved changed.
type accountChange struct {
	At       time.Time
	Approved string `json:"approved_account"`
	Now      string `json:"account_now"`
}

// accountChangeOf finds the change of account that sent a claim back for approval, if no
// approval came after it.
func accountChangeOf(c claim.Claim, trail []audit.Entry) *accountChange {
	if c.Status != claim.PendingApproval {
		return nil
	}
	for i := len(trail) - 1; i >= 0; i-- {
		switch trail[i].Action {
		case "claim.approved", "claim.first_approval":
			return nil
		case "claim.payee_account_changed":
			ch := accountChange{At: trail[i].At}
			_ = json.Unmarshal(trail[i].Details, &ch) // without details the banner still warns
			return &ch
		}
	}
	return nil
}

// lineRow joins a submitted line with the judgement on it (the judgement is missing
// until the claim has been assessed).
type lineRow struct {
	Index    int
	Facts    []kind.Fact // as the kind's rules describe the line
	Decision *claim.LineDecision
}

// payment is the read model's record of the bank payment (activities.Payment's JSON).
type payment struct {
	Key           string     `json:"key"`
	Attempt       int        `json:"attempt"`
	BankRef       string     `json:"bank_ref"`
	State         string     `json:"state"`
	AccountNumber string     `json:"account_number"`
	FailureCode   string     `json:"failure_code"`
	FailureText   string     `json:"failure_text"`
	SettledAt     *time.Time `json:"settled_at"`
}

// trailRow is an audit row with its details as compact text.
type trailRow struct {
	audit.Entry
	DetailText string
}

// actions says which decision forms the user gets. The workflow's validator decides in
// the end; hiding what would surely be refused keeps the page honest.
type actions struct {
	Approve, Reject, RequestInfo, Respond, Withdraw bool
	Confirm                                         bool // the landlord confirms or disputes
	Cancel                                          bool // an administrator cancels
}

func (a actions) Finance() bool   { return a.Approve || a.Reject || a.RequestInfo }
func (a actions) Applicant() bool { return a.Respond || a.Withdraw }
func (a actions) Any() bool       { return a.Finance() || a.Applicant() || a.Confirm || a.Cancel }

func (s *server) claimDetail(w http.ResponseWriter, r *http.Request, sess session) {
	c, err := s.visibleClaim(r.Context(), sess.P, r.PathValue("id"))
	if apperr.Is(err, apperr.NotFound) {
		s.errorPage(w, r, &sess, http.StatusNotFound, "Claim not found.")
		return
	}
	if err != nil {
		s.internal(w, r, sess, "get claim", err)
		return
	}
	entries, err := s.store.ClaimTrail(r.Context(), c.ID)
	if err != nil {
		s.internal(w, r, sess, "claim trail", err)
		return
	}
	d := detailData{Claim: c, Snapshot: snapshotOf(c), Lines: lineRows(c), Payment: paymentOf(c),
		Trail: trailRows(entries), Actions: allowedActions(sess.P, c), AccountChange: accountChangeOf(c, entries)}
	full := sess.P.Role.IsFinance() && c.Status.PaymentAtStake()
	if e, err := s.store.GetEnterprise(r.Context(), c.CreditCode); err == nil {
		if !full {
			e.Bank.AccountNumber = pii.Mask(e.Bank.AccountNumber)
		}
		d.Enterprise = &e
	} else if !apperr.Is(err, apperr.NotFound) {
		s.log.WarnContext(r.Context(), "web: claim's enterprise", "claim_id", c.ID, "err", err)
	}
	if !full {
		if d.Payment != nil {
			d.Payment.AccountNumber = pii.Mask(d.Payment.AccountNumber)
		}
		d.Snapshot.Enterprise.Bank.AccountNumber = pii.Mask(d.Snapshot.Enterprise.Bank.AccountNumber)
		if d.Snapshot.Payee != nil {
			d.Snapshot.Payee.Bank.AccountNumber = pii.Mask(d.Snapshot.Payee.Bank.AccountNumber)
		}
	}
	if !sess.P.Role.IsParty() {
		d.Executions = s.history.Executions(c.WorkflowID, c.RunID, entries)
	}
	d.Threshold = d.Snapshot.Program.Approval.FourEyesThreshold
	d.FourEyes = c.Amount != nil && d.Threshold.IsPositive() && c.Amount.GreaterThanOrEqual(d.Threshold)
	d.Approval = approvalStateOf(c, d.Threshold)
	d.Next = nextStepOf(c, d.Snapshot.Program.Approval)
	s.page(w, r, sess, http.StatusOK, "claim", "claims", "Claim "+c.ID, d)
}

func allowedActions(p access.Principal, c claim.Claim) actions {
	var a actions
	if p.Role.IsFinance() && p.Subject != c.SubmittedBy {
		a.Approve = c.Status == claim.PendingApproval
		a.Reject = c.Status == claim.PendingApproval || c.Status == claim.NeedsInfo || c.Status == claim.PendingLandlord
		a.RequestInfo = c.Status == claim.PendingApproval
	}
	if p.Role == access.Applicant && p.CreditCode == c.CreditCode {
		a.Respond = c.Status == claim.NeedsInfo
		a.Withdraw = c.Status.Withdrawable()
	}
	if p.Role == access.Landlord && c.Status == claim.PendingLandlord && slices.Contains(c.Parties, p.CreditCode) {
		a.Confirm = true
	}
	if p.Role == access.Admin {
		a.Cancel = c.Status.Cancellable()
	}
	return a
}

// lineRows pairs each submitted line, as its kind's rules describe it, with its assessment
// by index.
func lineRows(c claim.Claim) []lineRow {
	var lines []kind.Line
	if rules, ok := registry.Lookup(c.Kind); ok {
		lines, _ = rules.Describe(c.Payload) // an undecodable payload shows its decisions only
	}
	decisions := map[int]*claim.LineDecision{}
	if c.Assessment != nil {
		for i := range c.Assessment.Lines {
			decisions[c.Assessment.Lines[i].Index] = &c.Assessment.Lines[i]
		}
	}
	n := max(len(lines), len(decisions))
	rows := make([]lineRow, n)
	for i := range rows {
		rows[i] = lineRow{Index: i, Decision: decisions[i]}
		if i < len(lines) {
			rows[i].Facts = lines[i].Facts
		}
	}
	return rows
}

func paymentOf(c claim.Claim) *payment {
	if len(c.Payment) == 0 || string(c.Payment) == "null" {
		return nil
	}
	var p payment
	if json.Unmarshal(c.Payment, &p) != nil {
		return nil
	}
	return &p
}

func trailRows(entries []audit.Entry) []trailRow {
	rows := make([]trailRow, len(entries))
	for i, e := range entries {
		rows[i] = trailRow{Entry: e, DetailText: string(e.Details)}
		if e.Details == nil || string(e.Details) == "null" {
			rows[i].DetailText = ""
		}
	}
	return rows
}
