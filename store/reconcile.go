package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// PaymentRecord is a claim as the daily reconciliation sees it: its status and amount and
// the payment its read model records (the payment JSON the workflow writes).
type PaymentRecord struct {
	ClaimID   string
	Status    claim.Status
	Amount    *decimal.Decimal // nil before the claim is assessed
	Key       string           // the payment's idempotency key; "" before one is sent
	BankRef   string
	SettledAt *time.Time // nil until the payment settled
}

// paymentRecordColumns reads the payment JSON's members; settled_at is written by Go's
// time encoding (RFC 3339), which the timestamptz cast reads.
const paymentRecordColumns = `id, status, amount, COALESCE(payment->>'key', ''),
	COALESCE(payment->>'bank_ref', ''), (payment->>'settled_at')::timestamptz`

func scanPaymentRecord(row pgx.CollectableRow) (PaymentRecord, error) {
	var r PaymentRecord
	var amount decimal.NullDecimal
	err := row.Scan(&r.ClaimID, &r.Status, &amount, &r.Key, &r.BankRef, &r.SettledAt)
	if amount.Valid {
		r.Amount = &amount.Decimal
	}
	if r.SettledAt != nil {
		utc := r.SettledAt.UTC()
		r.SettledAt = &utc
	}
	return r, err
}

// PaidSettledBetween lists the paid claims whose payment, by their own record, settled in
// [from, to), oldest first: what the bank's report of that period must list.
func (s *Store) PaidSettledBetween(ctx context.Context, from, to time.Time) ([]PaymentRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+paymentRecordColumns+` FROM claims
		WHERE status = 'paid' AND (payment->>'settled_at')::timestamptz >= $1
		AND (payment->>'settled_at')::timestamptz < $2
		ORDER BY (payment->>'settled_at')::timestamptz, id`, from, to)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, scanPaymentRecord)
	return out, mapErr(err)
}

// PaymentRecords lists the claims whose id is one of ids or whose recorded payment key is
// one of keys, whatever their status: the claims a settlement report names. The key is
// looked at too so that a settlement whose reference was garbled still finds its claim.
func (s *Store) PaymentRecords(ctx context.Context, ids, keys []string) ([]PaymentRecord, error) {
	if len(ids) == 0 && len(keys) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+paymentRecordColumns+` FROM claims
		WHERE id = ANY($1::text[]) OR payment->>'key' = ANY($2::text[]) ORDER BY id`, ids, keys)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, scanPaymentRecord)
	return out, mapErr(err)
}
