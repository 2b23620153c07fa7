package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// rollbackTimeout bounds a rollback that runs after the caller's context is gone.
const rollbackTimeout = 5 * time.Second

// WithTx runs fn in a transaction and commits it when fn returns nil. The rollback on
// failure uses a context detached from ctx: a cancelled request must still release its
// locks at once rather than leave the connection to be discarded by the pool.
func (s *Store) WithTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return withTx(ctx, s.pool, pgx.TxOptions{}, fn)
}

type beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

func withTx(ctx context.Context, db beginner, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return mapErr(err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		_ = tx.Rollback(rctx) // a no-op after Commit
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return mapErr(tx.Commit(ctx))
}
