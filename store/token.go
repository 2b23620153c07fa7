package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

// tokenPrefix marks subsidyflow tokens so they are recognisable in logs and secret scanners.
const tokenPrefix = "sf_"

// hashToken is how a token is stored: hex sha256. Tokens are 256 random bits, so a plain
// hash is enough; a slow hash would only slow down every request.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a bearer token for p and returns it; only its hash is stored, so it
// cannot be shown again. Applicants must be bound to a credit code.
func (s *Store) CreateToken(ctx context.Context, p access.Principal) (string, error) {
	if _, err := access.ParseRole(string(p.Role)); err != nil {
		return "", apperr.InvalidFields(map[string]string{"role": err.Error()})
	}
	subject, err := access.NormalizeSubject(p.Subject)
	if err != nil {
		return "", apperr.InvalidFields(map[string]string{"subject": err.Error()})
	}
	p.Subject = subject
	if p.Role.IsParty() != (p.CreditCode != "") {
		return "", apperr.InvalidFields(map[string]string{"credit_code": "is required for applicants, landlords, providers, institutions and lenders, and only for them"})
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	_, err = s.pool.Exec(ctx, `INSERT INTO api_tokens (token_hash, role, subject, credit_code)
		VALUES ($1, $2, $3, NULLIF($4, ''))`, hashToken(token), p.Role, p.Subject, p.CreditCode)
	if err != nil {
		return "", mapErr(err)
	}
	return token, nil
}

// Authenticate returns the principal of a live token; Unauthenticated when the token is
// unknown or revoked (the two are not told apart).
//
// A web session id (IsSession) authenticates as the token it was opened with, while it is
// open: the console's pages call the API in-process with it.
func (s *Store) Authenticate(ctx context.Context, token string) (access.Principal, error) {
	if IsSession(token) {
		return s.authenticateSession(ctx, token)
	}
	var p access.Principal
	err := s.pool.QueryRow(ctx, `SELECT role, subject, COALESCE(credit_code, '') FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hashToken(token)).Scan(&p.Role, &p.Subject, &p.CreditCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return access.Principal{}, apperr.New(apperr.Unauthenticated, "unknown or revoked token")
	}
	return p, mapErr(err)
}

// RevokeToken makes a token unusable. Revoking a revoked token again is a no-op; an
// unknown token is NotFound, so a mistyped token is not mistaken for a revoked one.
func (s *Store) RevokeToken(ctx context.Context, token string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
		WHERE token_hash = $1`, hashToken(token))
	if err != nil {
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "no such token")
	}
	return nil
}
