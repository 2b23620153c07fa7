package store

import (
	"context"

	"github.com/shopspring/decimal"
)

// Ledger accounts. Money of a program is always in exactly one of them; funding is the
// counter-account of the budget, so it goes negative as budget is raised.
const (
	accFunding   = "funding"
	accAvailable = "available"
	accReserved  = "reserved"
	accCommitted = "committed"
)

// Ledger movement kinds.
const (
	kindBudget  = "budget"  // funding → available
	kindReserve = "reserve" // available → reserved
	kindCommit  = "commit"  // reserved → committed
	kindRelease = "release" // reserved → available
)

// move records one double-entry movement of amount from one account to another: two rows
// with the same movement id that sum to zero. A zero amount records nothing.
func move(ctx context.Context, q dbtx, programID, claimID, kind, from, to string, amount decimal.Decimal) error {
	if amount.IsZero() {
		return nil
	}
	_, err := q.Exec(ctx, `INSERT INTO ledger_entries (movement_id, program_id, claim_id, account, amount, kind)
		SELECT m.id, $1, NULLIF($2, ''), v.account, v.amount, $3
		FROM (SELECT 'mv_' || replace(gen_random_uuid()::text, '-', '') AS id) m,
		     (VALUES ($4::text, -$6::numeric), ($5::text, $6::numeric)) AS v(account, amount)`,
		programID, claimID, kind, from, to, amount)
	return mapErr(err)
}
