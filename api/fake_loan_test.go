package api

import (
	"context"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/store"
)

// The fake's LPR table is the published one; it knows no loan.

func (f *fakeStore) LPRTable(context.Context) (lpr.Table, error) { return lpr.Published(), nil }

func (f *fakeStore) AddLPRFixing(context.Context, lpr.Fixing, time.Time, access.Principal) (lpr.Table, error) {
	f.wrote("AddLPRFixing")
	return lpr.Published(), nil
}

func (f *fakeStore) InsertLoan(context.Context, store.Loan, store.Meta) error {
	f.wrote("InsertLoan")
	return nil
}

func (f *fakeStore) DeleteLoan(context.Context, string, store.Meta) error {
	f.wrote("DeleteLoan")
	return nil
}

func (f *fakeStore) GetLoan(_ context.Context, id string) (store.Loan, error) {
	return store.Loan{}, apperr.New(apperr.NotFound, "loan %q not found", id)
}

func (f *fakeStore) ListLoans(context.Context, store.LoanFilter) ([]store.Loan, error) {
	return nil, nil
}
