package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/audit"
)

// queued is a claim waiting for budget (a budget_queue row), or about to be decided.
type queued struct {
	Seq        int64
	ProgramID  string
	ClaimID    string
	CreditCode string
	Requested  decimal.Decimal
	Cap        *decimal.Decimal // nil: no per-enterprise cap
	EnqueuedAt time.Time
}

const queueColumns = `seq, program_id, claim_id, credit_code, requested, cap, enqueued_at`

func scanQueued(row pgx.Row) (queued, error) {
	var w queued
	var c decimal.NullDecimal
	err := row.Scan(&w.Seq, &w.ProgramID, &w.ClaimID, &w.CreditCode, &w.Requested, &c, &w.EnqueuedAt)
	if c.Valid {
		w.Cap = &c.Decimal
	}
	return w, err
}

// queueEntry reads a claim's queue row; found is false when it is not queued.
func queueEntry(ctx context.Context, q dbtx, claimID string) (queued, bool, error) {
	w, err := scanQueued(q.QueryRow(ctx, "SELECT "+queueColumns+" FROM budget_queue WHERE claim_id = $1", claimID))
	if errors.Is(err, pgx.ErrNoRows) {
		return w, false, nil
	}
	return w, err == nil, mapErr(err)
}

// capAmount is what the claim may hold: min(requested, max(cap − held, 0)), where held is
// what the enterprise already has reserved or committed in the program.
func capAmount(ctx context.Context, q dbtx, w queued) (amount decimal.Decimal, capped bool, err error) {
	if w.Cap == nil {
		return w.Requested, false, nil
	}
	var held decimal.Decimal
	err = q.QueryRow(ctx, `SELECT COALESCE(sum(amount), 0) FROM reservations
		WHERE program_id = $1 AND credit_code = $2 AND state IN ('reserved', 'committed')`,
		w.ProgramID, w.CreditCode).Scan(&held)
	if err != nil {
		return decimal.Zero, false, mapErr(err)
	}
	room := decimal.Max(w.Cap.Sub(held), decimal.Zero)
	amount = decimal.Min(w.Requested, room)
	return amount, amount.LessThan(w.Requested), nil
}

// mustWait reports whether a claim has to queue: someone is queued ahead of it (strict
// FIFO, nobody jumps the queue) or the program lacks the money.
func mustWait(ctx context.Context, q dbtx, programID, claimID string, amount decimal.Decimal) (bool, error) {
	var wait bool
	err := q.QueryRow(ctx, `SELECT EXISTS (
			SELECT 1 FROM budget_queue b WHERE b.program_id = $1 AND b.claim_id <> $2
			AND b.seq < COALESCE((SELECT seq FROM budget_queue WHERE claim_id = $2), 9223372036854775807))
		OR (SELECT budget - reserved - committed FROM programs WHERE id = $1) < $3`,
		programID, claimID, amount).Scan(&wait)
	return wait, mapErr(err)
}

// enqueue puts the claim at the end of the queue unless it is already in it (it keeps its
// place then) and returns its 1-based position. Only a new entry is audited.
func enqueue(ctx context.Context, q dbtx, w queued, amount decimal.Decimal, m Meta) (int, []audit.Entry, error) {
	tag, err := q.Exec(ctx, `INSERT INTO budget_queue (program_id, claim_id, credit_code, requested, cap)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (claim_id) DO NOTHING`,
		w.ProgramID, w.ClaimID, w.CreditCode, w.Requested, w.Cap)
	if err != nil {
		return 0, nil, mapErr(err)
	}
	cur, _, err := queueEntry(ctx, q, w.ClaimID)
	if err != nil {
		return 0, nil, err
	}
	pos, err := position(ctx, q, w.ProgramID, cur.Seq)
	if err != nil || tag.RowsAffected() == 0 {
		return pos, nil, err
	}
	e := moneyEntry(m, "budget.waiting", w.ProgramID, w.ClaimID, amount, map[string]any{"position": pos})
	return pos, []audit.Entry{e}, nil
}

// position is the 1-based place of the queue entry seq in its program's queue.
func position(ctx context.Context, q dbtx, programID string, seq int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT count(*) FROM budget_queue WHERE program_id = $1 AND seq <= $2", programID, seq).Scan(&n)
	return n, mapErr(err)
}

