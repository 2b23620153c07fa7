package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/audit"
)

// Outcome is what Reserve did with a claim.
type Outcome string

const (
	Reserved     Outcome = "reserved"      // the amount is held for the claim
	Waiting      Outcome = "waiting"       // the claim is in the program's budget queue
	CapExhausted Outcome = "cap_exhausted" // the enterprise's cap leaves nothing for it
)

// ReservationState is where a claim's money stands.
type ReservationState string

const (
	StateWaiting   ReservationState = "waiting" // queued; not a row in reservations
	StateReserved  ReservationState = "reserved"
	StateCommitted ReservationState = "committed"
	StateReleased  ReservationState = "released"
	StateRefused   ReservationState = "refused"
)

// NoCap is the Cap of a program without a per-enterprise limit. Any negative Cap means
// the same; a zero Cap means the enterprise may get nothing.
var NoCap = decimal.NewFromInt(-1)

// ReserveRequest asks to hold money for a claim.
type ReserveRequest struct {
	ProgramID  string
	ClaimID    string
	CreditCode string          // whose cap the amount counts against
	Requested  decimal.Decimal // the claim's assessed amount, > 0
	Cap        decimal.Decimal // the enterprise's limit in this program, or NoCap
	Meta
}

// ReserveResult is the outcome of Reserve.
type ReserveResult struct {
	Outcome  Outcome
	Amount   decimal.Decimal // held (Reserved) or to be held when allocated (Waiting)
	Capped   bool            // Amount is less than Requested because of the cap
	Position int             // 1-based place in the queue (Waiting only)
}

// Reservation is the money a claim holds or waits for.
type Reservation struct {
	ClaimID    string           `json:"claim_id"`
	ProgramID  string           `json:"program_id"`
	CreditCode string           `json:"credit_code"`
	Requested  decimal.Decimal  `json:"requested"`
	Amount     decimal.Decimal  `json:"amount"`
	Capped     bool             `json:"capped"`
	State      ReservationState `json:"state"`
	Position   int              `json:"position,omitempty"` // StateWaiting only
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// Reserve holds money for a claim: min(Requested, what the cap leaves), if nobody is queued
// ahead and the program has it available; otherwise the claim joins (or keeps its place in)
// the FIFO budget queue. Calling it again for the same claim returns the first outcome
// (or the queue's decision since), so activity retries are safe.
func (s *Store) Reserve(ctx context.Context, r ReserveRequest) (ReserveResult, error) {
	if !r.Requested.IsPositive() {
		return ReserveResult{}, apperr.InvalidFields(map[string]string{"requested": "must be positive"})
	}
	var res ReserveResult
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockProgram(ctx, tx, r.ProgramID); err != nil {
			return err
		}
		var entries []audit.Entry
		var err error
		res, entries, err = reserve(ctx, tx, r)
		if err != nil {
			return err
		}
		return appendAll(ctx, tx, entries)
	})
	return res, err
}

// reserve decides a claim's reservation; the program is locked by the caller.
func reserve(ctx context.Context, q dbtx, r ReserveRequest) (ReserveResult, []audit.Entry, error) {
	held, found, err := getReservation(ctx, q, r.ClaimID)
	if err != nil {
		return ReserveResult{}, nil, err
	}
	if found {
		if held.ProgramID != r.ProgramID {
			return ReserveResult{}, nil, apperr.New(apperr.Conflict, "claim %s holds a reservation in another program", r.ClaimID)
		}
		res, err := resultOf(held)
		return res, nil, err
	}
	w := queued{ProgramID: r.ProgramID, ClaimID: r.ClaimID, CreditCode: r.CreditCode,
		Requested: r.Requested.Round(2), Cap: capOf(r.Cap)}
	amount, capped, err := capAmount(ctx, q, w)
	if err != nil {
		return ReserveResult{}, nil, err
	}
	if amount.IsZero() {
		e, err := refuse(ctx, q, w, r.Meta)
		return ReserveResult{Outcome: CapExhausted, Capped: true}, []audit.Entry{e}, err
	}
	wait, err := mustWait(ctx, q, r.ProgramID, r.ClaimID, amount)
	if err != nil {
		return ReserveResult{}, nil, err
	}
	if wait {
		pos, entries, err := enqueue(ctx, q, w, amount, r.Meta)
		return ReserveResult{Outcome: Waiting, Amount: amount, Capped: capped, Position: pos}, entries, err
	}
	e, err := reserveNow(ctx, q, w, amount, capped, r.Meta)
	return ReserveResult{Outcome: Reserved, Amount: amount, Capped: capped}, []audit.Entry{e}, err
}

