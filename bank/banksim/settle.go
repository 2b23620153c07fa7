package banksim

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/bank"
)

// SettleDue settles every accepted payment whose settle_after has passed and returns how
// many it settled. A payment is settled at its settle_after, whenever the sweep runs, so the
// settlement report does not depend on sweep timing. The state guard makes a second sweep a
// no-op: a payment is never settled twice.
func (s *Sim) SettleDue(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE banksim.payments SET state = 'settled', settled_at = settle_after
		WHERE state = 'accepted' AND settle_after <= $1`, s.now())
	if err != nil {
		return 0, fmt.Errorf("banksim: settle: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Run settles due payments on a ticker until ctx ends, as a bank's back office would; it
// returns nil then. Status, Settlements and List settle on their own too, so Run only makes
// settlement happen without anyone asking. Sweep errors are logged and retried next tick.
func (s *Sim) Run(ctx context.Context) error {
	t := time.NewTicker(s.sweepEvery())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := s.SettleDue(ctx); err != nil && ctx.Err() == nil {
				s.opts.Logger.WarnContext(ctx, "banksim: settlement sweep failed", "error", err)
			}
		}
	}
}

// sweepEvery is half the settle delay, kept between 10ms and 1s, so a payment settles no
// later than about half a delay after it is due.
func (s *Sim) sweepEvery() time.Duration {
	return min(max(s.opts.SettleDelay/2, 10*time.Millisecond), time.Second)
}

// Settlements implements bank.Bank: the payments settled in [from, to), oldest first.
func (s *Sim) Settlements(ctx context.Context, from, to time.Time) ([]bank.Settlement, error) {
	if _, err := s.SettleDue(ctx); err != nil {
		return nil, unavailable(err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT key, bank_ref, reference, account_number, amount::text, settled_at
		FROM banksim.payments
		WHERE state = 'settled' AND settled_at >= $1 AND settled_at < $2
		ORDER BY settled_at, key`, from, to)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, scanSettlement)
	if err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}

func scanSettlement(row pgx.CollectableRow) (bank.Settlement, error) {
	var (
		st     bank.Settlement
		amount string
	)
	if err := row.Scan(&st.Key, &st.BankRef, &st.Reference, &st.AccountNumber, &amount,
		&st.SettledAt); err != nil {
		return st, err
	}
	st.SettledAt = st.SettledAt.UTC()
	var err error
	st.Amount, err = decimal.NewFromString(amount)
	return st, err
}
