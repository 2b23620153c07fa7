package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/program"
)

const programColumns = `id, kind, name, region, period_start, period_end, four_eyes_threshold,
	deadline_days, info_days, payment_fix_days, params, budget, reserved, committed, created_at`

func scanProgram(row pgx.Row) (program.Program, error) {
	var p program.Program
	var params []byte
	err := row.Scan(&p.ID, &p.Kind, &p.Name, &p.Region, &p.PeriodStart, &p.PeriodEnd,
		&p.Approval.FourEyesThreshold, &p.Approval.DeadlineDays, &p.Approval.InfoDays,
		&p.Approval.PaymentFixDays, &params, &p.Budget, &p.Reserved, &p.Committed, &p.CreatedAt)
	p.Params = params
	return p, err
}

// CreateProgram stores p under a new "prg_" id with nothing reserved or committed. Its
// initial budget enters the ledger as a 'budget' movement (funding → available), so the
// ledger alone explains every program's balances.
func (s *Store) CreateProgram(ctx context.Context, p program.Program, by access.Principal) (program.Program, error) {
	if p.Budget.IsNegative() {
		return program.Program{}, apperr.InvalidFields(map[string]string{"budget": "must not be negative"})
	}
	if !p.PeriodEnd.After(p.PeriodStart) {
		return program.Program{}, apperr.InvalidFields(map[string]string{"period_end": "must be after period_start"})
	}
	params := []byte(p.Params)
	if len(params) == 0 {
		params = []byte("{}")
	}
	var out program.Program
	err := s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		var err error
		out, err = scanProgram(tx.QueryRow(ctx, `INSERT INTO programs
			(id, kind, name, region, period_start, period_end, four_eyes_threshold, deadline_days,
			 info_days, payment_fix_days, params, budget)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING `+programColumns,
			newID("prg_"), p.Kind, p.Name, p.Region, p.PeriodStart, p.PeriodEnd,
			p.Approval.FourEyesThreshold, p.Approval.DeadlineDays, p.Approval.InfoDays,
			p.Approval.PaymentFixDays, string(params), p.Budget))
		if err != nil {
			return "", mapErr(err)
		}
		if err := move(ctx, tx, out.ID, "", kindBudget, accFunding, accAvailable, out.Budget); err != nil {
			return "", err
		}
		a := entry(Meta{Actor: by}, "program.created")
		a.ProgramID, a.Amount, a.Details = out.ID, money(out.Budget), details(out)
		_, err = appendAudit(ctx, tx, a)
		return out.ID, err
	})
	return out, err
}

// GetProgram returns the program with id, or NotFound.
func (s *Store) GetProgram(ctx context.Context, id string) (program.Program, error) {
	p, err := scanProgram(s.pool.QueryRow(ctx, "SELECT "+programColumns+" FROM programs WHERE id = $1", id))
	return p, orNotFound(err, "program", id)
}

// ListPrograms returns every program, oldest first.
func (s *Store) ListPrograms(ctx context.Context) ([]program.Program, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+programColumns+" FROM programs ORDER BY created_at, id")
	if err != nil {
		return nil, mapErr(err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (program.Program, error) { return scanProgram(r) })
	return ps, mapErr(err)
}

// RaiseBudget adds amount (> 0) to the program's budget and gives the new money to the
// budget queue in FIFO order. It returns the program afterwards and the claims the queue
// decided (reserved or refused), whose workflows the caller should signal.
func (s *Store) RaiseBudget(ctx context.Context, programID string, amount decimal.Decimal, by access.Principal) (program.Program, []string, error) {
	if !amount.IsPositive() || !amount.Equal(amount.Round(2)) {
		return program.Program{}, nil, apperr.InvalidFields(map[string]string{"amount": "must be positive with at most 2 decimals"})
	}
	var out program.Program
	var decided []string
	// What a raise creates is money in the program: the key records the program.
	err := s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		p, err := lockProgram(ctx, tx, programID)
		if err != nil {
			return "", err
		}
		if err := adjustProgram(ctx, tx, p.ID, amount, decimal.Zero, decimal.Zero); err != nil {
			return "", err
		}
		if err := move(ctx, tx, p.ID, "", kindBudget, accFunding, accAvailable, amount); err != nil {
			return "", err
		}
		a := entry(Meta{Actor: by}, "program.budget_raised")
		a.ProgramID, a.Amount = p.ID, money(amount)
		a.Details = details(map[string]string{"budget": p.Budget.Add(amount).StringFixed(2)})
		var entries []audit.Entry
		decided, entries, err = allocate(ctx, tx, p.ID)
		if err != nil {
			return "", err
		}
		if err := appendAll(ctx, tx, append([]audit.Entry{a}, entries...)); err != nil {
			return "", err
		}
		out, err = scanProgram(tx.QueryRow(ctx, "SELECT "+programColumns+" FROM programs WHERE id = $1", p.ID))
		return p.ID, mapErr(err)
	})
	return out, decided, err
}

// lockProgram reads the program FOR UPDATE: every movement of a program's money takes this
// lock first, so movements on one program are serialised and see each other's effects.
func lockProgram(ctx context.Context, q dbtx, id string) (program.Program, error) {
	p, err := scanProgram(q.QueryRow(ctx, "SELECT "+programColumns+" FROM programs WHERE id = $1 FOR UPDATE", id))
	return p, orNotFound(err, "program", id)
}

// adjustProgram adds the deltas to the program's balances. The table's CHECK refuses any
// result with reserved + committed > budget.
func adjustProgram(ctx context.Context, q dbtx, id string, budget, reserved, committed decimal.Decimal) error {
	_, err := q.Exec(ctx, `UPDATE programs SET budget = budget + $2, reserved = reserved + $3,
		committed = committed + $4 WHERE id = $1`, id, budget, reserved, committed)
	return mapErr(err)
}

// UpdateProgramParams replaces a program's kind-specific parameters (validated and completed
// by the caller with the kind's rules), such as the landlord list or the risk-area counties
// an administrator maintains, and audits the change with the parameters before and after.
// Claims already judged keep the parameters frozen in their snapshot.
func (s *Store) UpdateProgramParams(ctx context.Context, id string, params []byte, by access.Principal) (program.Program, error) {
	var out program.Program
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		var before []byte
		err := tx.QueryRow(ctx, "SELECT params FROM programs WHERE id = $1 FOR UPDATE", id).Scan(&before)
		if err != nil {
			return orNotFound(err, "program", id)
		}
		out, err = scanProgram(tx.QueryRow(ctx, `UPDATE programs SET params = $2 WHERE id = $1
			RETURNING `+programColumns, id, string(params)))
		if err != nil {
			return mapErr(err)
		}
		a := entry(Meta{Actor: by}, "program.params_changed")
		a.ProgramID = id
		a.Details = details(map[string]any{"before": json.RawMessage(before), "after": json.RawMessage(params)})
		_, err = appendAudit(ctx, tx, a)
		return err
	})
	return out, err
}
