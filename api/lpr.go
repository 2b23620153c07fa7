package api

import (
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/money"
)

// lprFixingView is one fixing as the API shows it: the rate as a decimal fraction string
// (exact) and as the percentage people read.
type lprFixingView struct {
	EffectiveDate string `json:"effective_date"`
	Rate          string `json:"rate"`
	Percent       string `json:"percent"`
}

type lprTableView struct {
	Fixings []lprFixingView `json:"fixings"`
}

func viewLPR(t lpr.Table) lprTableView {
	out := lprTableView{Fixings: make([]lprFixingView, 0, len(t))}
	for _, f := range t {
		out.Fixings = append(out.Fixings, lprFixingView{EffectiveDate: f.Effective.Format(time.DateOnly),
			Rate: f.Rate.String(), Percent: f.Percent()})
	}
	return out
}

// getLPR lists the 1-year LPR fixings loans are checked against. Every role may read them:
// a lender needs them to register a loan, finance and auditors to follow a check.
func (s *server) getLPR(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.LPRTable(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewLPR(t))
}

type addLPRRequest struct {
	EffectiveDate string `json:"effective_date" validate:"required,date"`
	Rate          string `json:"rate" validate:"required,rate"`
}

// addLPR adds a published fixing. A fixing already in force is never changed, since loans
// were checked against it (lpr.Table.Add); the refusal names the field.
func (s *server) addLPR(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "add LPR fixings", access.Admin); err != nil {
		return err
	}
	var req addLPRRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if errs := checkStruct(&req, ""); len(errs) > 0 {
		return invalid(errs)
	}
	day, _ := parseDate(req.EffectiveDate) // checked by the tags
	rate, _ := money.ParseRate(req.Rate)
	t, err := s.store.AddLPRFixing(r.Context(), lpr.Fixing{Effective: day, Rate: rate}, s.now(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, viewLPR(t))
}
