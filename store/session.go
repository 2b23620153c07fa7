package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

// SessionPrefix marks a web console session id. A session is opened with an API token and
// acts as that token's principal until it is closed (sign-out), expires, or the token is
// revoked; closing it leaves the token itself working.
const SessionPrefix = "sfs_"

// OpenSession starts a web session for a live API token, valid for ttl, and returns its id;
// only the id's hash is stored. Unauthenticated when the token is unknown or revoked.
func (s *Store) OpenSession(ctx context.Context, token string, ttl time.Duration) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := SessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	tag, err := s.pool.Exec(ctx, `INSERT INTO web_sessions (session_hash, token_hash, expires_at)
		SELECT $1, token_hash, now() + $3::bigint * interval '1 second' FROM api_tokens WHERE token_hash = $2 AND revoked_at IS NULL`,
		hashToken(id), hashToken(token), int64(ttl/time.Second))
	if err != nil {
		return "", mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return "", apperr.New(apperr.Unauthenticated, "unknown or revoked token")
	}
	return id, nil
}

// CloseSession ends a web session on the server, so its id no longer authenticates anyone
// even if the cookie is replayed. Closing a closed or unknown session is a no-op.
func (s *Store) CloseSession(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `UPDATE web_sessions SET revoked_at = coalesce(revoked_at, now())
		WHERE session_hash = $1`, hashToken(id))
	return mapErr(err)
}

// authenticateSession is Authenticate for a session id: live while neither the session nor
// its token is revoked and the session has not expired.
func (s *Store) authenticateSession(ctx context.Context, id string) (access.Principal, error) {
	var p access.Principal
	err := s.pool.QueryRow(ctx, `SELECT t.role, t.subject, COALESCE(t.credit_code, '')
		FROM web_sessions w JOIN api_tokens t ON t.token_hash = w.token_hash
		WHERE w.session_hash = $1 AND w.revoked_at IS NULL AND w.expires_at > now() AND t.revoked_at IS NULL`,
		hashToken(id)).Scan(&p.Role, &p.Subject, &p.CreditCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return access.Principal{}, apperr.New(apperr.Unauthenticated, "unknown, expired or closed session")
	}
	return p, mapErr(err)
}

// IsSession reports whether a credential is a web session id rather than an API token.
func IsSession(credential string) bool { return strings.HasPrefix(credential, SessionPrefix) }
