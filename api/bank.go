package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/pii"
)

// bankReaders may read the bank's settlement report and the reconciliation: finance, who
// resolve mismatches, auditors, who check they are resolved, and admins.
var bankReaders = []access.Role{access.FinanceOfficer, access.FinanceSupervisor, access.Auditor, access.Admin}

type settlementView struct {
	Key           string `json:"key"`
	BankRef       string `json:"bank_ref"`
	Reference     string `json:"reference"`
	AccountNumber string `json:"account_number"`
	Amount        string `json:"amount"`
	SettledAt     string `json:"settled_at"`
}

type settlementsView struct {
	Date  string           `json:"date"`
	Items []settlementView `json:"items"`
	Total string           `json:"total"`
}

// bankSettlements shows the bank's settlement report of one UTC day as the bank gives it,
// account numbers masked: reconciling goes by key and amount, not by account.
func (s *server) bankSettlements(w http.ResponseWriter, r *http.Request) error {
	day, err := s.bankDay(r, "read the bank's settlement report")
	if err != nil {
		return err
	}
	list, err := s.settlements(r.Context(), day)
	if err != nil {
		return err
	}
	view := settlementsView{Date: formatDate(day), Items: make([]settlementView, len(list))}
	total := decimal.Zero
	for i, st := range list {
		total = total.Add(st.Amount)
		view.Items[i] = settlementView{Key: st.Key, BankRef: st.BankRef, Reference: st.Reference,
			AccountNumber: pii.Mask(st.AccountNumber), Amount: money.Format(st.Amount), SettledAt: formatTime(st.SettledAt)}
	}
	view.Total = money.Format(total)
	return writeJSON(w, http.StatusOK, view)
}

// bankDay checks who asks, that a bank is configured and the ?date= of the request, in
// that order, and returns the day as UTC midnight.
func (s *server) bankDay(r *http.Request, what string) (time.Time, error) {
	if err := requireRole(principalFrom(r.Context()), what, bankReaders...); err != nil {
		return time.Time{}, err
	}
	if s.bank == nil {
		return time.Time{}, apperr.New(apperr.Unavailable, "bank not configured")
	}
	return dayQuery(r.URL.Query())
}

// dayQuery reads the only query parameter of the bank endpoints: date=YYYY-MM-DD.
func dayQuery(q url.Values) (time.Time, error) {
	errs := map[string]string{}
	for name, vs := range q {
		switch {
		case name != "date":
			errs[name] = "is not a known query parameter"
		case len(vs) > 1:
			errs[name] = "must be given at most once"
		}
	}
	day, err := parseDate(q.Get("date"))
	if _, given := errs["date"]; !given && err != nil {
		errs["date"] = "is required and " + err.Error()
	}
	return day, invalid(errs)
}

// settlements asks the bank for the report of [day, day+1). The bank's failures are its
// own business: the caller is told to retry and the cause is logged.
func (s *server) settlements(ctx context.Context, day time.Time) ([]bank.Settlement, error) {
	list, err := s.bank.Settlements(ctx, day, day.AddDate(0, 0, 1))
	if err != nil {
		s.log.WarnContext(ctx, "bank settlement report", "request_id", requestIDFrom(ctx), "err", err)
		return nil, apperr.New(apperr.Unavailable, "the bank did not deliver its settlement report; please retry")
	}
	return list, nil
}
