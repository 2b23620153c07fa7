package banksim

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/bank"
)

// Pay implements bank.Bank. The payment is recorded with INSERT … ON CONFLICT DO NOTHING on
// its key, so concurrent calls with one key record one payment; the losers read the winner's
// row and answer with it, or with IDEMPOTENCY_MISMATCH when their payment differs.
func (s *Sim) Pay(ctx context.Context, p bank.Payment) (bank.Receipt, error) {
	if err := p.Validate(); err != nil {
		return bank.Receipt{}, err
	}
	call, err := s.countCall(ctx, p.Key)
	if err != nil {
		return bank.Receipt{}, unavailable(err)
	}
	pl := s.planFor(p.AccountNumber, call)
	if pl.transient {
		return bank.Receipt{}, bank.Transientf(bank.CodeUnavailable,
			"the bank is temporarily unavailable; retry with the same key")
	}
	r, err := s.record(ctx, p, pl)
	if pl.loseAnswer {
		return bank.Receipt{}, bank.Ambiguousf(bank.CodeTimeout,
			"no answer from the bank in time; ask for the payment's status before retrying")
	}
	return r, err
}

// record stores p as decided by pl, or finds the payment already stored under its key, and
// answers as the bank would.
func (s *Sim) record(ctx context.Context, p bank.Payment, pl plan) (bank.Receipt, error) {
	rec, err := s.insert(ctx, p, pl)
	if errors.Is(err, pgx.ErrNoRows) { // the key was there already
		rec, err = s.load(ctx, p.Key)
		if err == nil && !samePayment(rec.payment, p) {
			return bank.Receipt{}, bank.Permanentf(bank.CodeIdempotencyMismatch,
				"key %q was already used for a different payment (%s)", p.Key, rec.receipt.BankRef)
		}
	}
	if err != nil {
		// The insert may have committed before the connection failed: nobody knows.
		return bank.Receipt{}, bank.Ambiguousf(bank.CodeTimeout, "bank storage failed: %v", err)
	}
	if rec.receipt.State == bank.Failed {
		return bank.Receipt{}, &bank.Error{Kind: bank.Permanent,
			Code: rec.receipt.FailureCode, Text: rec.receipt.FailureText}
	}
	return rec.receipt, nil
}

// samePayment reports whether a replayed payment is the one stored under its key.
func samePayment(stored, p bank.Payment) bool {
	return stored.Amount.Equal(p.Amount) &&
		stored.AccountNumber == p.AccountNumber &&
		stored.AccountName == p.AccountName &&
		stored.BankName == p.BankName &&
		stored.Reference == p.Reference
}

// Status implements bank.Bank; it settles what is due first, so the answer is current.
func (s *Sim) Status(ctx context.Context, key string) (bank.Receipt, error) {
	if _, err := s.SettleDue(ctx); err != nil {
		return bank.Receipt{}, unavailable(err)
	}
	rec, err := s.load(ctx, key)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return bank.Receipt{}, bank.ErrUnknownPayment
	case err != nil:
		return bank.Receipt{}, unavailable(err)
	}
	return rec.receipt, nil
}

// List returns every payment the bank recorded, oldest first, for tests and an admin view.
func (s *Sim) List(ctx context.Context) ([]bank.Receipt, error) {
	if _, err := s.SettleDue(ctx); err != nil {
		return nil, unavailable(err)
	}
	recs, err := s.loadAll(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	out := make([]bank.Receipt, len(recs))
	for i, r := range recs {
		out[i] = r.receipt
	}
	return out, nil
}

// unavailable classifies a storage failure before anything was written: the bank did
// nothing, so the call is safe to retry.
func unavailable(err error) error {
	return bank.Transientf(bank.CodeUnavailable, "bank storage unavailable: %v", err)
}
