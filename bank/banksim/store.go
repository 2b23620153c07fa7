package banksim

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/bank"
)

//go:embed schema.sql
var schemaSQL string

// migrateLock serialises concurrent Migrate calls (CREATE … IF NOT EXISTS is not safe
// against itself); the number is arbitrary but fixed.
const migrateLock = 0x62616e6b73696d // "banksim"

// LoginRole is the role the bank logs in as (created by Migrate): it may use the bank's
// books and nothing of subsidyflow's.
const LoginRole = "subsidyflow_bank_login"

// Migrate creates the banksim schema, its tables and LoginRole if they are missing. It runs
// as the database's owner (`subsidyflow migrate`); the simulator itself then connects as
// LoginRole. It is idempotent and safe to run from several processes at once.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrateLock)); err != nil {
			return fmt.Errorf("banksim: migrate lock: %w", err)
		}
		if _, err := tx.Exec(ctx, schemaSQL); err != nil {
			return fmt.Errorf("banksim: migrate: %w", err)
		}
		return nil
	})
}

// stored is one row of banksim.payments: the payment as sent and the bank's receipt.
type stored struct {
	payment bank.Payment
	receipt bank.Receipt
}

// columns are read by scanStored, in this order. Amounts travel as text so that the pool
// needs no decimal registration.
const columns = `key, bank_ref, state, amount::text, account_number, reference, accepted_at,
	settled_at, failure_code, failure_text, bank_name, account_name`

func scanStored(row pgx.Row) (stored, error) {
	var (
		st     stored
		r      = &st.receipt
		state  string
		amount string
	)
	err := row.Scan(&r.Key, &r.BankRef, &state, &amount, &r.AccountNumber, &r.Reference,
		&r.AcceptedAt, &r.SettledAt, &r.FailureCode, &r.FailureText,
		&st.payment.BankName, &st.payment.AccountName)
	if err != nil {
		return stored{}, err
	}
	if r.Amount, err = decimal.NewFromString(amount); err != nil {
		return stored{}, fmt.Errorf("banksim: amount %q: %w", amount, err)
	}
	r.State = bank.State(state)
	r.AcceptedAt = r.AcceptedAt.UTC()
	if r.SettledAt != nil {
		t := r.SettledAt.UTC()
		r.SettledAt = &t
	}
	st.payment.Key, st.payment.AccountNumber = r.Key, r.AccountNumber
	st.payment.Amount, st.payment.Reference = r.Amount, r.Reference
	return st, nil
}

// insert records p as pl decides; pgx.ErrNoRows means the key was recorded already.
func (s *Sim) insert(ctx context.Context, p bank.Payment, pl plan) (stored, error) {
	now := s.now()
	state, settleAfter := bank.Failed, (*time.Time)(nil)
	if pl.failCode == "" {
		due := now.Add(s.opts.SettleDelay)
		state, settleAfter = bank.Accepted, &due
	}
	row := s.pool.QueryRow(ctx, `
		INSERT INTO banksim.payments (key, bank_name, account_name, account_number, amount,
			reference, state, accepted_at, settle_after, failure_code, failure_text)
		VALUES ($1, $2, $3, $4, $5::text::numeric, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (key) DO NOTHING
		RETURNING `+columns,
		p.Key, p.BankName, p.AccountName, p.AccountNumber, p.Amount.String(),
		p.Reference, string(state), now, settleAfter, pl.failCode, pl.failText)
	return scanStored(row)
}

// load reads the payment recorded under key; pgx.ErrNoRows means there is none.
func (s *Sim) load(ctx context.Context, key string) (stored, error) {
	return scanStored(s.pool.QueryRow(ctx,
		`SELECT `+columns+` FROM banksim.payments WHERE key = $1`, key))
}

func (s *Sim) loadAll(ctx context.Context) ([]stored, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT `+columns+` FROM banksim.payments ORDER BY accepted_at, key`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (stored, error) {
		return scanStored(r)
	})
}

// countCall counts one more Pay call for key and returns how many there have been.
func (s *Sim) countCall(ctx context.Context, key string) (int, error) {
	var calls int
	err := s.pool.QueryRow(ctx, `
		INSERT INTO banksim.attempts (key, calls, last_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE
			SET calls = banksim.attempts.calls + 1, last_at = EXCLUDED.last_at
		RETURNING calls`, key, s.now()).Scan(&calls)
	return calls, err
}
