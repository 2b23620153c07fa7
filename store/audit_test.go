package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
)

func TestAuditChainUnderConcurrentAppends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() {
			amt := dec(fmt.Sprintf("%d.10", i))
			details := fmt.Sprintf(`{"z": %d, "a": "x", "n": 1.50, "e": 1e2, "d": 1, "d": 2}`, i)
			errs[i] = s.AppendAudit(ctx, audit.Entry{Actor: "bank", Role: "system", Action: "payment.sent",
				ClaimID: fmt.Sprintf("clm_%d", i%5), Amount: &amt,
				Details: json.RawMessage(details)})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, int64(50), rep.Rows)
	trail, err := s.ClaimTrail(ctx, "clm_3")
	require.NoError(t, err)
	require.Len(t, trail, 10)
}

// The application's role may read and append, never rewrite.
func TestAuditAppRoleCannotUpdateOrDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	newProgram(t, s, "1.00")
	for _, sql := range []string{
		"UPDATE audit_log SET amount = 0",
		"DELETE FROM audit_log",
		"TRUNCATE audit_log",
	} {
		_, err := s.Pool().Exec(ctx, sql)
		var pe *pgconn.PgError
		require.True(t, errors.As(err, &pe), "%s: %v", sql, err)
		require.Equal(t, "42501", pe.Code, "%s: %v", sql, err)
	}
	// Even the owner is stopped by the trigger.
	_, err := s.owner(t).Exec(ctx, "UPDATE audit_log SET amount = 0")
	require.ErrorContains(t, err, "append-only")
}

func TestAuditTamperingIsDetected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	for _, id := range []string{"clm_1", "clm_2", "clm_3"} {
		reserve(t, s, p.ID, id, "100.00")
	}
	trail, err := s.ClaimTrail(ctx, "clm_2")
	require.NoError(t, err)
	target := trail[0].Seq

	owner := s.owner(t)
	_, err = owner.Exec(ctx, "ALTER TABLE audit_log DISABLE TRIGGER USER")
	require.NoError(t, err)
	_, err = owner.Exec(ctx, "UPDATE audit_log SET amount = 1.00 WHERE seq = $1", target)
	require.NoError(t, err)
	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, target, rep.FirstBroken)
	require.Contains(t, rep.Reason, "changed")

	// Cutting rows off the end is noticed through audit_head.
	_, err = owner.Exec(ctx, "UPDATE audit_log SET amount = 100.00 WHERE seq = $1", target)
	require.NoError(t, err)
	_, err = owner.Exec(ctx, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
	require.NoError(t, err)
	rep, err = s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.False(t, rep.OK, "%+v", rep)
	require.Contains(t, rep.Reason, "head")
}
