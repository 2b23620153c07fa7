package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/subsidyflow/subsidyflow/schema"
)

// migrateLockKey is the advisory lock that serialises Migrate calls on one database
// ("sfmigr" in ASCII).
const migrateLockKey int64 = 0x73666d69677200

// Migrate creates the database named in databaseURL if it does not exist, then applies the
// embedded migrations it has not applied yet, in order, each in its own transaction and
// recorded in schema_migrations. Concurrent calls are serialised by an advisory lock, so
// running it from every replica at start-up is safe. It connects as the URL's user (the
// schema owner), not as AppRole.
func Migrate(ctx context.Context, databaseURL string) error {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return fmt.Errorf("store: parse database URL: %w", err)
	}
	if err := createDatabase(ctx, cfg); err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: migrate: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return fmt.Errorf("store: migrate: lock: %w", err)
	}
	defer func() {
		// A session lock: closing the connection would release it too.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
	}()
	return applyMigrations(ctx, conn)
}

// createDatabase creates cfg.Database through the server's postgres database when missing.
func createDatabase(ctx context.Context, cfg *pgx.ConnConfig) error {
	admin := cfg.Copy()
	admin.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("store: migrate: connect to the postgres database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", cfg.Database).Scan(&exists)
	if err != nil || exists {
		return err
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.Database}.Sanitize())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == pgDuplicateDB || pe.Code == pgUniqueViolation) {
		return nil // another process created it meanwhile (the race surfaces as either code)
	}
	if err != nil {
		return fmt.Errorf("store: migrate: create database %s: %w", cfg.Database, err)
	}
	return nil
}

func applyMigrations(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names, err := fs.Glob(schema.FS, "*.sql")
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := applyMigration(ctx, conn, name); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration runs one file in a transaction unless schema_migrations lists it.
func applyMigration(ctx context.Context, conn *pgx.Conn, name string) error {
	version := strings.TrimSuffix(name, ".sql")
	body, err := fs.ReadFile(schema.FS, name)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	err = withTx(ctx, conn, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var done bool
		err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", version).Scan(&done)
		if err != nil || done {
			return err
		}
		// No arguments: pgx uses the simple protocol, which accepts many statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", version)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", name, err)
	}
	return nil
}
