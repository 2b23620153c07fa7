package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/store"
)

// The budget report's last day is the ledger now: two claims reserved, one committed.
func TestBudgetReportEqualsLedger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	reserve(t, s, p.ID, "clm_rep_a", "300.00")
	reserve(t, s, p.ID, "clm_rep_b", "200.00")
	require.NoError(t, s.Commit(ctx, "clm_rep_a", sys))
	p = checkLedger(t, s, p.ID)
	days, err := s.BudgetReport(ctx, p.ID)
	require.NoError(t, err)
	require.NotEmpty(t, days)
	last := days[len(days)-1]
	requireDec(t, "300.00", last.Committed)
	requireDec(t, "200.00", last.Reserved)
	requireDec(t, "500.00", last.Available)
	requireDec(t, p.Budget.String(), last.Budget)
	requireDec(t, p.Committed.String(), last.Committed)
	committed, err := s.LedgerCommitted(ctx, p.ID)
	require.NoError(t, err)
	requireDec(t, "300.00", committed)
}

func TestSummarise(t *testing.T) {
	var ds []time.Duration
	for i := 10; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Hour)
	}
	sum := store.Summarise(ds)
	require.Equal(t, 10, sum.Count)
	require.Equal(t, 5*time.Hour, sum.Median)
	require.Equal(t, 9*time.Hour, sum.P90)
	require.Equal(t, store.Durations{}, store.Summarise(nil))
}
