package checkpoint_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/checkpoint"
)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return key
}

func TestSignatureCoversSeqHashAndTime(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	pub := key.Public().(ed25519.PublicKey)
	c := checkpoint.Sign(key, audit.Anchor{Seq: 42, Hash: "ab12"}, time.Date(2024, 3, 1, 8, 0, 0, 123456789, time.UTC))
	require.True(t, c.Valid(pub))
	for name, change := range map[string]func(*checkpoint.Checkpoint){
		"seq":       func(c *checkpoint.Checkpoint) { c.Seq++ },
		"hash":      func(c *checkpoint.Checkpoint) { c.Hash = "ab13" },
		"time":      func(c *checkpoint.Checkpoint) { c.At = c.At.Add(time.Microsecond) },
		"signature": func(c *checkpoint.Checkpoint) { c.Signature = "AAAA" + c.Signature[4:] },
	} {
		changed := c
		change(&changed)
		require.False(t, changed.Valid(pub), "a changed %s still verifies", name)
	}
	require.False(t, c.Valid(newKey(t).Public().(ed25519.PublicKey)), "another key verifies it")
}

func TestFileKeepsCheckpointsAndSkipsATornLastLine(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	f := checkpoint.File{Path: filepath.Join(t.TempDir(), "sub", "cp.jsonl")}
	list, err := f.ReadAll()
	require.NoError(t, err)
	require.Empty(t, list, "no file yet")
	at := time.Now()
	for i := range 3 {
		require.NoError(t, f.Append(checkpoint.Sign(key, audit.Anchor{Seq: int64(i + 1), Hash: "h"}, at)))
	}
	fh, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = fh.WriteString(`{"seq":4,"ha`) // a crash in the middle of a write
	require.NoError(t, err)
	require.NoError(t, fh.Close())
	list, err = f.ReadAll()
	require.NoError(t, err)
	require.Len(t, list, 3)
	require.True(t, list[2].Valid(key.Public().(ed25519.PublicKey)), "a checkpoint read back still verifies")

	require.NoError(t, os.WriteFile(f.Path, []byte("{\"seq\":1}\nnot json\n"), 0o644))
	_, err = f.ReadAll()
	require.ErrorContains(t, err, "line 2")
}

// dev keeps its key across restarts, so the checkpoints it signed still verify.
func TestLoadOrCreateKeyKeepsTheKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "audit-signing.key")
	k1, err := checkpoint.LoadOrCreateKey(path)
	require.NoError(t, err)
	k2, err := checkpoint.LoadOrCreateKey(path)
	require.NoError(t, err)
	require.True(t, k1.Equal(k2))
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "not base64!", "c2hvcnQ="} {
		_, err := checkpoint.ParseKey(bad)
		require.Error(t, err, "%q", bad)
	}
	key, err := checkpoint.ParseKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	require.NoError(t, err)
	pub, err := checkpoint.ParsePublicKey(checkpoint.PublicKeyString(key))
	require.NoError(t, err)
	require.True(t, pub.Equal(key.Public()))
}
