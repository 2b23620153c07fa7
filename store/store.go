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

	pgxdecimal "github.com/jackc/pgx-shopspring-decimal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/subsidyflow/subsidyflow/access"
)

// AppRole is the database role the application acts as after connecting. Migrations grant
// it everything it needs except UPDATE, DELETE and TRUNCATE on audit_log.
const AppRole = "subsidyflow_app"

// Store holds the connection pool.
type Store struct {
	pool   *pgxpool.Pool
	owners *keyOwners // which Idempotency-Keys this process's requests hold
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

// Open connects to databaseURL (which Migrate has brought up to date). Every connection
// registers the decimal type and switches to AppRole, so the application cannot rewrite
// the audit log even though it connects as the schema owner.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: parse database URL: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		pgxdecimal.Register(conn.TypeMap())
		_, err := conn.Exec(ctx, "SET ROLE "+AppRole)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	s := &Store{pool: pool, owners: newKeyOwners(pool)}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
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
