package checkpoint_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/checkpoint"
	"github.com/subsidyflow/subsidyflow/pgtest"
	"github.com/subsidyflow/subsidyflow/store"
)

// newStore is a migrated database of the test's own, the store logged in as the app, and a
// connection as the owner (the attacker's rights).
func newStore(t *testing.T) (*store.Store, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t, "checkpoint")
	require.NoError(t, store.Migrate(ctx, url))
	appURL, err := store.AppURL(url)
	require.NoError(t, err)
	st, err := store.Open(ctx, appURL)
	require.NoError(t, err)
	t.Cleanup(st.Close)
	owner, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { owner.Close(context.Background()) })
	return st, owner
}

func appendRows(t *testing.T, st *store.Store, n int) {
	t.Helper()
	for range n {
		require.NoError(t, st.AppendAudit(context.Background(), audit.Entry{Actor: "bank", Role: "system", Action: "payment.sent"}))
	}
}

func TestKeeperSignsOnlyWhatVerifiesAndSurvivesARestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, owner := newStore(t)
	key := newKey(t)
	file := checkpoint.File{Path: filepath.Join(t.TempDir(), "cp.jsonl")}
	k := checkpoint.NewKeeper(st, key, file)

	appendRows(t, st, 3)
	c1, err := k.Checkpoint(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(3), c1.Seq)
	same, err := k.Checkpoint(ctx)
	require.NoError(t, err)
	require.Equal(t, c1, same, "an unmoved head is not signed again")

	// A restarted process carries on from the file with the same key.
	appendRows(t, st, 2)
	k = checkpoint.NewKeeper(st, key, file)
	c2, err := k.Checkpoint(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(5), c2.Seq)
	list, err := k.List()
	require.NoError(t, err)
	require.Len(t, list, 2)
	rep, err := k.Verify(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, int64(5), rep.CheckpointSeq)

	// The owner cuts the last two rows and rewinds the head: consistent, but not what was signed.
	for _, sql := range []string{
		"ALTER TABLE audit_log DISABLE TRIGGER USER",
		"DELETE FROM audit_log WHERE seq > 3",
		"UPDATE audit_head SET last_seq = seq, last_hash = hash FROM audit_log WHERE seq = 3",
	} {
		_, err := owner.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	plain, err := st.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, plain.OK, "the chain alone cannot tell")
	rep, err = k.Verify(ctx)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, store.CheckCheckpoint, rep.Check)
	require.Equal(t, int64(4), rep.FirstBroken)

	_, err = k.Checkpoint(ctx)
	require.ErrorIs(t, err, checkpoint.ErrBroken)
	list, err = k.List()
	require.NoError(t, err)
	require.Len(t, list, 2, "nothing signed for a broken chain")

	// Only the public key and a copy of the checkpoints are needed to reach the same verdict.
	rep, err = checkpoint.VerifyWith(ctx, st, k.PublicKey(), list)
	require.NoError(t, err)
	require.False(t, rep.OK)
}

// A checkpoint the key did not sign (the file edited to match a rewritten log) fails.
func TestKeeperRefusesAForgedCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := newStore(t)
	key := newKey(t)
	file := checkpoint.File{Path: filepath.Join(t.TempDir(), "cp.jsonl")}
	k := checkpoint.NewKeeper(st, key, file)
	appendRows(t, st, 2)
	_, err := k.Checkpoint(ctx)
	require.NoError(t, err)

	forged := checkpoint.Sign(newKey(t), audit.Anchor{Seq: 1, Hash: "00"}, time.Now())
	line, err := json.Marshal(forged)
	require.NoError(t, err)
	fh, err := os.OpenFile(file.Path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = fh.Write(append(line, '\n'))
	require.NoError(t, err)
	require.NoError(t, fh.Close())

	rep, err := k.Verify(ctx)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, store.CheckCheckpoint, rep.Check)
	require.Contains(t, rep.Reason, "not signed by the audit key")
}