// resultOf answers a repeated Reserve from the stored reservation.
func resultOf(r Reservation) (ReserveResult, error) {
	switch r.State {
	case StateReserved, StateCommitted:
		return ReserveResult{Outcome: Reserved, Amount: r.Amount, Capped: r.Capped}, nil
	case StateRefused:
		return ReserveResult{Outcome: CapExhausted, Capped: true}, nil
	}
	return ReserveResult{}, apperr.New(apperr.Conflict, "the reservation of claim %s was released", r.ClaimID)
}

// capOf turns the API's Cap into the queue's nullable cap.
func capOf(c decimal.Decimal) *decimal.Decimal {
	if c.IsNegative() {
		return nil
	}
	c = c.Round(2)
	return &c
}

// Commit turns a claim's reserved money into committed (paid) money. Committing again is a
// no-op; committing a released or refused reservation is a Conflict.
func (s *Store) Commit(ctx context.Context, claimID string, m Meta) error {
	return s.onReservation(ctx, claimID, func(tx pgx.Tx, r Reservation) ([]audit.Entry, error) {
		switch r.State {
		case StateCommitted:
			return nil, nil
		case StateReserved:
		default:
			return nil, apperr.New(apperr.Conflict, "claim %s has no reserved money to commit (%s)", claimID, r.State)
		}
		if err := setReservationState(ctx, tx, claimID, StateCommitted); err != nil {
			return nil, err
		}
		if err := markEvidencePaid(ctx, tx, claimID); err != nil {
			return nil, err
		}
		if err := move(ctx, tx, r.ProgramID, claimID, kindCommit, accReserved, accCommitted, r.Amount); err != nil {
			return nil, err
		}
		if err := adjustProgram(ctx, tx, r.ProgramID, decimal.Zero, r.Amount.Neg(), r.Amount); err != nil {
			return nil, err
		}
		return []audit.Entry{moneyEntry(m, "budget.committed", r.ProgramID, claimID, r.Amount, nil)}, nil
	})
}

// onReservation locks the claim's program, reads its reservation and runs fn in the same
// transaction, then appends the audit rows fn returns. NotFound when the claim has none.
func (s *Store) onReservation(ctx context.Context, claimID string, fn func(pgx.Tx, Reservation) ([]audit.Entry, error)) error {
	r, found, err := getReservation(ctx, s.pool, claimID)
	if err != nil {
		return err
	}
	if !found {
		return notFound("reservation of claim", claimID)
	}
	return s.WithTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockProgram(ctx, tx, r.ProgramID); err != nil {
			return err
		}
		// Re-read under the program lock: the state may have moved since.
		if r, _, err = getReservation(ctx, tx, claimID); err != nil {
			return err
		}
		entries, err := fn(tx, r)
		if err != nil {
			return err
		}
		return appendAll(ctx, tx, entries)
	})
}

// moneyEntry is the audit row of a ledger movement.
func moneyEntry(m Meta, action, programID, claimID string, amount decimal.Decimal, det any) audit.Entry {
	e := entry(m, action)
	e.ProgramID, e.ClaimID, e.Amount = programID, claimID, money(amount)
	if det != nil {
		e.Details = details(det)
	}
	return e
}