// dequeue removes the claim from the queue, reporting whether it was there.
func dequeue(ctx context.Context, q dbtx, claimID string) (bool, error) {
	tag, err := q.Exec(ctx, "DELETE FROM budget_queue WHERE claim_id = $1", claimID)
	return tag.RowsAffected() > 0, mapErr(err)
}

// reserveNow holds amount for the claim: reservation row, ledger movement, program balance,
// and out of the queue if it was waiting.
func reserveNow(ctx context.Context, q dbtx, w queued, amount decimal.Decimal, capped bool, m Meta) (audit.Entry, error) {
	if err := insertReservation(ctx, q, w, amount, capped, StateReserved); err != nil {
		return audit.Entry{}, err
	}
	if err := move(ctx, q, w.ProgramID, w.ClaimID, kindReserve, accAvailable, accReserved, amount); err != nil {
		return audit.Entry{}, err
	}
	if err := adjustProgram(ctx, q, w.ProgramID, decimal.Zero, amount, decimal.Zero); err != nil {
		return audit.Entry{}, err
	}
	if _, err := dequeue(ctx, q, w.ClaimID); err != nil {
		return audit.Entry{}, err
	}
	det := map[string]any{"requested": w.Requested.StringFixed(2), "capped": capped}
	return moneyEntry(m, "budget.reserved", w.ProgramID, w.ClaimID, amount, det), nil
}

// refuse records that the enterprise's cap leaves nothing for the claim.
func refuse(ctx context.Context, q dbtx, w queued, m Meta) (audit.Entry, error) {
	if err := insertReservation(ctx, q, w, decimal.Zero, true, StateRefused); err != nil {
		return audit.Entry{}, err
	}
	if _, err := dequeue(ctx, q, w.ClaimID); err != nil {
		return audit.Entry{}, err
	}
	det := map[string]any{"requested": w.Requested.StringFixed(2), "cap": w.Cap.StringFixed(2)}
	return moneyEntry(m, "budget.cap_exhausted", w.ProgramID, w.ClaimID, decimal.Zero, det), nil
}

// allocate gives available money to the program's queue in FIFO order: the head is refused
// if its cap leaves nothing, reserved if it fits, and otherwise the walk stops, because a
// later, smaller claim must not overtake it. The program is locked by the caller. It
// returns the claims decided, for the caller to signal, and their audit rows.
func allocate(ctx context.Context, q dbtx, programID string) ([]string, []audit.Entry, error) {
	var decided []string
	var entries []audit.Entry
	for {
		w, err := scanQueued(q.QueryRow(ctx, "SELECT "+queueColumns+
			" FROM budget_queue WHERE program_id = $1 ORDER BY seq LIMIT 1", programID))
		if errors.Is(err, pgx.ErrNoRows) {
			return decided, entries, nil
		}
		if err != nil {
			return nil, nil, mapErr(err)
		}
		e, ok, err := allocateHead(ctx, q, w)
		if err != nil || !ok {
			return decided, entries, err
		}
		decided, entries = append(decided, w.ClaimID), append(entries, e)
	}
}

// allocateHead decides the head of the queue; ok is false when it does not fit yet. The
// audit row names the queued claim's workflow, since the queue acts on its behalf.
func allocateHead(ctx context.Context, q dbtx, w queued) (audit.Entry, bool, error) {
	m, err := claimMeta(ctx, q, w.ClaimID)
	if err != nil {
		return audit.Entry{}, false, err
	}
	amount, capped, err := capAmount(ctx, q, w)
	if err != nil {
		return audit.Entry{}, false, err
	}
	if amount.IsZero() {
		e, err := refuse(ctx, q, w, m)
		return e, err == nil, err
	}
	var available decimal.Decimal
	if err := q.QueryRow(ctx, "SELECT budget - reserved - committed FROM programs WHERE id = $1", w.ProgramID).Scan(&available); err != nil {
		return audit.Entry{}, false, mapErr(err)
	}
	if available.LessThan(amount) {
		return audit.Entry{}, false, nil
	}
	e, err := reserveNow(ctx, q, w, amount, capped, m)
	return e, err == nil, err
}

// claimMeta is the audit context for the system acting on a claim: its workflow and run.
func claimMeta(ctx context.Context, q dbtx, claimID string) (Meta, error) {
	m := Meta{Actor: access.System}
	err := q.QueryRow(ctx, "SELECT workflow_id, run_id FROM claims WHERE id = $1", claimID).Scan(&m.WorkflowID, &m.RunID)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, nil
	}
	return m, mapErr(err)
}
