package api

import (
	"context"
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/reconcile"
)

type mismatchView struct {
	Kind        string  `json:"kind"`
	ClaimID     *string `json:"claim_id"`
	Key         *string `json:"key"`
	BankAmount  *string `json:"bank_amount"`
	ClaimAmount *string `json:"claim_amount"`
	Detail      string  `json:"detail"`
}

type reconciliationView struct {
	Date         string         `json:"date"`
	Matched      int            `json:"matched"`
	TotalSettled string         `json:"total_settled"`
	Mismatches   []mismatchView `json:"mismatches"`
	OK           bool           `json:"ok"`
}

// reconciliation compares the bank's settlements of one UTC day with our paid claims
// (POLICIES.md, "Finance reconciles payments"). It only reports: every mismatch is for a
// person to resolve, nothing is changed.
func (s *server) reconciliation(w http.ResponseWriter, r *http.Request) error {
	day, err := s.bankDay(r, "reconcile payments")
	if err != nil {
		return err
	}
	ctx := r.Context()
	list, err := s.settlements(ctx, day)
	if err != nil {
		return err
	}
	next := day.AddDate(0, 0, 1)
	claims, err := s.claimsToReconcile(ctx, list, day, next)
	if err != nil {
		return err
	}
	rep := reconcile.Compare(day, next, list, claims)
	view := reconciliationView{Date: formatDate(day), Matched: rep.Matched, TotalSettled: money.Format(rep.TotalSettled),
		Mismatches: make([]mismatchView, len(rep.Mismatches)), OK: rep.OK()}
	for i, m := range rep.Mismatches {
		view.Mismatches[i] = mismatchView{Kind: string(m.Kind), ClaimID: optString(m.ClaimID), Key: optString(m.Key),
			BankAmount: optAmount(m.BankAmount), ClaimAmount: optAmount(m.ClaimAmount), Detail: m.Detail}
	}
	return writeJSON(w, http.StatusOK, view)
}

// claimsToReconcile loads what reconcile.Compare needs: the claims the settlements name
// and the claims whose payment settled in [from, to) by their own record. The second read
// comes after the bank's report, so a claim paid in between shows up at worst as
// paid_without_settlement, which asking again resolves.
func (s *server) claimsToReconcile(ctx context.Context, list []bank.Settlement, from, to time.Time) ([]reconcile.Claim, error) {
	ids, keys := make([]string, len(list)), make([]string, len(list))
	for i, st := range list {
		ids[i], keys[i] = st.Reference, st.Key
	}
	named, err := s.store.PaymentRecords(ctx, ids, keys)
	if err != nil {
		return nil, err
	}
	paid, err := s.store.PaidSettledBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]reconcile.Claim, 0, len(named)+len(paid))
	for _, p := range append(named, paid...) { // Compare tolerates a claim listed twice
		out = append(out, reconcile.Claim{ID: p.ClaimID, Status: p.Status, Amount: p.Amount, Key: p.Key, SettledAt: p.SettledAt})
	}
	return out, nil
}
