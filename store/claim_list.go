package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
)

// Page sizes of ListClaims.
const (
	DefaultClaimLimit = 50
	MaxClaimLimit     = 200
)

// ClaimFilter selects claims for ListClaims; empty fields do not filter.
type ClaimFilter struct {
	ProgramID  string
	CreditCode string
	Party      string // a landlord's or provider's credit code among the claim's parties
	Status     string
	Escalated  *bool
	Limit      int    // DefaultClaimLimit when ≤ 0, at most MaxClaimLimit
	Cursor     string // the next cursor of the previous page
}

// cursor is the position after the last claim of a page, in (created_at, id) order.
type cursor struct {
	At int64  `json:"t"` // created_at in Unix microseconds, PostgreSQL's precision
	ID string `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return c, apperr.InvalidFields(map[string]string{"cursor": "is not a cursor this API returned"})
	}
	return c, nil
}

// ListClaims returns claims matching f, newest first, and the cursor of the next page ("" on
// the last page). Pagination is by keyset on (created_at, id), so pages stay stable while
// new claims arrive.
func (s *Store) ListClaims(ctx context.Context, f ClaimFilter) ([]claim.Claim, string, error) {
	where, args, err := claimWhere(f)
	if err != nil {
		return nil, "", err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultClaimLimit
	}
	limit = min(limit, MaxClaimLimit)
	args = append(args, limit+1) // one more tells whether a next page exists
	sql := fmt.Sprintf("SELECT %s FROM claims %s ORDER BY created_at DESC, id DESC LIMIT $%d", claimColumns, where, len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, "", mapErr(err)
	}
	claims, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (claim.Claim, error) { return scanClaim(r) })
	if err != nil {
		return nil, "", mapErr(err)
	}
	if len(claims) <= limit {
		return claims, "", nil
	}
	claims = claims[:limit]
	last := claims[limit-1]
	return claims, cursor{At: last.CreatedAt.UnixMicro(), ID: last.ID}.encode(), nil
}

// claimWhere builds the WHERE clause of f with numbered arguments.
func claimWhere(f ClaimFilter) (string, []any, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.ProgramID != "" {
		add("program_id = $%d", f.ProgramID)
	}
	if f.CreditCode != "" {
		add("credit_code = $%d", f.CreditCode)
	}
	if f.Party != "" {
		add("$%d = ANY (parties)", f.Party)
	}
	if f.Status != "" {
		add("status = $%d", f.Status)
	}
	if f.Escalated != nil {
		add("escalated = $%d", *f.Escalated)
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return "", nil, err
		}
		add("(created_at, id) < ($%d", time.UnixMicro(c.At))
		args = append(args, c.ID)
		conds[len(conds)-1] += fmt.Sprintf(", $%d)", len(args))
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args, nil
}
