package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/pgtest"
	"github.com/subsidyflow/subsidyflow/schema"
	"github.com/subsidyflow/subsidyflow/store"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t, "store")
	require.NoError(t, store.Migrate(ctx, url))
	require.NoError(t, store.Migrate(ctx, url))
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n))
	files, err := fs.Glob(schema.FS, "*.sql")
	require.NoError(t, err)
	require.Equal(t, len(files), n, "each embedded migration applied once")
}

// Two replicas starting at once against a database that does not exist yet.
func TestMigrateConcurrentCreatesDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "sf_test_store_new_" + hex.EncodeToString(b)
	url := pgtest.WithDatabase(t, pgtest.ServerURL(), name)
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, pgtest.WithDatabase(t, pgtest.ServerURL(), "postgres"))
		if err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = store.Migrate(ctx, url) })
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	appURL, err := store.AppURL(url)
	require.NoError(t, err)
	s, err := store.Open(ctx, appURL)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.ListPrograms(ctx)
	require.NoError(t, err)
}
