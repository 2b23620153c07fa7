package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// IdempotencyTakeover is how long a request may stay in progress before another request
// with the same key and body may take it over: the first one is presumed to have died
// without calling FinishIdempotent or AbortIdempotent.
const IdempotencyTakeover = 10 * time.Minute

// StoredResponse is the first answer to an idempotent request, replayed for repeats.
type StoredResponse struct {
	Status int
	Body   []byte
}

// BeginIdempotent claims (scope, key) for a request whose body hashes to requestHash. It
// returns nil when the caller should process the request (then FinishIdempotent or
// AbortIdempotent), the stored response when the same request was answered before, and a
// Conflict when the same request is still in progress or the key was used for a
// different request.
func (s *Store) BeginIdempotent(ctx context.Context, scope, key, requestHash string) (*StoredResponse, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash)
		VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING`, scope, key, requestHash)
	if err != nil {
		return nil, mapErr(err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var hash string
	var resp StoredResponse
	err = s.pool.QueryRow(ctx, `SELECT request_hash, status, COALESCE(response, ''::bytea) FROM idempotency_keys
		WHERE scope = $1 AND key = $2`, scope, key).Scan(&hash, &resp.Status, &resp.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return s.BeginIdempotent(ctx, scope, key, requestHash) // aborted meanwhile: try again
	}
	switch {
	case err != nil:
		return nil, mapErr(err)
	case hash != requestHash:
		return nil, apperr.New(apperr.Conflict, "Idempotency-Key reused with a different request")
	case resp.Status != 0:
		return &resp, nil
	}
	return nil, s.takeOver(ctx, scope, key)
}

// takeOver restarts an in-progress request older than IdempotencyTakeover; a younger one
// is a Conflict.
func (s *Store) takeOver(ctx context.Context, scope, key string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE idempotency_keys SET created_at = now()
		WHERE scope = $1 AND key = $2 AND status = 0 AND created_at < now() - $3::interval`,
		scope, key, IdempotencyTakeover.String())
	if err != nil {
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.Conflict, "a request with this Idempotency-Key is still in progress")
	}
	return nil
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
// the same key is processed afresh. A finished request is left alone.
func (s *Store) AbortIdempotent(ctx context.Context, scope, key string) error {
	_, err := s.pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 0", scope, key)
	return mapErr(err)
}
