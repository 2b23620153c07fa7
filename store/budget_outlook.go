package store

import (
	"context"

	"github.com/shopspring/decimal"
)

// BudgetOutlook is what a new claim of one enterprise would meet in a program's ledger now.
type BudgetOutlook struct {
	Held      decimal.Decimal // reserved or committed for the enterprise: counts against its cap
	Available decimal.Decimal // budget − reserved − committed
	Queued    int             // claims waiting for budget, which a new claim may not overtake
}

// BudgetOutlook reads, in one statement and so from one snapshot, the figures Reserve
// decides on (capAmount and mustWait), without locking or changing anything. NotFound when
// the program does not exist.
func (s *Store) BudgetOutlook(ctx context.Context, programID, creditCode string) (BudgetOutlook, error) {
	var o BudgetOutlook
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT COALESCE(sum(amount), 0) FROM reservations
			WHERE program_id = p.id AND credit_code = $2 AND state IN ('reserved', 'committed')),
		p.budget - p.reserved - p.committed,
		(SELECT count(*) FROM budget_queue WHERE program_id = p.id)
		FROM programs p WHERE p.id = $1`, programID, creditCode).Scan(&o.Held, &o.Available, &o.Queued)
	return o, orNotFound(err, "program", programID)
}
