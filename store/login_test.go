package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/store"
)

// requireDenied wants err to be PostgreSQL's insufficient_privilege.
func requireDenied(t *testing.T, err error, what string) {
	t.Helper()
	var pe *pgconn.PgError
	require.True(t, errors.As(err, &pe), "%s: want permission denied, got %v", what, err)
	require.Equal(t, "42501", pe.Code, "%s: %v", what, err)
}

// The app's connection is its own login role: undoing a role switch gains nothing, and the
// owner's powers (dropping the append-only trigger, truncating the log) stay out of reach.
func TestAppLoginCannotResetRoleToOwnerRights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	newProgram(t, s, "1.00")
	conn, err := s.Pool().Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()

	var user string
	var super bool
	_, err = conn.Exec(ctx, "RESET ROLE")
	require.NoError(t, err)
	require.NoError(t, conn.QueryRow(ctx,
		"SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&user, &super))
	require.Equal(t, store.AppLogin, user, "after RESET ROLE")
	require.False(t, super, "the app's login role is a superuser")

	for _, sql := range []string{
		"ALTER TABLE audit_log DISABLE TRIGGER USER",
		"TRUNCATE audit_log",
		"UPDATE audit_log SET amount = 0",
		"DELETE FROM audit_log",
		"DROP TRIGGER audit_log_no_update_delete ON audit_log",
		"SET ROLE postgres",
		"SET SESSION AUTHORIZATION postgres",
	} {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "RESET ROLE; "+sql)
			return err
		})
		requireDenied(t, err, sql)
	}
	var owner string
	require.NoError(t, s.owner(t).QueryRow(ctx, "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'").Scan(&owner))
	_, err = conn.Exec(ctx, "SET ROLE "+pgx.Identifier{owner}.Sanitize())
	requireDenied(t, err, "SET ROLE to the owner")
}

// The store refuses a connection that could rewrite the audit log: the owner's URL, which is
// what the application used before it had its own role.
func TestOpenRefusesTheOwner(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	_, err := store.Open(context.Background(), s.url)
	require.ErrorContains(t, err, "could rewrite the audit log")
}

func TestLoginURLKeepsServerAndDatabase(t *testing.T) {
	t.Parallel()
	got, err := store.AppURL("postgres://owner:secret@db.example:5433/subsidyflow?sslmode=require")
	require.NoError(t, err)
	require.Equal(t, "postgres://subsidyflow_app_login@db.example:5433/subsidyflow?sslmode=require", got)
	_, err = store.AppURL("host=db user=owner dbname=subsidyflow")
	require.ErrorContains(t, err, "give it explicitly")
}

// migrate gives a login role the password in its URL. A role of the test's own stands in for
// the app's, whose password is shared by every test database on this server.
func TestSetLoginPasswordFromURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	owner := s.owner(t)
	role := "sf_test_login_" + randSuffix()
	_, err := owner.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN")
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = owner.Exec(context.Background(), "DROP ROLE IF EXISTS "+pgx.Identifier{role}.Sanitize())
	})
	hasPassword := func() bool {
		var has bool
		require.NoError(t, owner.QueryRow(ctx, "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = $1", role).Scan(&has))
		return has
	}
	loginURL, err := store.LoginURL(s.url, role)
	require.NoError(t, err)
	require.NoError(t, store.SetLoginPassword(ctx, s.url, loginURL, role))
	require.False(t, hasPassword(), "no password in the URL: none set")

	u, err := url.Parse(loginURL)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "it's a 'secret'; DROP ROLE x")
	require.NoError(t, store.SetLoginPassword(ctx, s.url, u.String(), role))
	require.True(t, hasPassword())
}

func randSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
