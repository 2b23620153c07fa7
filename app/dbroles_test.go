package app_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/app"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

func requireDenied(t *testing.T, err error, what string) {
	t.Helper()
	var pe *pgconn.PgError
	require.True(t, errors.As(err, &pe), "%s: want permission denied, got %v", what, err)
	require.Equal(t, "42501", pe.Code, "%s: %v", what, err)
}

// The application and the simulated bank log in as roles of their own, neither a superuser,
// and each is kept out of the other's tables.
func TestAppAndBankLogInAsTheirOwnRoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := app.Config{}.WithDatabase(pgtest.NewDatabase(t, "roles"))
	require.NoError(t, err)
	require.NoError(t, app.Migrate(ctx, cfg))
	parts, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(parts.Close)
	appPool, bankPool := parts.Store.Pool(), parts.BankPool

	for name, want := range map[string]string{"app": "subsidyflow_app_login", "bank": "subsidyflow_bank_login"} {
		pool := appPool
		if name == "bank" {
			pool = bankPool
		}
		var user string
		var super bool
		require.NoError(t, pool.QueryRow(ctx,
			"SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user").Scan(&user, &super))
		require.Equal(t, want, user, name)
		require.False(t, super, "%s logs in as a superuser", name)
	}

	for _, sql := range []string{
		"SELECT count(*) FROM claims",
		"SELECT count(*) FROM audit_log",
		"SELECT count(*) FROM api_tokens",
		"UPDATE audit_head SET last_seq = 0",
	} {
		_, err := bankPool.Exec(ctx, sql)
		requireDenied(t, err, "bank: "+sql)
	}
	for _, sql := range []string{
		"SELECT count(*) FROM banksim.payments",
		"UPDATE banksim.payments SET state = 'settled'",
	} {
		_, err := appPool.Exec(ctx, sql)
		requireDenied(t, err, "app: "+sql)
	}
	var n int
	require.NoError(t, bankPool.QueryRow(ctx, "SELECT count(*) FROM banksim.payments").Scan(&n), "the bank reads its own books")
	_, err = bankPool.Exec(ctx, "DELETE FROM banksim.payments")
	requireDenied(t, err, "bank: DELETE its own payments")
}

// Given the owner's URL for the app or the bank, the process refuses to start rather than
// run with rights that could rewrite the audit log.
func TestOpenRefusesOwnerURLs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := app.Config{}.WithDatabase(pgtest.NewDatabase(t, "roles"))
	require.NoError(t, err)
	require.NoError(t, app.Migrate(ctx, cfg))
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	asOwner := cfg
	asOwner.AppDatabaseURL = cfg.DatabaseURL
	_, err = app.Open(ctx, asOwner, logger)
	require.ErrorContains(t, err, "could rewrite the audit log")

	asOwner = cfg
	asOwner.BankDatabaseURL = cfg.DatabaseURL
	_, err = app.Open(ctx, asOwner, logger)
	require.ErrorContains(t, err, "superuser")
}

// The api will not run without the signing key: checkpoints signed with a key nobody keeps
// could not be checked by the auditors.
func TestAPIRequiresTheSigningKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := app.Config{}.WithDatabase(pgtest.NewDatabase(t, "roles"))
	require.NoError(t, err)
	require.NoError(t, app.Migrate(ctx, cfg))
	parts, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(parts.Close)
	require.ErrorContains(t, parts.KeepCheckpoints(cfg, false), "AUDIT_SIGNING_KEY is required")
	cfg.AuditSigningKey = "too short"
	require.ErrorContains(t, parts.KeepCheckpoints(cfg, false), "AUDIT_SIGNING_KEY")
	cfg.DataDir = t.TempDir()
	cfg.AuditSigningKey = ""
	require.NoError(t, parts.KeepCheckpoints(cfg, true), "dev makes a key of its own")
}

// An auditor with a copy of the checkpoints and the public key reaches the verdict without
// the signing key; checkpoints signed by another key do not count.
func TestAuditorVerifiesWithThePublicKeyAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := app.Config{DataDir: t.TempDir()}.WithDatabase(pgtest.NewDatabase(t, "roles"))
	require.NoError(t, err)
	cfg.CheckpointFile = filepath.Join(cfg.DataDir, "cp.jsonl")
	require.NoError(t, app.Migrate(ctx, cfg))
	parts, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(parts.Close)
	require.NoError(t, parts.KeepCheckpoints(cfg, true))
	require.NoError(t, parts.Store.AppendAudit(ctx, audit.Entry{Actor: "bank", Role: "system", Action: "payment.sent"}))
	_, err = parts.Checkpoints.Checkpoint(ctx)
	require.NoError(t, err)

	pub := base64.StdEncoding.EncodeToString(parts.Checkpoints.PublicKey())
	rep, err := app.VerifyAudit(ctx, cfg, pub, cfg.CheckpointFile)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)
	require.Equal(t, int64(1), rep.CheckpointSeq)

	other := make([]byte, 32)
	rep, err = app.VerifyAudit(ctx, cfg, base64.StdEncoding.EncodeToString(ed25519.NewKeyFromSeed(other).Public().(ed25519.PublicKey)), cfg.CheckpointFile)
	require.NoError(t, err)
	require.False(t, rep.OK, "checkpoints under another key vouch for nothing")
}
