package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/claim"
)

// StalledClaims lists claims that are still submitted with no workflow step applied and were
// stored before `before`: the API stored them but died before their workflow started. The
// sweeper starts their workflows (a claim's workflow id is fixed, so a start that did happen
// is refused and nothing runs twice). Oldest first.
func (s *Store) StalledClaims(ctx context.Context, before time.Time, limit int) ([]claim.Claim, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+claimColumns+` FROM claims
		WHERE status = 'submitted' AND step = 0 AND created_at < $1
		ORDER BY created_at, id LIMIT $2`, before, max(limit, 1))
	if err != nil {
		return nil, mapErr(err)
	}
	claims, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (claim.Claim, error) { return scanClaim(r) })
	return claims, mapErr(err)
}

// PurgeIdempotencyKeys forgets idempotent requests stored before `before` and returns how
// many. Clients retry within minutes; keeping keys for a day is ample, and keeping them
// forever would grow the table without end. A key left unanswered that long belongs to a
// request that died and was never retried (no request runs for a day); what it stored
// lives on without it (the sweeper starts a stalled claim's workflow).
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < $1", before)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}
