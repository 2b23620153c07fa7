package banksim_test

import (
	"context"
	"sync"
	"testing"
	"time"

	pgxdecimal "github.com/jackc/pgx-shopspring-decimal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// start is when every test's bank opens; tests move the clock from there.
var start = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

// clock is a bank clock that moves only when a test says so.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newPool connects to a fresh database, registering decimals as the service's pool does.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(t, "bank"))
	require.NoError(t, err)
	cfg.MaxConns = 8
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		pgxdecimal.Register(conn.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// newSim returns a migrated simulator with a 2s settle delay on a clock stopped at start.
func newSim(t *testing.T) (*banksim.Sim, *clock, *pgxpool.Pool) {
	t.Helper()
	pool := newPool(t)
	require.NoError(t, banksim.Migrate(t.Context(), pool))
	c := &clock{now: start}
	return banksim.New(pool, banksim.Options{SettleDelay: 2 * time.Second, Now: c.Now}), c, pool
}

// payment is a valid payment of amount to account under key.
func payment(key, account, amount string) bank.Payment {
	return bank.Payment{
		Key:           key,
		BankName:      "Bank of Tibet",
		AccountName:   "Lhasa Highland Barley Co., Ltd.",
		AccountNumber: account,
		Amount:        decimal.RequireFromString(amount),
		Reference:     "claim-" + key,
	}
}

// recorded lists what the bank recorded.
func recorded(t *testing.T, sim *banksim.Sim) []bank.Receipt {
	t.Helper()
	list, err := sim.List(t.Context())
	require.NoError(t, err)
	return list
}

// requireBankError checks err's kind and code.
func requireBankError(t *testing.T, err error, kind bank.Kind, code string) {
	t.Helper()
	var e *bank.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, kind, e.Kind, "%v", err)
	require.Equal(t, code, e.Code, "%v", err)
}
