package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/crashpoint"
)

// StoredResponse is the first answer to an idempotent request, replayed for repeats.
type StoredResponse struct {
	Status int
	Body   []byte
}

// KeyHold is an Idempotency-Key this process's request owns until Release. Resource is
// what an earlier request with the key created before it died (its id as the creating
// transaction recorded it, see RecordCreated), empty when it created nothing or the key is
// new.
type KeyHold struct {
	Resource string
	release  func()
}

// Release gives the key up. Call it after FinishIdempotent or AbortIdempotent: a retry
// that finds the key released but unanswered takes it over.
func (h *KeyHold) Release() {
	if h != nil && h.release != nil {
		h.release()
		h.release = nil
	}
}

// BeginIdempotent claims (scope, key) for a request whose body hashes to requestHash. It
// returns a hold when the caller should process the request (then FinishIdempotent or
// AbortIdempotent, then Release), the stored response when the same request was answered
// before, and a Conflict when the same request is still running or the key was used for a
// different request.
//
// A request that is running holds the key's owner lock (keyOwners): a live request in this
// or any other process is a Conflict, and one whose process died is taken over at once,
// with the resource it had already created in the hold.
func (s *Store) BeginIdempotent(ctx context.Context, scope, key, requestHash string) (*StoredResponse, *KeyHold, error) {
	for waited := time.Duration(0); ; waited += ownerPoll {
		stored, hold, err := s.beginIdempotent(ctx, scope, key, requestHash)
		if !errors.Is(err, errStillRunning) {
			return stored, hold, err
		}
		// The owner's process may have just died: PostgreSQL ends its session, and frees its
		// locks, a moment after the connection breaks. A retry sent at once waits that out.
		select {
		case <-ctx.Done():
			waited = ownerPatience
		case <-time.After(ownerPoll):
		}
		if waited >= ownerPatience {
			return nil, nil, apperr.New(apperr.Conflict, "%s", errStillRunning.Message)
		}
	}
}

// ownerPatience is how long a request waits for a key held by another request before
// answering that it is still in progress, polling every ownerPoll: long enough for
// PostgreSQL to end the session of a process that just died, short next to any request.
const (
	ownerPatience = time.Second
	ownerPoll     = 100 * time.Millisecond
)

// errStillRunning: a live request holds the key.
var errStillRunning = apperr.New(apperr.Conflict, "a request with this Idempotency-Key is still in progress")

func (s *Store) beginIdempotent(ctx context.Context, scope, key, requestHash string) (*StoredResponse, *KeyHold, error) {
	owned, release, err := s.owners.acquire(ctx, scope, key)
	if err != nil {
		return nil, nil, err
	}
	if owned {
		tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash)
			VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING`, scope, key, requestHash)
		if err != nil {
			release()
			return nil, nil, mapErr(err)
		}
		if tag.RowsAffected() == 1 {
			return nil, &KeyHold{release: release}, nil
		}
	}
	var hash string
	var resource *string
	var resp StoredResponse
	err = s.pool.QueryRow(ctx, `SELECT request_hash, status, COALESCE(response, ''::bytea), resource
		FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).Scan(&hash, &resp.Status, &resp.Body, &resource)
	if owned && (err != nil || hash != requestHash || resp.Status != 0) {
		release() // nothing to process: the answer is a replay, a refusal or an error
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows) && owned:
		return s.beginIdempotent(ctx, scope, key, requestHash) // aborted meanwhile: try again
	case errors.Is(err, pgx.ErrNoRows): // its owner is still storing it
		return nil, nil, errStillRunning
	case err != nil:
		return nil, nil, mapErr(err)
	case hash != requestHash:
		return nil, nil, apperr.New(apperr.Conflict, "Idempotency-Key reused with a different request")
	case resp.Status != 0:
		return &resp, nil, nil
	case !owned:
		return nil, nil, errStillRunning
	}
	// Unanswered, and nobody holds it: the request that took it died (or gave up after an
	// internal failure). Carry on where it stopped.
	hold := &KeyHold{release: release}
	if resource != nil {
		hold.Resource = *resource
	}
	return nil, hold, nil
}

// FinishIdempotent stores the response to replay for repeats of the request.
func (s *Store) FinishIdempotent(ctx context.Context, scope, key string, status int, body []byte) error {
	if status <= 0 {
		return apperr.New(apperr.Invalid, "an HTTP status is required")
	}
	if body == nil {
		body = []byte{}
	}
	_, err := s.pool.Exec(ctx, `UPDATE idempotency_keys SET status = $3, response = $4
		WHERE scope = $1 AND key = $2`, scope, key, status, body)
	return mapErr(err)
}

// AbortIdempotent forgets an in-progress request that failed internally, so a retry with
// the same key is processed afresh (even with another body). A request that created
// something is not forgotten: its retry must answer with what it created, not create it
// again. A finished request is left alone.
func (s *Store) AbortIdempotent(ctx context.Context, scope, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys
		WHERE scope = $1 AND key = $2 AND status = 0 AND resource IS NULL`, scope, key)
	return mapErr(err)
}

// idempotencyKey is the key of the request a context serves.
type idempotencyKey struct{ scope, key string }

type idempotencyKeyCtx struct{}

// WithIdempotencyKey marks ctx as serving the idempotent request (scope, key): the store's
// creating methods then record what they create against the key, in their transaction.
func WithIdempotencyKey(ctx context.Context, scope, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, idempotencyKey{scope, key})
}

// createTx runs fn in a transaction that also records, against the Idempotency-Key ctx
// serves (if any), the id of the resource fn created: the resource and the key's knowledge
// of it are committed together, so a retry after a crash at any point finds either both or
// neither.
func (s *Store) createTx(ctx context.Context, fn func(tx pgx.Tx) (resource string, err error)) error {
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		resource, err := fn(tx)
		if err != nil {
			return err
		}
		k, ok := ctx.Value(idempotencyKeyCtx{}).(idempotencyKey)
		if !ok || resource == "" {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE idempotency_keys SET resource = $3
			WHERE scope = $1 AND key = $2 AND status = 0`, k.scope, k.key, resource)
		return mapErr(err)
	})
	if err == nil {
		crashpoint.Hit(crashpoint.AfterCreate)
	}
	return err
}
