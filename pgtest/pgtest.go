// Package pgtest gives tests a fresh, empty PostgreSQL database of their own on the server
// that DATABASE_URL (or TEST_DATABASE_URL) names, and drops it when the test ends. Tests run
// against a real PostgreSQL, never a fake.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server used when neither TEST_DATABASE_URL nor DATABASE_URL is set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL is the URL of the server tests create their databases on.
func ServerURL() string {
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return DefaultURL
}

// NewDatabase creates an empty database named after prefix plus a random suffix and returns
// its URL. The database is dropped (with its connections) when t ends.
func NewDatabase(t testing.TB, prefix string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := WithDatabase(t, ServerURL(), "postgres")
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: no PostgreSQL at %s (run `make test`, which starts one): %v", admin, err)
	}
	defer conn.Close(ctx)
	buf := make([]byte, 5)
	_, _ = rand.Read(buf)
	name := "sf_test_" + prefix + "_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(admin, name) })
	return WithDatabase(t, ServerURL(), name)
}

func drop(adminURL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// WithDatabase returns rawURL with its database name replaced by name.
func WithDatabase(t testing.TB, rawURL, name string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("pgtest: bad database URL %q: %v", rawURL, err)
	}
	u.Path = "/" + name
	return u.String()
}
