package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// loanView is a loan as the API shows it: the contract's terms and its schedule.
type loanView struct {
	ID        string       `json:"id"`
	ProgramID string       `json:"program_id"`
	Status    string       `json:"status"`
	Escalated bool         `json:"escalated"`
	Loan      loanTerms    `json:"loan"`
	Periods   []periodView `json:"periods"`
	PaidSoFar string       `json:"paid_so_far"` // what the borrower has been paid: the periods' paid claims
	CreatedAt time.Time    `json:"created_at"`
}

type loanTerms struct {
	ContractNo         string `json:"contract_no"`
	BorrowerCreditCode string `json:"borrower_credit_code"`
	LenderCreditCode   string `json:"lender_credit_code"`
	Principal          string `json:"principal"`
	ContractRate       string `json:"contract_rate"`
	StatedLPR          string `json:"stated_lpr"`
	StatedLPRPercent   string `json:"stated_lpr_percent"`
	ContractDate       string `json:"contract_date"`
	StartDate          string `json:"start_date"`
	MaturityDate       string `json:"maturity_date"`
}

// periodView is one period of the schedule. end is excluded (half-open, like every range
// of the API); last_day is the inclusive last day people read. status is open, reported,
// claimed (its claim's status in claim_status) or zero (claimed, pays nothing: reason).
type periodView struct {
	Index       int     `json:"index"`
	Start       string  `json:"start"`
	End         string  `json:"end"`
	LastDay     string  `json:"last_day"`
	Days        int     `json:"days"`
	Status      string  `json:"status"`
	Escalated   bool    `json:"escalated"`
	ClaimID     string  `json:"claim_id,omitempty"`
	ClaimStatus string  `json:"claim_status,omitempty"`
	Amount      *string `json:"amount,omitempty"`
	Reason      string  `json:"reason,omitempty"`
}

// periodZero is the status of a claimed period the rules pay nothing for.
const periodZero = "zero"

func dateOf(t time.Time) string { return t.Format(time.DateOnly) }

func viewTerms(l interest.Loan) loanTerms {
	return loanTerms{ContractNo: l.ContractNo, BorrowerCreditCode: l.BorrowerCreditCode,
		LenderCreditCode: l.LenderCreditCode, Principal: money.Format(l.Principal),
		ContractRate: l.ContractRate.String(), StatedLPR: l.StatedLPR.String(), StatedLPRPercent: lpr.Percent(l.StatedLPR),
		ContractDate: dateOf(l.ContractDate), StartDate: dateOf(l.StartDate), MaturityDate: dateOf(l.MaturityDate)}
}

// viewLoan shows a stored loan with periods (the stored schedule, or a fresher one the
// workflow just answered with). A claimed period shows its claim's status as the claims
// table has it now; a claim that cannot be read is shown without one.
func (s *server) viewLoan(ctx context.Context, row store.Loan, periods []contract.LoanPeriod) loanView {
	var l interest.Loan
	_ = json.Unmarshal(row.Loan, &l) // written by registerLoan from this type
	v := loanView{ID: row.ID, ProgramID: row.ProgramID, Status: row.Status, Escalated: row.Escalated,
		Loan: viewTerms(l), Periods: make([]periodView, 0, len(periods)), CreatedAt: row.CreatedAt}
	paid := decimal.Zero
	for _, p := range periods {
		pv := periodView{Index: p.Index, Start: dateOf(p.Start), End: dateOf(p.End), LastDay: dateOf(p.LastDay()),
			Days: p.Days, Status: p.Status, Escalated: p.Escalated, ClaimID: p.ClaimID, Reason: p.Reason}
		if p.Amount != nil {
			a := money.Format(*p.Amount)
			pv.Amount = &a
			if !p.Amount.IsPositive() {
				pv.Status = periodZero
			}
		}
		if p.ClaimID != "" {
			if c, err := s.store.GetClaim(ctx, p.ClaimID); err == nil {
				pv.ClaimStatus = string(c.Status)
				if c.Status == claim.Paid && c.Amount != nil {
					paid = paid.Add(*c.Amount)
				}
			}
		}
		v.Periods = append(v.Periods, pv)
	}
	v.PaidSoFar = money.Format(paid)
	return v
}

// storedPeriods reads the schedule the loan's workflow last wrote.
func storedPeriods(row store.Loan) ([]contract.LoanPeriod, error) {
	var ps []contract.LoanPeriod
	err := json.Unmarshal(row.Periods, &ps)
	return ps, err
}

// canSeeLoan: its lender, its borrower, and staff (finance, auditors, administrators).
func canSeeLoan(p access.Principal, row store.Loan) bool {
	switch p.Role {
	case access.Lender:
		return p.CreditCode == row.Lender
	case access.Applicant:
		return p.CreditCode == row.Borrower
	case access.FinanceOfficer, access.FinanceSupervisor, access.Auditor, access.Admin:
		return true
	}
	return false
}

// visibleLoan loads the loan of the path: 404 when it does not exist or the caller may not
// see it, so ids cannot be probed.
func (s *server) visibleLoan(r *http.Request) (store.Loan, error) {
	id := r.PathValue("id")
	row, err := s.store.GetLoan(r.Context(), id)
	if err != nil || !canSeeLoan(principalFrom(r.Context()), row) {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return store.Loan{}, notVisible("loan", id)
		}
		return store.Loan{}, err
	}
	return row, nil
}

func (s *server) getLoan(w http.ResponseWriter, r *http.Request) error {
	row, err := s.visibleLoan(r)
	if err != nil {
		return err
	}
	ps, err := storedPeriods(row)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.viewLoan(r.Context(), row, ps))
}

type loanListView struct {
	Loans []loanView `json:"loans"`
}

// listLoans lists a lender's own loans, a borrower's own loans, or every loan for staff.
func (s *server) listLoans(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	var f store.LoanFilter
	switch p.Role {
	case access.Lender:
		f.Lender = p.CreditCode
	case access.Applicant:
		f.Borrower = p.CreditCode
	default:
		if err := requireRole(p, "list loans", access.FinanceOfficer, access.FinanceSupervisor,
			access.Auditor, access.Admin); err != nil {
			return err
		}
	}
	rows, err := s.store.ListLoans(r.Context(), f)
	if err != nil {
		return err
	}
	out := loanListView{Loans: make([]loanView, 0, len(rows))}
	for _, row := range rows {
		ps, err := storedPeriods(row)
		if err != nil {
			return err
		}
		out.Loans = append(out.Loans, s.viewLoan(r.Context(), row, ps))
	}
	return writeJSON(w, http.StatusOK, out)
}
