package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/store"
)

// The tampering below needs the owner's rights (superuser here): what someone holding the
// database's credentials can do and what checkpoints kept outside it must catch.

// auditRows writes n claims' reservations, an audit row each (and more for the program).
func auditRows(t *testing.T, s testDB, programID, prefix string, n int) {
	t.Helper()
	for i := range n {
		reserve(t, s, programID, fmt.Sprintf("clm_%s_%d", prefix, i), "1.00")
	}
}

// head returns the current head as an anchor, checking the whole chain on the way.
func head(t *testing.T, s testDB) audit.Anchor {
	t.Helper()
	rep, h, err := s.VerifyAuditSince(context.Background(), audit.Anchor{})
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	return h
}

// untrigger lets the owner rewrite the log, as any owner can.
func untrigger(t *testing.T, owner *pgx.Conn) {
	t.Helper()
	_, err := owner.Exec(context.Background(), "ALTER TABLE audit_log DISABLE TRIGGER USER")
	require.NoError(t, err)
}

// rehashFrom recomputes the hash of every row from seq on, and the head, as an attacker who
// edited row seq would.
func rehashFrom(t *testing.T, owner *pgx.Conn, seq int64) {
	t.Helper()
	ctx := context.Background()
	var prev string
	require.NoError(t, owner.QueryRow(ctx, "SELECT prev_hash FROM audit_log WHERE seq = $1", seq).Scan(&prev))
	rows, err := owner.Query(ctx, `SELECT seq, at, actor, role, action, COALESCE(claim_id, ''),
		COALESCE(program_id, ''), amount::text, details, workflow_id, run_id
		FROM audit_log WHERE seq >= $1 ORDER BY seq`, seq)
	require.NoError(t, err)
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Entry, error) {
		var e audit.Entry
		var amount *string
		err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Role, &e.Action, &e.ClaimID, &e.ProgramID,
			&amount, &e.Details, &e.WorkflowID, &e.RunID)
		if amount != nil {
			d := decimal.RequireFromString(*amount)
			e.Amount = &d
		}
		return e, err
	})
	require.NoError(t, err)
	for _, e := range entries {
		e.PrevHash = prev
		e.Hash = audit.ComputeHash(prev, e)
		_, err := owner.Exec(ctx, "UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE seq = $1", e.Seq, e.PrevHash, e.Hash)
		require.NoError(t, err)
		prev = e.Hash
	}
	_, err = owner.Exec(ctx, "UPDATE audit_head SET last_hash = $1", prev)
	require.NoError(t, err)
}

// Cutting rows off the end and rewinding the head leaves a consistent chain; the checkpoint
// taken before still records the rows that are gone.
func TestAuditTruncatedTailAndRewoundHeadFailCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100.00")
	auditRows(t, s, p.ID, "a", 3)
	early := head(t, s)
	auditRows(t, s, p.ID, "b", 3)
	latest := head(t, s)
	keep := early.Seq + 1

	owner := s.owner(t)
	untrigger(t, owner)
	_, err := owner.Exec(ctx, "DELETE FROM audit_log WHERE seq > $1", keep)
	require.NoError(t, err)
	_, err = owner.Exec(ctx, "UPDATE audit_head SET last_seq = seq, last_hash = hash FROM audit_log WHERE seq = $1", keep)
	require.NoError(t, err)

	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "without a checkpoint the rewound chain passes (the finding): %+v", rep)

	rep, err = s.VerifyAuditAgainst(ctx, []audit.Anchor{early, latest})
	require.NoError(t, err)
	require.False(t, rep.OK, "%+v", rep)
	require.Equal(t, store.CheckCheckpoint, rep.Check)
	require.Equal(t, keep+1, rep.FirstBroken)
	require.Equal(t, latest.Seq, rep.CheckpointSeq)
	require.Contains(t, rep.Reason, "removed from the end")

	rep, _, err = s.VerifyAuditSince(ctx, latest)
	require.NoError(t, err)
	require.False(t, rep.OK, "the checkpointer must not sign a rewound head: %+v", rep)
}

// Editing a row and recomputing every hash after it (and the head) leaves a consistent chain;
// the hash at the checkpoint's seq no longer matches, which places the edit after the last
// checkpoint that still agrees.
func TestAuditRehashedRowFailsCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100.00")
	auditRows(t, s, p.ID, "a", 2)
	early := head(t, s)
	auditRows(t, s, p.ID, "b", 2)
	latest := head(t, s)
	auditRows(t, s, p.ID, "c", 2) // rows after the latest checkpoint, rehashed too
	edited := early.Seq + 2

	owner := s.owner(t)
	untrigger(t, owner)
	_, err := owner.Exec(ctx, "UPDATE audit_log SET amount = 99.00, actor = 'mallory' WHERE seq = $1", edited)
	require.NoError(t, err)
	rehashFrom(t, owner, edited)

	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "without a checkpoint the rehashed chain passes (the finding): %+v", rep)

	rep, err = s.VerifyAuditAgainst(ctx, []audit.Anchor{latest, early})
	require.NoError(t, err)
	require.False(t, rep.OK, "%+v", rep)
	require.Equal(t, store.CheckCheckpoint, rep.Check)
	require.Equal(t, early.Seq+1, rep.FirstBroken, "the edit lies after the last checkpoint that agrees")
	require.Contains(t, rep.Reason, "rewritten")

	rep, _, err = s.VerifyAuditSince(ctx, latest)
	require.NoError(t, err)
	require.False(t, rep.OK, "the checkpointer must not sign a rehashed chain: %+v", rep)
}

// A chain that only grew since the checkpoints verifies, and the checkpointer's incremental
// check returns the new head.
func TestAuditGrownChainPassesCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "100.00")
	auditRows(t, s, p.ID, "a", 2)
	early := head(t, s)
	auditRows(t, s, p.ID, "b", 3)
	latest := head(t, s)
	auditRows(t, s, p.ID, "c", 2)

	rep, err := s.VerifyAuditAgainst(ctx, []audit.Anchor{early, latest})
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, latest.Seq, rep.CheckpointSeq)
	require.Equal(t, latest.Seq+2, rep.Rows)

	rep, now, err := s.VerifyAuditSince(ctx, latest)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, int64(2), rep.Rows, "only the rows since the checkpoint are read")
	require.Equal(t, latest.Seq+2, now.Seq)
	require.Equal(t, head(t, s).Hash, now.Hash)
}
