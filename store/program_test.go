package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/program"
)

func TestProgramCreateGetList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "250000.00")
	require.True(t, strings.HasPrefix(p.ID, "prg_"))
	got, err := s.GetProgram(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, p.ID, got.ID)
	require.Equal(t, program.Freight, got.Kind)
	require.Equal(t, "2024-01-01", got.PeriodStart.Format("2006-01-02"))
	require.Equal(t, 5, got.Approval.DeadlineDays)
	requireDec(t, "100000", got.Approval.FourEyesThreshold)
	require.JSONEq(t, `{"rate": "0.50", "cap": "500000.00"}`, string(got.Params))
	requireDec(t, "250000", got.Available())

	q := newProgram(t, s, "0")
	all, err := s.ListPrograms(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, []string{p.ID, q.ID}, []string{all[0].ID, all[1].ID})
	checkLedger(t, s, p.ID)
	checkLedger(t, s, q.ID)

	_, err = s.GetProgram(ctx, "prg_missing")
	require.True(t, apperr.Is(err, apperr.NotFound))
}

func TestRaiseBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100.00")
	p, decided, err := s.RaiseBudget(ctx, p.ID, dec("50.25"), admin)
	require.NoError(t, err)
	require.Empty(t, decided)
	requireDec(t, "150.25", p.Budget)
	checkLedger(t, s, p.ID)

	_, _, err = s.RaiseBudget(ctx, p.ID, dec("-1"), admin)
	require.True(t, apperr.Is(err, apperr.Invalid))
	_, _, err = s.RaiseBudget(ctx, "prg_missing", dec("1"), admin)
	require.True(t, apperr.Is(err, apperr.NotFound))
}
