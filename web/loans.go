package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// The loan pages of the interest subsidy read the JSON API in-process (GET /v1/loans and
// GET /v1/loans/{id}) and send the lender's period reports through it
// (POST /v1/loans/{id}/periods/{n}/report), so who may see a loan and what a report must
// hold are decided only by the API and the loan's workflow.

func init() {
	// format.go owns the template helpers; the loan pages register theirs here (every
	// templates/*.html is a page by its name).
	funcs["seesLoans"] = seesLoans
	funcs["loanStatus"] = func(s string) string { return label(loanStatusLabels, s) }
	funcs["periodStatus"] = func(s string) string { return label(periodStatusLabels, s) }
}

// seesLoans: the roles GET /v1/loans answers (lenders, borrowers, staff), for the menu.
func seesLoans(p access.Principal) bool {
	switch p.Role {
	case access.Lender, access.Applicant, access.FinanceOfficer, access.FinanceSupervisor, access.Auditor, access.Admin:
		return true
	}
	return false
}

var loanStatusLabels = map[string]string{
	contract.LoanActive:  "Active",
	contract.LoanMatured: "Matured",
	contract.LoanRepaid:  "Repaid early",
}

var periodStatusLabels = map[string]string{
	contract.PeriodOpen:     "Open for report",
	contract.PeriodReported: "Reported",
	contract.PeriodClaimed:  "Claim opened",
	"zero":                  "Nothing to pay",
}

// mountLoans adds the loan pages to the page mux (one call in web.go, so the pages' routes
// stay beside their handlers); unknown paths under /ui/loans/ fall to the mux's 404.
func (s *server) mountLoans(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/loans", s.authed(s.loanList))
	mux.HandleFunc("GET /ui/loans/{id}", s.authed(s.loanDetail))
	mux.HandleFunc("POST /ui/loans/{id}/periods/{n}/report", s.authed(s.loanReport))
}

// apiLoan is a loan as GET /v1/loans/{id} answers it.
type apiLoan struct {
	ID        string `json:"id"`
	ProgramID string `json:"program_id"`
	Status    string `json:"status"`
	Escalated bool   `json:"escalated"`
	Loan      struct {
		ContractNo         string `json:"contract_no"`
		BorrowerCreditCode string `json:"borrower_credit_code"`
		LenderCreditCode   string `json:"lender_credit_code"`
		Principal          string `json:"principal"`
		ContractRate       string `json:"contract_rate"`
		StatedLPRPercent   string `json:"stated_lpr_percent"`
		ContractDate       string `json:"contract_date"`
		StartDate          string `json:"start_date"`
		MaturityDate       string `json:"maturity_date"`
	} `json:"loan"`
	Periods []apiPeriod `json:"periods"`
}

// apiPeriod is one period of the schedule; LastDay is the inclusive last day.
type apiPeriod struct {
	Index       int          `json:"index"`
	Start       string       `json:"start"`
	End         string       `json:"end"`
	LastDay     string       `json:"last_day"`
	Days        int          `json:"days"`
	Status      string       `json:"status"`
	Escalated   bool         `json:"escalated"`
	ClaimID     string       `json:"claim_id"`
	ClaimStatus claim.Status `json:"claim_status"`
	Amount      *string      `json:"amount"`
	Reason      string       `json:"reason"`
}

// Open: the period waits for its lender's report.
func (p apiPeriod) Open() bool { return p.Status == contract.PeriodOpen }

// PaidSoFar is the subsidy of the periods whose claims were paid.
func (l apiLoan) PaidSoFar() string {
	sum := decimal.Zero
	for _, p := range l.Periods {
		if p.ClaimStatus != claim.Paid || p.Amount == nil {
			continue
		}
		if a, err := decimal.NewFromString(*p.Amount); err == nil {
			sum = sum.Add(a)
		}
	}
	return money.Format(sum)
}

type loanDetailData struct {
	Loan   apiLoan
	Lender bool // the signed-in lender (the API showed it the loan, so its own): may report
}

// loanAPIRefusal shows a refused read: 403 and 404 as the API said them, the rest as a fault.
func (s *server) loanAPIRefusal(w http.ResponseWriter, r *http.Request, sess session, what string, status int, resp []byte) {
	switch status {
	case http.StatusNotFound:
		s.errorPage(w, r, &sess, http.StatusNotFound, "No such loan.")
	case http.StatusForbidden:
		s.errorPage(w, r, &sess, http.StatusForbidden, "You may not see loans.")
	default:
		s.internal(w, r, sess, what, fmt.Errorf("API answered %d: %q", status, resp))
	}
}

