package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/store"
)

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func TestLPRTableMirrorsThePublishedFile(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	got, err := s.LPRTable(context.Background())
	require.NoError(t, err)
	want := lpr.Published()
	require.Len(t, got, len(want))
	for i := range want {
		require.True(t, want[i].Effective.Equal(got[i].Effective), "row %d", i)
		require.True(t, want[i].Rate.Equal(got[i].Rate), "row %d: %s vs %s", i, want[i].Rate, got[i].Rate)
		require.Equal(t, want[i].Percent(), got[i].Percent(), "row %d", i)
	}
}

func TestAddLPRFixing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	today := day("2025-06-01")
	f := lpr.Fixing{Effective: day("2025-06-20"), Rate: decimal.RequireFromString("0.0295")}
	tab, err := s.AddLPRFixing(ctx, f, today, admin)
	require.NoError(t, err)
	require.Equal(t, "2025-06-20", tab[len(tab)-1].Effective.Format(time.DateOnly))
	_, err = s.AddLPRFixing(ctx, f, today, admin) // the same again changes nothing
	require.NoError(t, err)

	_, err = s.AddLPRFixing(ctx, lpr.Fixing{Effective: day("2024-07-22"), Rate: decimal.RequireFromString("0.04")}, today, admin)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.Invalid, ae.Code)
	require.Contains(t, ae.Fields["effective_date"], "in force")

	stored, err := s.LPRTable(ctx)
	require.NoError(t, err)
	require.Len(t, stored, len(lpr.Published())+1)
}

func TestLoanRegisteredOnceAndChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100.00")
	l := store.Loan{ID: "loan_a", ProgramID: p.ID, Borrower: "B", Lender: "L", ContractKey: "L/HT-1",
		Loan: json.RawMessage(`{"contract_no":"HT-1"}`), Status: "active", WorkflowID: "loan/loan_a", CreatedBy: "bank"}
	require.NoError(t, s.InsertLoan(ctx, l, sys))
	l2 := l
	l2.ID = "loan_b"
	err := s.InsertLoan(ctx, l2, sys)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.Conflict, ae.Code)
	require.Equal(t, "loan_a", ae.Extra["loan_id"])

	ch := store.LoanChange{ID: "loan_a", Step: 1, Status: "active", Periods: json.RawMessage(`[{"index":0}]`),
		Escalated: true, Action: "loan.report_overdue"}
	applied, err := s.ApplyLoanChange(ctx, ch, sys)
	require.NoError(t, err)
	require.True(t, applied)
	applied, err = s.ApplyLoanChange(ctx, ch, sys)
	require.NoError(t, err)
	require.False(t, applied, "a retried step is applied once")
	got, err := s.GetLoan(ctx, "loan_a")
	require.NoError(t, err)
	require.True(t, got.Escalated)
	require.JSONEq(t, `[{"index":0}]`, string(got.Periods))

	list, err := s.ListLoans(ctx, store.LoanFilter{Lender: "L"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	list, err = s.ListLoans(ctx, store.LoanFilter{Borrower: "X"})
	require.NoError(t, err)
	require.Empty(t, list)
	require.NoError(t, s.DeleteLoan(ctx, "loan_a", sys)) // touched: step 1, stays
	_, err = s.GetLoan(ctx, "loan_a")
	require.NoError(t, err)
}
