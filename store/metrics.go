package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// ClaimCount is how many claims of one program are in one status, and how much they hold.
type ClaimCount struct {
	ProgramID string
	Kind      string
	Status    string
	Count     int64
	Amount    decimal.Decimal // sum of the claims' amounts (0 where none is set yet)
}

// ProgramFunds is one program's budget as the ledger stands.
type ProgramFunds struct {
	ProgramID string
	Kind      string
	Budget    decimal.Decimal
	Reserved  decimal.Decimal
	Committed decimal.Decimal
}

// Available is the money not yet reserved or committed.
func (f ProgramFunds) Available() decimal.Decimal { return f.Budget.Sub(f.Reserved).Sub(f.Committed) }

// MetricsSnapshot is what the metrics endpoint reads from the system of record at each
// scrape, so every process reports the same truth however many of them run.
type MetricsSnapshot struct {
	Claims    []ClaimCount
	Programs  []ProgramFunds
	AuditRows int64
}

// MetricsSnapshot reads the claim counts, the programs' funds and the audit log's length.
// Every query reads an index or a small table: the audit log's length is its head's last
// sequence number (the log is gapless), not a count over the whole log.
func (s *Store) MetricsSnapshot(ctx context.Context) (MetricsSnapshot, error) {
	var out MetricsSnapshot
	rows, err := s.pool.Query(ctx, `SELECT program_id, kind, status, count(*), COALESCE(sum(amount), 0)
		FROM claims GROUP BY program_id, kind, status ORDER BY program_id, status`)
	if err != nil {
		return out, mapErr(err)
	}
	out.Claims, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ClaimCount, error) {
		var c ClaimCount
		return c, r.Scan(&c.ProgramID, &c.Kind, &c.Status, &c.Count, &c.Amount)
	})
	if err != nil {
		return out, mapErr(err)
	}
	rows, err = s.pool.Query(ctx, `SELECT id, kind, budget, reserved, committed FROM programs ORDER BY id`)
	if err != nil {
		return out, mapErr(err)
	}
	out.Programs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProgramFunds, error) {
		var f ProgramFunds
		return f, r.Scan(&f.ProgramID, &f.Kind, &f.Budget, &f.Reserved, &f.Committed)
	})
	if err != nil {
		return out, mapErr(err)
	}
	err = s.pool.QueryRow(ctx, `SELECT last_seq FROM audit_head`).Scan(&out.AuditRows)
	return out, mapErr(err)
}