func (s *server) loanList(w http.ResponseWriter, r *http.Request, sess session) {
	if s.api == nil {
		s.internal(w, r, sess, "loans", fmt.Errorf("web: Deps.API is not set"))
		return
	}
	status, resp := s.apiGet(r, sess, "/v1/loans")
	if status != http.StatusOK {
		s.loanAPIRefusal(w, r, sess, "list loans", status, resp)
		return
	}
	var list struct {
		Loans []apiLoan `json:"loans"`
	}
	if err := json.Unmarshal(resp, &list); err != nil {
		s.internal(w, r, sess, "read loans", err)
		return
	}
	s.page(w, r, sess, http.StatusOK, "loans", "loans", "Loans", list.Loans)
}

func (s *server) loanDetail(w http.ResponseWriter, r *http.Request, sess session) {
	if s.api == nil {
		s.internal(w, r, sess, "loan", fmt.Errorf("web: Deps.API is not set"))
		return
	}
	status, resp := s.apiGet(r, sess, "/v1/loans/"+url.PathEscape(r.PathValue("id")))
	if status != http.StatusOK {
		s.loanAPIRefusal(w, r, sess, "get loan", status, resp)
		return
	}
	var d loanDetailData
	if err := json.Unmarshal(resp, &d.Loan); err != nil {
		s.internal(w, r, sess, "read loan", err)
		return
	}
	d.Lender = sess.P.Role == access.Lender && sess.P.CreditCode == d.Loan.Loan.LenderCreditCode
	s.page(w, r, sess, http.StatusOK, "loan", "loans", "Loan "+d.Loan.Loan.ContractNo, d)
}

// loanReport sends one period's report to the API and goes back to the schedule with the
// API's answer as a flash.
func (s *server) loanReport(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("id")
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		s.errorPage(w, r, &sess, http.StatusNotFound, "Page not found")
		return
	}
	if s.api == nil {
		s.internal(w, r, sess, "report period", fmt.Errorf("web: Deps.API is not set"))
		return
	}
	body := map[string]any{
		"interest_paid":         i18n.Ungroup(r.PostFormValue("interest_paid")),
		"outstanding_principal": i18n.Ungroup(r.PostFormValue("outstanding_principal")),
		"overdue":               loanYesNo(r.PostFormValue("overdue")),
		"extended":              loanYesNo(r.PostFormValue("extended")),
	}
	raw, err := json.Marshal(body)
	if err != nil {
		s.internal(w, r, sess, "encode report", err)
		return
	}
	page := "/ui/loans/" + url.PathEscape(id)
	status, resp := s.callAPI(r, sess, "/v1/loans/"+url.PathEscape(id)+"/periods/"+strconv.Itoa(n)+"/report", "", raw)
	switch {
	case status == http.StatusOK:
		setFlash(w, "ok", fmt.Sprintf("Period %d reported; its claim is being opened.", n))
	case status == http.StatusNotFound || status == http.StatusForbidden:
		s.loanAPIRefusal(w, r, sess, "report period", status, resp)
		return
	default:
		doc, ok := decodeProblem(resp)
		if !ok {
			s.internal(w, r, sess, "read API answer", fmt.Errorf("status %d: %q", status, resp))
			return
		}
		if status >= 500 {
			s.log.WarnContext(r.Context(), "web: report loan period: API failed", "status", status, "detail", doc.Detail)
		}
		setFlash(w, "error", loanProblemText(fmt.Sprintf("Period %d's report was refused", n), doc))
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// loanYesNo reads a yes/no select: nil when unanswered, so the API asks for the answer.
func loanYesNo(v string) *bool {
	switch v {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	return nil
}

// loanProblemText flattens a problem document into one flash line: title, detail and every
// field error, in field order.
func loanProblemText(lead string, doc problemView) string {
	parts := []string{doc.Title}
	if doc.Detail != "" {
		parts = append(parts, doc.Detail)
	}
	errs := append([]fieldMsg(nil), doc.Errors...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	for _, e := range errs {
		parts = append(parts, e.Field+": "+e.Message)
	}
	return lead + ": " + strings.Join(parts, "; ")
}
