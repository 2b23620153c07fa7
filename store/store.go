// Package store is subsidyflow's PostgreSQL system of record: the enterprise registry,
// programs and their budget ledger, the claims read model, evidence, API tokens,
// idempotency keys and the hash-chained audit log.
//
// Every query is written against dbtx so it runs inside or outside a transaction; every
// public method that writes runs in one transaction (WithTx) that also appends its audit
// rows, so a change and its audit row are committed together or not at all. Domain failures
// come back as apperr errors (NotFound, Conflict, Invalid); anything else is internal.
package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"

	pgxdecimal "github.com/jackc/pgx-shopspring-decimal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/pii"
)

// AppRole is the role holding the application's grants: everything it needs except UPDATE,
// DELETE and TRUNCATE on audit_log. Nobody logs in as it.
const AppRole = "subsidyflow_app"

// AppLogin is the role the application logs in as (migration 0010): a member of AppRole and
// nothing else, so neither RESET ROLE nor SET ROLE leads to more rights than AppRole's.
const AppLogin = "subsidyflow_app_login"

// Store holds the connection pool.
type Store struct {
	pool *pgxpool.Pool

	accounts     *pii.Hasher // hashes account numbers for audit rows (account.go)
	accountsOnce sync.Once
	owners       *keyOwners // which Idempotency-Keys this process's requests hold
}

// Meta is the audit context of a write: who did it and from which workflow run.
type Meta struct {
	Actor      access.Principal
	WorkflowID string
	RunID      string
}

// dbtx is what *pgxpool.Pool, *pgx.Conn and pgx.Tx have in common, so queries do not care
// whether they run in a transaction.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Open connects to databaseURL, which Migrate has brought up to date and which names the
// application's own login role (AppURL derives it from the owner's URL). It refuses a user
// who is a superuser or may act as the owner of the audit log: such a connection could
// rewrite the log, which is what logging in as AppLogin is for.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: parse database URL: %w", err)
	}
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		pgxdecimal.Register(conn.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	s := &Store{pool: pool, owners: newKeyOwners(pool)}
	if err := s.refuseOwner(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// refuseOwner fails when the session user may act as audit_log's owner: a superuser, the
// owner, or a member of the owner's role (who could SET ROLE to it).
func (s *Store) refuseOwner(ctx context.Context) error {
	var user string
	var owner *bool // NULL: there is no audit_log yet
	err := s.pool.QueryRow(ctx, `SELECT session_user, pg_has_role(session_user,
		(SELECT relowner FROM pg_class WHERE oid = to_regclass('public.audit_log')), 'MEMBER')`).Scan(&user, &owner)
	switch {
	case err != nil:
		return fmt.Errorf("store: connect: %w", err)
	case owner == nil:
		return fmt.Errorf("store: the database has no audit log: run `subsidyflow migrate` first")
	case !*owner:
		return nil
	}
	return fmt.Errorf("store: the database user %q is a superuser or may act as the schema owner, "+
		"so it could rewrite the audit log: connect as %s (APP_DATABASE_URL; `subsidyflow migrate` creates it)", user, AppLogin)
}

// Close closes the pool and gives up the keys this process's requests hold.
func (s *Store) Close() {
	s.owners.close()
	s.pool.Close()
}

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Pool exposes the pool for wiring (health checks, metrics); queries belong in this package.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// newID returns prefix + 16 random lowercase base32 characters (80 bits).
func newID(prefix string) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return prefix + strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
