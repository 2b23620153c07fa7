package api

import (
	"net/http"
	"strconv"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// lenderLoan loads the loan of the path for its own lender; anyone else gets 403 for the
// role or 404 for a loan they may not see.
func (s *server) lenderLoan(r *http.Request, what string) (store.Loan, access.Principal, error) {
	p := principalFrom(r.Context())
	if err := requireRole(p, what, access.Lender); err != nil {
		return store.Loan{}, p, err
	}
	row, err := s.visibleLoan(r)
	return row, p, err
}

// reportPeriod takes the lender's report of one period that has ended. The loan's
// workflow validates it against its state (period ended, not reported before) before it
// enters history, then opens the period's claim.
func (s *server) reportPeriod(w http.ResponseWriter, r *http.Request) error {
	row, p, err := s.lenderLoan(r, "report loan periods")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n > 1000 {
		return invalid(map[string]string{"n": "must be the index of a period of the loan (0, 1, …)"})
	}
	var req interest.ReportRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if errs := checkStruct(&req, ""); len(errs) > 0 {
		return invalid(errs)
	}
	payload, _, errs := req.Normalise()
	if errs != nil {
		return invalid(errs)
	}
	st, err := contract.LoanUpdate(r.Context(), s.temporal, row.ID, contract.UpdateReport,
		contract.ReportArgs{Actor: p, Index: n, Report: payload.(interest.Report)})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.viewLoan(r.Context(), row, st.Periods))
}

type repaidRequest struct {
	Date string `json:"date" validate:"required,date"`
}

// repaidLoan takes the lender's word that the loan was repaid early: its last period ends
// on that day (excluded) and the loan ends once the periods up to it are reported.
func (s *server) repaidLoan(w http.ResponseWriter, r *http.Request) error {
	row, p, err := s.lenderLoan(r, "report repayments")
	if err != nil {
		return err
	}
	var req repaidRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if errs := checkStruct(&req, ""); len(errs) > 0 {
		return invalid(errs)
	}
	d, _ := parseDate(req.Date)
	st, err := contract.LoanUpdate(r.Context(), s.temporal, row.ID, contract.UpdateRepaid,
		contract.RepaidArgs{Actor: p, Date: d})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.viewLoan(r.Context(), row, st.Periods))
}
