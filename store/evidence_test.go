package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/store"
)

func waybill(line int, no string) store.EvidenceItem {
	return store.EvidenceItem{Line: line, Kind: "waybill", Key: "SF/" + no}
}

func invoice(line int, no string) store.EvidenceItem {
	return store.EvidenceItem{Line: line, Kind: "invoice", Key: no}
}

func TestEvidenceAllOrNonePerLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	got, err := s.ClaimEvidence(ctx, "clm_first", []store.EvidenceItem{waybill(0, "W1"), invoice(0, "I1")})
	require.NoError(t, err)
	require.Empty(t, got)

	// Line 0 shares only the invoice, line 1 is new, line 2 repeats line 1's waybill.
	items := []store.EvidenceItem{waybill(0, "W9"), invoice(0, "I1"), waybill(1, "W2"), invoice(1, "I2"), waybill(2, "W2")}
	got, err = s.ClaimEvidence(ctx, "clm_second", items)
	require.NoError(t, err)
	require.Equal(t, map[int]string{0: "clm_first", 2: "clm_second"}, got)
	held, err := s.ClaimEvidenceItems(ctx, "clm_second")
	require.NoError(t, err)
	require.Equal(t, []store.EvidenceItem{invoice(1, "I2"), waybill(1, "W2")}, held, "W9 of the refused line is not registered")

	again, err := s.ClaimEvidence(ctx, "clm_second", items)
	require.NoError(t, err)
	require.Equal(t, got, again, "re-running changes nothing")
}

func TestEvidenceReleaseAndPaid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	_, err := s.ClaimEvidence(ctx, "clm_a", []store.EvidenceItem{waybill(0, "W1")})
	require.NoError(t, err)
	require.NoError(t, s.ReleaseEvidence(ctx, "clm_a"))
	got, err := s.ClaimEvidence(ctx, "clm_b", []store.EvidenceItem{waybill(0, "W1")})
	require.NoError(t, err)
	require.Empty(t, got, "released evidence can be claimed again")

	p := newProgram(t, s, "1000.00")
	reserve(t, s, p.ID, "clm_b", "100.00")
	require.NoError(t, s.Commit(ctx, "clm_b", sys), "committing the money marks the evidence paid")
	require.NoError(t, s.ReleaseEvidence(ctx, "clm_b"), "paid evidence is not released")
	got, err = s.ClaimEvidence(ctx, "clm_c", []store.EvidenceItem{waybill(0, "W1")})
	require.NoError(t, err)
	require.Equal(t, map[int]string{0: "clm_b"}, got)
}

// An exit gives money and evidence back in one transaction, and a claim that never asked
// for money still gives its evidence back.
func TestReleaseFreesMoneyAndEvidenceTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	for _, id := range []string{"clm_held", "clm_nomoney"} {
		_, err := s.ClaimEvidence(ctx, id, []store.EvidenceItem{waybill(0, "W-"+id)})
		require.NoError(t, err)
	}
	reserve(t, s, p.ID, "clm_held", "300.00")
	for _, id := range []string{"clm_held", "clm_nomoney"} {
		_, err := s.Release(ctx, id, sys)
		require.NoError(t, err)
		held, err := s.ClaimEvidenceItems(ctx, id)
		require.NoError(t, err)
		require.Empty(t, held, id)
	}
	prg, err := s.GetProgram(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, "0.00", prg.Reserved.StringFixed(2))
}

// Many claims race for the same waybills, listed in different orders: exactly one claim
// gets each, and nobody deadlocks.
func TestEvidenceConcurrentRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	const racers = 20
	wins := make([]map[int]string, racers)
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			items := []store.EvidenceItem{waybill(0, "W1"), waybill(1, "W2")}
			if i%2 == 1 {
				items = []store.EvidenceItem{waybill(0, "W2"), waybill(1, "W1")}
			}
			wins[i], errs[i] = s.ClaimEvidence(ctx, fmt.Sprintf("clm_%02d", i), items)
		})
	}
	wg.Wait()
	winners := 0
	for i := range racers {
		require.NoError(t, errs[i])
		if len(wins[i]) == 0 {
			winners++
		} else {
			require.Len(t, wins[i], 2, "the loser loses both lines")
		}
	}
	require.Equal(t, 1, winners)
}
