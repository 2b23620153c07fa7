package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/audit"
)

const reservationColumns = `claim_id, program_id, credit_code, requested, amount, capped, state, created_at, updated_at`

// getReservation reads a claim's reservation row; found is false when it has none.
func getReservation(ctx context.Context, q dbtx, claimID string) (Reservation, bool, error) {
	var r Reservation
	err := q.QueryRow(ctx, "SELECT "+reservationColumns+" FROM reservations WHERE claim_id = $1", claimID).
		Scan(&r.ClaimID, &r.ProgramID, &r.CreditCode, &r.Requested, &r.Amount, &r.Capped, &r.State,
			&r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, mapErr(err)
}

func insertReservation(ctx context.Context, q dbtx, w queued, amount decimal.Decimal, capped bool, state ReservationState) error {
	_, err := q.Exec(ctx, `INSERT INTO reservations (claim_id, program_id, credit_code, requested, amount, capped, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, w.ClaimID, w.ProgramID, w.CreditCode, w.Requested, amount, capped, state)
	return mapErr(err)
}

func setReservationState(ctx context.Context, q dbtx, claimID string, state ReservationState) error {
	_, err := q.Exec(ctx, "UPDATE reservations SET state = $2, updated_at = now() WHERE claim_id = $1", claimID, state)
	return mapErr(err)
}

// Reservation returns the money a claim holds, or its place in the queue (StateWaiting).
// NotFound when the claim never asked for money.
func (s *Store) Reservation(ctx context.Context, claimID string) (Reservation, error) {
	r, found, err := getReservation(ctx, s.pool, claimID)
	if err != nil || found {
		return r, err
	}
	w, found, err := queueEntry(ctx, s.pool, claimID)
	if err != nil {
		return Reservation{}, err
	}
	if !found {
		return Reservation{}, notFound("reservation of claim", claimID)
	}
	pos, err := position(ctx, s.pool, w.ProgramID, w.Seq)
	return Reservation{ClaimID: w.ClaimID, ProgramID: w.ProgramID, CreditCode: w.CreditCode,
		Requested: w.Requested, State: StateWaiting, Position: pos,
		CreatedAt: w.EnqueuedAt, UpdatedAt: w.EnqueuedAt}, err
}

// Release gives back whatever a claim holds, in one transaction: its reserved money goes
// back to the program (or the claim leaves the budget queue), the queue uses what is now
// available, and its live evidence is released so another claim may use it. Money and
// evidence go together or not at all. It returns the claims the queue decided as a result,
// whose workflows the caller should signal. Releasing a claim that holds nothing is a
// no-op; committed money cannot be released (Conflict).
func (s *Store) Release(ctx context.Context, claimID string, m Meta) ([]string, error) {
	programID, err := programOfClaim(ctx, s.pool, claimID)
	if err != nil {
		return nil, err
	}
	var decided []string
	err = s.WithTx(ctx, func(tx pgx.Tx) error {
		decided = nil
		if err := releaseEvidence(ctx, tx, claimID); err != nil {
			return err
		}
		if programID == "" {
			return nil // no money was ever asked for
		}
		if _, err := lockProgram(ctx, tx, programID); err != nil {
			return err
		}
		entries, err := release(ctx, tx, programID, claimID, m)
		if err != nil || entries == nil {
			return err // nothing held: no-op, and nothing for the queue either
		}
		more, allocEntries, err := allocate(ctx, tx, programID)
		if err != nil {
			return err
		}
		decided = more
		return appendAll(ctx, tx, append(entries, allocEntries...))
	})
	return decided, err
}

// release frees what the claim holds; the program is locked by the caller. It returns no
// audit rows when there was nothing to free.
func release(ctx context.Context, q dbtx, programID, claimID string, m Meta) ([]audit.Entry, error) {
	r, found, err := getReservation(ctx, q, claimID)
	if err != nil {
		return nil, err
	}
	if !found {
		removed, err := dequeue(ctx, q, claimID)
		if err != nil || !removed {
			return nil, err
		}
		e := entry(m, "budget.dequeued")
		e.ProgramID, e.ClaimID = programID, claimID
		return []audit.Entry{e}, nil
	}
	switch r.State {
	case StateReleased, StateRefused:
		return nil, nil
	case StateCommitted:
		return nil, apperr.New(apperr.Conflict, "claim %s is paid; its money cannot be released", claimID)
	}
	if err := setReservationState(ctx, q, claimID, StateReleased); err != nil {
		return nil, err
	}
	if err := move(ctx, q, programID, claimID, kindRelease, accReserved, accAvailable, r.Amount); err != nil {
		return nil, err
	}
	if err := adjustProgram(ctx, q, programID, decimal.Zero, r.Amount.Neg(), decimal.Zero); err != nil {
		return nil, err
	}
	return []audit.Entry{moneyEntry(m, "budget.released", programID, claimID, r.Amount, nil)}, nil
}

// programOfClaim finds the program a claim holds or waits for money in ("" if none). A
// claim never changes program, so reading it before taking the program lock is safe.
func programOfClaim(ctx context.Context, q dbtx, claimID string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT program_id FROM reservations WHERE claim_id = $1
		UNION ALL SELECT program_id FROM budget_queue WHERE claim_id = $1 LIMIT 1`, claimID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, mapErr(err)
}

// Shrink lowers a claim's reserved amount to amount (0 ≤ amount ≤ what it holds), giving
// the difference back to the program and letting the queue use it, as when a voucher is
// redeemed for less than its face value. It returns the claims the queue decided.
// Shrinking to the amount already held is a no-op, so retries are safe.
func (s *Store) Shrink(ctx context.Context, claimID string, amount decimal.Decimal, m Meta) ([]string, error) {
	if amount.IsNegative() || !amount.Equal(amount.Round(2)) {
		return nil, apperr.InvalidFields(map[string]string{"amount": "must be ≥ 0 with at most 2 decimals"})
	}
	var decided []string
	err := s.onReservation(ctx, claimID, func(tx pgx.Tx, r Reservation) ([]audit.Entry, error) {
		if r.State != StateReserved || amount.GreaterThan(r.Amount) {
			return nil, apperr.New(apperr.Conflict, "claim %s holds %s (%s); cannot shrink it to %s",
				claimID, r.Amount.StringFixed(2), r.State, amount.StringFixed(2))
		}
		diff := r.Amount.Sub(amount)
		if diff.IsZero() {
			return nil, nil
		}
		if _, err := tx.Exec(ctx, "UPDATE reservations SET amount = $2, updated_at = now() WHERE claim_id = $1", claimID, amount); err != nil {
			return nil, mapErr(err)
		}
		if err := move(ctx, tx, r.ProgramID, claimID, kindRelease, accReserved, accAvailable, diff); err != nil {
			return nil, err
		}
		if err := adjustProgram(ctx, tx, r.ProgramID, decimal.Zero, diff.Neg(), decimal.Zero); err != nil {
			return nil, err
		}
		more, entries, err := allocate(ctx, tx, r.ProgramID)
		decided = more
		e := moneyEntry(m, "budget.shrunk", r.ProgramID, claimID, diff, map[string]string{"held": amount.StringFixed(2)})
		return append([]audit.Entry{e}, entries...), err
	})
	return decided, err
}
