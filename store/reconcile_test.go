package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
)

// payClaim moves a stored claim to status with the payment JSON the workflow writes.
func payClaim(t *testing.T, s testDB, id string, status claim.Status, amount string, settledAt *time.Time) {
	t.Helper()
	a := dec(amount)
	p, err := json.Marshal(map[string]any{"key": id + "/pay/1", "attempt": 1, "bank_ref": "B-" + id,
		"state": "settled", "settled_at": settledAt})
	require.NoError(t, err)
	_, err = s.ApplyClaimChange(context.Background(), store.ClaimChange{ID: id, Step: 1, Status: status,
		Action: "claim." + string(status), Amount: &a, Payment: p}, sys)
	require.NoError(t, err)
}

func TestPaymentRecordsForReconciliation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	day := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := day.Add(d); return &x }
	for _, id := range []string{"clm_midnight", "clm_noon", "clm_before", "clm_next", "clm_sending", "clm_new"} {
		newClaim(t, s, p.ID, id, "CC1")
	}
	payClaim(t, s, "clm_noon", claim.Paid, "20.00", at(12*time.Hour))
	payClaim(t, s, "clm_midnight", claim.Paid, "10.00", at(0))
	payClaim(t, s, "clm_before", claim.Paid, "30.00", at(-time.Microsecond))
	payClaim(t, s, "clm_next", claim.Paid, "40.00", at(24*time.Hour))
	payClaim(t, s, "clm_sending", claim.Disbursing, "50.00", nil)

	got, err := s.PaidSettledBetween(ctx, day, day.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, got, 2, "the day includes its midnight and excludes the next")
	require.Equal(t, "clm_midnight", got[0].ClaimID, "oldest first")
	require.Equal(t, "clm_noon", got[1].ClaimID)
	noon := got[1]
	require.Equal(t, claim.Paid, noon.Status)
	requireDec(t, "20.00", *noon.Amount)
	require.Equal(t, "clm_noon/pay/1", noon.Key)
	require.Equal(t, "B-clm_noon", noon.BankRef)
	require.True(t, noon.SettledAt.Equal(*at(12 * time.Hour)))
	require.Equal(t, time.UTC, noon.SettledAt.Location())

	named, err := s.PaymentRecords(ctx, []string{"clm_sending", "clm_new", "clm_missing"}, []string{"clm_before/pay/1", "nope"})
	require.NoError(t, err)
	require.Len(t, named, 3)
	byID := map[string]store.PaymentRecord{}
	for _, r := range named {
		byID[r.ClaimID] = r
	}
	require.Equal(t, claim.Disbursing, byID["clm_sending"].Status)
	require.Equal(t, "clm_sending/pay/1", byID["clm_sending"].Key)
	require.Nil(t, byID["clm_sending"].SettledAt)
	require.Nil(t, byID["clm_new"].Amount)
	require.Empty(t, byID["clm_new"].Key)
	require.Equal(t, claim.Paid, byID["clm_before"].Status, "found by its payment key")

	none, err := s.PaymentRecords(ctx, nil, nil)
	require.NoError(t, err)
	require.Empty(t, none)
}
