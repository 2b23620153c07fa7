package api

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/store"
)

// The fake store's reads for dry runs and reconciliation: nothing held, nothing paid.

func (f *fakeStore) EvidenceHolders(context.Context, []store.EvidenceItem) (map[int]string, error) {
	return map[int]string{}, nil
}

func (f *fakeStore) BudgetOutlook(context.Context, string, string) (store.BudgetOutlook, error) {
	return store.BudgetOutlook{Held: decimal.Zero, Available: decimal.Zero}, nil
}

func (f *fakeStore) PaidSettledBetween(context.Context, time.Time, time.Time) ([]store.PaymentRecord, error) {
	return nil, nil
}

func (f *fakeStore) PaymentRecords(context.Context, []string, []string) ([]store.PaymentRecord, error) {
	return nil, nil
}

// fakeBank settles what it is given and remembers the window it was asked for.
type fakeBank struct {
	settled  []bank.Settlement
	err      error
	from, to time.Time
}

func (b *fakeBank) Pay(context.Context, bank.Payment) (bank.Receipt, error) {
	return bank.Receipt{}, bank.Permanentf(bank.CodeInvalidKey, "the fake bank pays nothing")
}

func (b *fakeBank) Status(context.Context, string) (bank.Receipt, error) {
	return bank.Receipt{}, bank.ErrUnknownPayment
}

func (b *fakeBank) Settlements(_ context.Context, from, to time.Time) ([]bank.Settlement, error) {
	b.from, b.to = from, to
	return b.settled, b.err
}
