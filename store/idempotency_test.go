package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	const scope, key = "POST /claims|gesang", "key-1"

	stored, hold, err := s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.NoError(t, err)
	require.Nil(t, stored, "a new key is processed")
	require.NotNil(t, hold)
	require.Empty(t, hold.Resource)

	_, _, err = s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.True(t, apperr.Is(err, apperr.Conflict), "still in progress: %v", err)
	require.Contains(t, err.Error(), "still in progress")

	require.NoError(t, s.FinishIdempotent(ctx, scope, key, 201, []byte(`{"id":"clm_1"}`)))
	hold.Release()
	stored, _, err = s.BeginIdempotent(ctx, scope, key, "hash-a")
	require.NoError(t, err)
	require.Equal(t, 201, stored.Status)
	require.Equal(t, `{"id":"clm_1"}`, string(stored.Body))

	_, _, err = s.BeginIdempotent(ctx, scope, key, "hash-b")
	require.True(t, apperr.Is(err, apperr.Conflict))
	require.Contains(t, err.Error(), "different request")

	stored, hold, err = s.BeginIdempotent(ctx, "other scope", key, "hash-b")
	require.NoError(t, err)
	require.Nil(t, stored, "keys are per scope")
	hold.Release()
}

func TestIdempotencyAbortOfARequestThatCreatedNothingAllowsAFreshRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	_, hold, err := s.BeginIdempotent(ctx, "s", "k", "h")
	require.NoError(t, err)
	require.NoError(t, s.AbortIdempotent(ctx, "s", "k"))
	hold.Release()
	stored, hold, err := s.BeginIdempotent(ctx, "s", "k", "another body")
	require.NoError(t, err)
	require.Nil(t, stored)
	require.Empty(t, hold.Resource)
	hold.Release()
}

// TestAKeyWhoseProcessDiedIsTakenOverAtOnceWithWhatItCreated: two stores on one database
// are two API processes. The first takes a key and registers an enterprise under it, then
// dies (its connections close) without answering. The second process's retry is refused
// while the first lives, and takes the key over the moment it is gone, learning what the
// dead request created.
func TestAKeyWhoseProcessDiedIsTakenOverAtOnceWithWhatItCreated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	appURL, err := store.AppURL(s.url)
	require.NoError(t, err)
	first, err := store.Open(ctx, appURL)
	require.NoError(t, err)
	const scope, key = "admin//ops POST /v1/enterprises", "reg-1"

	_, hold, err := first.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	e, err := first.CreateEnterprise(store.WithIdempotencyKey(ctx, scope, key), sampleEnterprise("91540100MA6T1234X5"), admin)
	require.NoError(t, err)
	_ = hold // never released or answered: the process dies

	_, _, err = s.BeginIdempotent(ctx, scope, key, "h")
	require.True(t, apperr.Is(err, apperr.Conflict), "the owner is alive: %v", err)
	require.Contains(t, err.Error(), "still in progress")

	first.Close()
	start := time.Now()
	stored, taken, err := s.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	require.Nil(t, stored)
	require.Equal(t, e.CreditCode, taken.Resource, "the retry learns what the dead request created")
	require.Less(t, time.Since(start), 5*time.Second)

	// The key is now this request's: a third attempt is refused until it answers.
	_, _, err = s.BeginIdempotent(ctx, scope, key, "h")
	require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
	require.Contains(t, err.Error(), "still in progress")

	// A request that created something and then failed keeps its key and its resource:
	// aborting does not forget it, so the next retry answers with it too.
	require.NoError(t, s.AbortIdempotent(ctx, scope, key))
	taken.Release()
	_, again, err := s.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	require.Equal(t, e.CreditCode, again.Resource)
	require.NoError(t, s.FinishIdempotent(ctx, scope, key, 201, []byte("{}")))
	again.Release()
	stored, _, err = s.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	require.Equal(t, 201, stored.Status)
}

// TestOnlyTheCreatingTransactionOfTheKeysRequestRecordsIt: a creation outside any keyed
// request records nothing, and a creation that fails leaves the key without a resource.
func TestOnlyTheCreatingTransactionOfTheKeysRequestRecordsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	const scope, key = "admin//ops POST /v1/enterprises", "reg-2"
	in := sampleEnterprise("91540100MA6T1234X5")
	_, err := s.CreateEnterprise(ctx, in, admin)
	require.NoError(t, err)

	_, hold, err := s.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	_, err = s.CreateEnterprise(store.WithIdempotencyKey(ctx, scope, key), in, admin)
	require.True(t, apperr.Is(err, apperr.Conflict), "%v", err)
	hold.Release() // gives up without answering, as after a crash

	_, taken, err := s.BeginIdempotent(ctx, scope, key, "h")
	require.NoError(t, err)
	require.Empty(t, taken.Resource, "the failed registration created nothing")
	taken.Release()
}

func TestOldIdempotencyKeysArePurgedAnsweredOrNot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	_, a, err := s.BeginIdempotent(ctx, "s", "answered", "h")
	require.NoError(t, err)
	require.NoError(t, s.FinishIdempotent(ctx, "s", "answered", 201, []byte("{}")))
	a.Release()
	_, b, err := s.BeginIdempotent(ctx, "s", "abandoned", "h")
	require.NoError(t, err)
	b.Release()

	n, err := s.PurgeIdempotencyKeys(ctx, time.Now().Add(-time.Hour))
	require.NoError(t, err)
	require.Zero(t, n, "young keys stay")
	n, err = s.PurgeIdempotencyKeys(ctx, time.Now().Add(time.Hour))
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}
