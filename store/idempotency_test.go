package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
)

func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	const scope, key = "POST /claims|gesang", "key-1"

	stored, err := s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.NoError(t, err)
	require.Nil(t, stored, "a new key is processed")

	_, err = s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.True(t, apperr.Is(err, apperr.Conflict), "still in progress: %v", err)

	require.NoError(t, s.FinishIdempotent(ctx, scope, key, 201, []byte(`{"id":"clm_1"}`)))
	stored, err = s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.NoError(t, err)
	require.Equal(t, 201, stored.Status)
	require.Equal(t, `{"id":"clm_1"}`, string(stored.Body))

	_, err = s.BeginIdempotent(ctx, scope, key, "hash-b")
	require.True(t, apperr.Is(err, apperr.Conflict))
	require.Contains(t, err.Error(), "different request")

	stored, err = s.BeginIdempotent(ctx, "other scope", key, "hash-b")
	require.NoError(t, err)
	require.Nil(t, stored, "keys are per scope")
}

func TestIdempotencyAbortAllowsRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	_, err := s.BeginIdempotent(ctx, "s", "k", "h")
	require.NoError(t, err)
	require.NoError(t, s.AbortIdempotent(ctx, "s", "k"))
	stored, err := s.BeginIdempotent(ctx, "s", "k", "h")
	require.NoError(t, err)
	require.Nil(t, stored)
}
