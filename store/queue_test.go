package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

func TestReleaseAllocatesQueueHead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "3000.00")
	for _, id := range []string{"clm_1", "clm_2", "clm_3"} {
		require.Equal(t, store.Reserved, reserve(t, s, p.ID, id, "1000.00").Outcome)
	}
	require.Equal(t, 1, reserve(t, s, p.ID, "clm_4", "1000.00").Position)
	require.Equal(t, 2, reserve(t, s, p.ID, "clm_5", "1000.00").Position)

	decided, err := s.Release(ctx, "clm_2", sys)
	require.NoError(t, err)
	require.Equal(t, []string{"clm_4"}, decided)
	r, err := s.Reservation(ctx, "clm_5")
	require.NoError(t, err)
	require.Equal(t, store.StateWaiting, r.State)
	require.Equal(t, 1, r.Position)
	require.Equal(t, store.Reserved, reserve(t, s, p.ID, "clm_4", "1000.00").Outcome)
	checkLedger(t, s, p.ID)
}

func TestRaiseBudgetAllocatesInFIFOOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	reserve(t, s, p.ID, "clm_a", "1000.00")
	reserve(t, s, p.ID, "clm_b", "300.00")
	reserve(t, s, p.ID, "clm_c", "400.00")
	reserve(t, s, p.ID, "clm_d", "900.00")
	reserve(t, s, p.ID, "clm_e", "100.00")

	p, decided, err := s.RaiseBudget(ctx, p.ID, dec("1000.00"), admin)
	require.NoError(t, err)
	require.Equal(t, []string{"clm_b", "clm_c"}, decided, "d does not fit, so e must wait behind it")
	requireDec(t, "2000.00", p.Budget)
	requireDec(t, "1700.00", p.Reserved)
	r, err := s.Reservation(ctx, "clm_e")
	require.NoError(t, err)
	require.Equal(t, 2, r.Position)
	checkLedger(t, s, p.ID)
}

func TestLaterClaimNeverJumpsAWaitingOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	reserve(t, s, p.ID, "clm_a", "800.00")
	require.Equal(t, store.Waiting, reserve(t, s, p.ID, "clm_big", "500.00").Outcome)
	small := reserve(t, s, p.ID, "clm_small", "100.00")
	require.Equal(t, store.Waiting, small.Outcome, "200.00 is available but clm_big is ahead")
	require.Equal(t, 2, small.Position)

	// Withdrawing the head lets the queue move on.
	decided, err := s.Release(ctx, "clm_big", sys)
	require.NoError(t, err)
	require.Equal(t, []string{"clm_small"}, decided)
	checkLedger(t, s, p.ID)
}

func TestQueueRefusesHeadWhoseCapIsUsedUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	req := func(claim, code, amount, limit string) store.ReserveResult {
		res, err := s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: claim,
			CreditCode: code, Requested: dec(amount), Cap: dec(limit), Meta: sys})
		require.NoError(t, err)
		return res
	}
	// A's cap leaves room for one of its two waiting claims, not both.
	req("clm_1", "A", "1000.00", "1500.00")
	require.Equal(t, store.Waiting, req("clm_2", "A", "500.00", "1500.00").Outcome)
	require.Equal(t, store.Waiting, req("clm_3", "A", "500.00", "1500.00").Outcome)
	require.Equal(t, store.Waiting, req("clm_4", "B", "500.00", "1500.00").Outcome)
	_, decided, err := s.RaiseBudget(ctx, p.ID, dec("1000.00"), admin)
	require.NoError(t, err)
	require.Equal(t, []string{"clm_2", "clm_3", "clm_4"}, decided)
	require.Equal(t, store.Reserved, req("clm_2", "A", "500.00", "1500.00").Outcome)
	require.Equal(t, store.CapExhausted, req("clm_3", "A", "500.00", "1500.00").Outcome)
	require.Equal(t, store.Reserved, req("clm_4", "B", "500.00", "1500.00").Outcome)
	checkLedger(t, s, p.ID)
}

func TestShrinkReleasesTheDifference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "20000.00")
	reserve(t, s, p.ID, "clm_voucher", "20000.00")
	require.Equal(t, store.Waiting, reserve(t, s, p.ID, "clm_next", "5000.00").Outcome)
	for range 2 {
		decided, err := s.Shrink(ctx, "clm_voucher", dec("12000.00"), sys)
		require.NoError(t, err)
		if decided != nil {
			require.Equal(t, []string{"clm_next"}, decided)
		}
	}
	r, err := s.Reservation(ctx, "clm_voucher")
	require.NoError(t, err)
	requireDec(t, "12000", r.Amount)
	_, err = s.Shrink(ctx, "clm_voucher", dec("13000.00"), sys)
	require.True(t, apperr.Is(err, apperr.Conflict))
	p = checkLedger(t, s, p.ID)
	requireDec(t, "17000", p.Reserved)
	// Committing and releasing use the shrunk amount.
	require.NoError(t, s.Commit(ctx, "clm_voucher", sys))
	_, err = s.Release(ctx, "clm_next", sys)
	require.NoError(t, err)
	p = checkLedger(t, s, p.ID)
	requireDec(t, "12000", p.Committed)
	requireDec(t, "0", p.Reserved)
}
