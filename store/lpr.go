package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/lpr"
)

// LPRTable returns the stored 1-year LPR fixings in ascending order of effective date, the
// order lpr.Table requires.
func (s *Store) LPRTable(ctx context.Context) (lpr.Table, error) {
	return lprTable(ctx, s.pool)
}

func lprTable(ctx context.Context, q dbtx) (lpr.Table, error) {
	rows, err := q.Query(ctx, "SELECT effective, rate FROM lpr_fixings ORDER BY effective")
	if err != nil {
		return nil, mapErr(err)
	}
	t, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (lpr.Fixing, error) {
		var f lpr.Fixing
		err := row.Scan(&f.Effective, &f.Rate)
		f.Effective = f.Effective.UTC()
		// NUMERIC(12,8) comes back with eight places ("0.03100000"); the rate is kept in its
		// shortest exact form, as the shipped table has it, so it reads "3.10 %", not "3.1 %".
		f.Rate, _ = decimal.NewFromString(f.Rate.String())
		return f, err
	})
	return lpr.Table(t), mapErr(err)
}

// AddLPRFixing stores a new fixing under lpr.Table.Add's rules (a fixing in force is never
// changed; the same fixing again changes nothing) and audits it. The table is read and
// written under one lock, so two administrators cannot each add a fixing the other's would
// have refused. It returns the table as stored afterwards; a refusal is Invalid with the
// field at fault.
func (s *Store) AddLPRFixing(ctx context.Context, f lpr.Fixing, today time.Time, by access.Principal) (lpr.Table, error) {
	var out lpr.Table
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		// An advisory lock, not LOCK TABLE: the app role may only read and insert fixings.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('lpr_fixings'))"); err != nil {
			return mapErr(err)
		}
		cur, err := lprTable(ctx, tx)
		if err != nil {
			return err
		}
		next, err := cur.Add(f, today)
		if err != nil {
			return fixingRefused(err)
		}
		out = next
		if len(next) == len(cur) {
			return nil // the same fixing again: nothing to store or audit
		}
		if _, err := tx.Exec(ctx, "INSERT INTO lpr_fixings (effective, rate) VALUES ($1, $2)",
			f.Effective, f.Rate); err != nil {
			return mapErr(err)
		}
		e := entry(Meta{Actor: by}, "lpr.fixing_added")
		e.Details = details(map[string]string{"effective_date": f.Effective.Format(time.DateOnly),
			"rate": f.Rate.String(), "percent": f.Percent()})
		_, err = appendAudit(ctx, tx, e)
		return err
	})
	return out, err
}

// fixingRefused turns lpr.Table.Add's refusals into field errors.
func fixingRefused(err error) error {
	field := "effective_date"
	if errors.Is(err, lpr.ErrBadRate) {
		field = "rate"
	}
	return apperr.InvalidFields(map[string]string{field: err.Error()})
}
