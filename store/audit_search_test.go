package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/store"
)

// The auditor's desk searches the log by claim, actor, action prefix and time, pages it
// newest first, and verifies a range of seqs, naming the first row that was changed.
func TestAuditSearchAndRangeVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 12 {
		action := "payment.sent"
		if i%3 == 0 {
			action = "claim.filed"
		}
		require.NoError(t, s.AppendAudit(ctx, audit.Entry{At: base.Add(time.Duration(i) * time.Hour),
			Actor: fmt.Sprintf("actor%d", i%2), Role: "system", Action: action,
			ClaimID: fmt.Sprintf("clm_%d", i%4), Details: json.RawMessage(`{}`)}))
	}

	all, next, err := s.SearchAudit(ctx, store.AuditFilter{})
	require.NoError(t, err)
	require.Len(t, all, 12)
	require.Empty(t, next)
	require.Equal(t, int64(12), all[0].Seq, "newest first")

	byClaim, _, err := s.SearchAudit(ctx, store.AuditFilter{ClaimID: "clm_1"})
	require.NoError(t, err)
	require.Len(t, byClaim, 3)
	for _, e := range byClaim {
		require.Equal(t, "clm_1", e.ClaimID)
	}
	byActor, _, err := s.SearchAudit(ctx, store.AuditFilter{Actor: "actor1"})
	require.NoError(t, err)
	require.Len(t, byActor, 6)
	byAction, _, err := s.SearchAudit(ctx, store.AuditFilter{Action: "claim"})
	require.NoError(t, err)
	require.Len(t, byAction, 4)
	byTime, _, err := s.SearchAudit(ctx, store.AuditFilter{From: base.Add(2 * time.Hour), To: base.Add(5 * time.Hour)})
	require.NoError(t, err)
	require.Len(t, byTime, 3, "from inclusive, to exclusive")
	require.Equal(t, []int64{5, 4, 3}, []int64{byTime[0].Seq, byTime[1].Seq, byTime[2].Seq})

	page1, cursor, err := s.SearchAudit(ctx, store.AuditFilter{Limit: 5})
	require.NoError(t, err)
	require.Len(t, page1, 5)
	require.Equal(t, "8", cursor)
	page2, _, err := s.SearchAudit(ctx, store.AuditFilter{Limit: 5, Before: 8})
	require.NoError(t, err)
	require.Equal(t, int64(7), page2[0].Seq)

	h, err := s.AuditHead(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(12), h.Seq)
	require.Equal(t, all[0].Hash, h.Hash)

	rep, err := s.VerifyAuditRange(ctx, 3, 9)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, int64(7), rep.Rows)

	owner := s.owner(t)
	untrigger(t, owner)
	_, err = owner.Exec(ctx, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 6")
	require.NoError(t, err)

	rep, err = s.VerifyAuditRange(ctx, 3, 9)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, int64(6), rep.FirstBroken)
	require.Equal(t, int64(3), rep.Rows)
	require.Contains(t, rep.Reason, "changed")

	rep, err = s.VerifyAuditRange(ctx, 1, 5)
	require.NoError(t, err)
	require.True(t, rep.OK, "rows before the change still verify: %+v", rep)
	rep, err = s.VerifyAuditRange(ctx, 8, 0)
	require.NoError(t, err)
	require.True(t, rep.OK, "rows after it chain from the stored hash: %+v", rep)
	require.Equal(t, int64(5), rep.Rows)
}
