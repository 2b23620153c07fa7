package store_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

// TestReadOnlyPreviews covers the two reads a dry run makes: who holds evidence, and what
// the ledger would say. Both must change nothing.
func TestReadOnlyPreviews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)

	_, err := s.ClaimEvidence(ctx, "clm_holder", []store.EvidenceItem{waybill(0, "W1"), invoice(0, "I1")})
	require.NoError(t, err)
	_, err = s.ClaimEvidence(ctx, "clm_gone", []store.EvidenceItem{waybill(0, "W5")})
	require.NoError(t, err)
	require.NoError(t, s.ReleaseEvidence(ctx, "clm_gone"))

	// Line 0 shares only the invoice, line 1 is new, line 2 reuses released evidence.
	items := []store.EvidenceItem{waybill(0, "W9"), invoice(0, "I1"), waybill(1, "W2"), invoice(1, "I2"), waybill(2, "W5")}
	got, err := s.EvidenceHolders(ctx, items)
	require.NoError(t, err)
	require.Equal(t, map[int]string{0: "clm_holder"}, got)
	none, err := s.EvidenceHolders(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, none)
	var evidence int
	require.NoError(t, s.owner(t).QueryRow(ctx, "SELECT count(*) FROM evidence").Scan(&evidence))
	require.Equal(t, 3, evidence, "nothing registered")

	p := newProgram(t, s, "1000.00")
	capped := func(claim, cc, requested string) {
		_, err := s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: claim, CreditCode: cc,
			Requested: dec(requested), Cap: dec("500.00"), Meta: sys})
		require.NoError(t, err)
	}
	capped("clm_a1", "CC-A", "300.00")
	capped("clm_a2", "CC-A", "100.00")
	require.NoError(t, s.Commit(ctx, "clm_a2", sys))
	capped("clm_b1", "CC-B", "500.00")
	capped("clm_c1", "CC-C", "200.00") // 1000 − 900 leaves 100: it waits
	before := checkLedger(t, s, p.ID)

	o, err := s.BudgetOutlook(ctx, p.ID, "CC-A")
	require.NoError(t, err)
	requireDec(t, "400.00", o.Held, "reserved 300 + committed 100")
	requireDec(t, "100.00", o.Available)
	require.Equal(t, 1, o.Queued)
	o, err = s.BudgetOutlook(ctx, p.ID, "CC-NEW")
	require.NoError(t, err)
	require.True(t, o.Held.Equal(decimal.Zero))
	_, err = s.BudgetOutlook(ctx, "prg_missing", "CC-A")
	require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)

	after := checkLedger(t, s, p.ID)
	require.Equal(t, before, after, "reading changes nothing")
}
