package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

// 200 claims of 1000.00 race for a budget of 100000.00: exactly 100 get money, the other
// 100 wait, and the invariants hold.
func TestReserveConcurrentNeverOverBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100000.00")
	results := make([]store.ReserveResult, 200)
	errs := make([]error, 200)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			id := fmt.Sprintf("clm_race_%03d", i)
			results[i], errs[i] = s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: id,
				CreditCode: "cc-" + id, Requested: dec("1000.00"), Cap: store.NoCap, Meta: sys})
		})
	}
	wg.Wait()
	count := map[store.Outcome]int{}
	positions := map[int]bool{}
	for i, r := range results {
		require.NoError(t, errs[i])
		count[r.Outcome]++
		if r.Outcome == store.Waiting {
			positions[r.Position] = true
		}
	}
	require.Equal(t, 100, count[store.Reserved])
	require.Equal(t, 100, count[store.Waiting])
	require.Len(t, positions, 100, "every waiting claim has its own place")
	require.True(t, positions[1] && positions[100])
	p = checkLedger(t, s, p.ID)
	requireDec(t, "100000.00", p.Reserved)
}

func TestReserveIsIdempotent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	first := reserve(t, s, p.ID, "clm_a", "600.00")
	again := reserve(t, s, p.ID, "clm_a", "600.00")
	require.Equal(t, store.Reserved, first.Outcome)
	require.Equal(t, first, again)
	w1 := reserve(t, s, p.ID, "clm_b", "600.00")
	w2 := reserve(t, s, p.ID, "clm_b", "600.00")
	require.Equal(t, store.Waiting, w1.Outcome)
	require.Equal(t, 1, w1.Position)
	require.Equal(t, w1, w2, "a waiting claim keeps its place")
	p = checkLedger(t, s, p.ID)
	requireDec(t, "600", p.Reserved)
}

func TestReserveCapPerCreditCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "10000000.00")
	req := func(claim, amount string) store.ReserveResult {
		res, err := s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: claim,
			CreditCode: "91540000MA6T000001", Requested: dec(amount), Cap: dec("500000.00"), Meta: sys})
		require.NoError(t, err)
		return res
	}
	first := req("clm_cap1", "300000.00")
	require.Equal(t, store.Reserved, first.Outcome)
	require.False(t, first.Capped)
	second := req("clm_cap2", "300000.00")
	require.Equal(t, store.Reserved, second.Outcome)
	require.True(t, second.Capped)
	requireDec(t, "200000.00", second.Amount)
	third := req("clm_cap3", "1.00")
	require.Equal(t, store.CapExhausted, third.Outcome)
	require.Equal(t, third, req("clm_cap3", "1.00"), "refusal is remembered")
	r, err := s.Reservation(ctx, "clm_cap3")
	require.NoError(t, err)
	require.Equal(t, store.StateRefused, r.State)
	checkLedger(t, s, p.ID)
}

func TestCommitAndReleaseAreIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "5000.00")
	reserve(t, s, p.ID, "clm_pay", "1000.00")
	reserve(t, s, p.ID, "clm_drop", "2000.00")

	require.NoError(t, s.Commit(ctx, "clm_pay", sys))
	require.NoError(t, s.Commit(ctx, "clm_pay", sys))
	_, err := s.Release(ctx, "clm_pay", sys)
	require.True(t, apperr.Is(err, apperr.Conflict), "paid money cannot be released: %v", err)

	for range 2 {
		decided, err := s.Release(ctx, "clm_drop", sys)
		require.NoError(t, err)
		require.Empty(t, decided)
	}
	require.True(t, apperr.Is(s.Commit(ctx, "clm_drop", sys), apperr.Conflict))
	decided, err := s.Release(ctx, "clm_never", sys)
	require.NoError(t, err)
	require.Empty(t, decided)
	require.True(t, apperr.Is(s.Commit(ctx, "clm_never", sys), apperr.NotFound))

	p = checkLedger(t, s, p.ID)
	requireDec(t, "0", p.Reserved)
	requireDec(t, "1000", p.Committed)
	r, err := s.Reservation(ctx, "clm_drop")
	require.NoError(t, err)
	require.Equal(t, store.StateReleased, r.State)
	_, err = s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: "clm_drop", CreditCode: "x",
		Requested: dec("1"), Cap: store.NoCap, Meta: sys})
	require.True(t, apperr.Is(err, apperr.Conflict), "a released claim cannot reserve again: %v", err)
}

func TestReserveRefusesBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	_, err := s.Reserve(ctx, store.ReserveRequest{ProgramID: "prg_none", ClaimID: "c", CreditCode: "x",
		Requested: dec("1"), Cap: store.NoCap, Meta: sys})
	require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	_, err = s.Reserve(ctx, store.ReserveRequest{ProgramID: "prg_none", ClaimID: "c", CreditCode: "x",
		Requested: dec("0"), Cap: store.NoCap, Meta: sys})
	require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
}
