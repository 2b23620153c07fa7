package banksim_test

import (
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

func TestPaymentIsAcceptedThenSettlesAfterTheDelay(t *testing.T) {
	t.Parallel()
	sim, clk, _ := newSim(t)
	ctx := t.Context()

	r, err := sim.Pay(ctx, payment("k1", "6222000011112222", "1234.50"))
	require.NoError(t, err)
	assert.Equal(t, bank.Accepted, r.State)
	assert.NotEmpty(t, r.BankRef)
	assert.Equal(t, "1234.5", r.Amount.String())
	assert.Equal(t, "claim-k1", r.Reference)
	assert.Equal(t, start, r.AcceptedAt)
	assert.Nil(t, r.SettledAt)

	clk.Advance(1999 * time.Millisecond)
	r, err = sim.Status(ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, bank.Accepted, r.State, "not yet due")

	clk.Advance(time.Millisecond)
	r, err = sim.Status(ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, bank.Settled, r.State)
	require.NotNil(t, r.SettledAt)
	assert.Equal(t, start.Add(2*time.Second), *r.SettledAt)
}

func TestSamePaymentTwiceReturnsTheFirstReceipt(t *testing.T) {
	t.Parallel()
	sim, clk, _ := newSim(t)
	p := payment("k1", "6222000011112222", "800.00")
	first, err := sim.Pay(t.Context(), p)
	require.NoError(t, err)
	clk.Advance(time.Second)
	again, err := sim.Pay(t.Context(), p)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	assert.Len(t, recorded(t, sim), 1)
}

func TestKeyReusedForADifferentPaymentIsRefused(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	orig := payment("k1", "6222000011112222", "800.00")
	_, err := sim.Pay(t.Context(), orig)
	require.NoError(t, err)
	cases := map[string]func(*bank.Payment){
		"different amount":    func(p *bank.Payment) { p.Amount = decimal.RequireFromString("800.01") },
		"different account":   func(p *bank.Payment) { p.AccountNumber = "6222000011113333" },
		"different name":      func(p *bank.Payment) { p.AccountName = "Someone Else" },
		"different bank":      func(p *bank.Payment) { p.BankName = "ICBC" },
		"different reference": func(p *bank.Payment) { p.Reference = "claim-other" },
	}
	for name, edit := range cases {
		p := orig
		edit(&p)
		_, err := sim.Pay(t.Context(), p)
		requireBankError(t, err, bank.Permanent, bank.CodeIdempotencyMismatch)
		assert.True(t, bank.IsPermanent(err), name)
	}
	list := recorded(t, sim)
	require.Len(t, list, 1, "a refused reuse never creates a second payment")
	assert.Equal(t, "800", list[0].Amount.String())
}

func TestSameAmountWrittenDifferentlyIsTheSamePayment(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	_, err := sim.Pay(t.Context(), payment("k1", "6222000011112222", "800"))
	require.NoError(t, err)
	_, err = sim.Pay(t.Context(), payment("k1", "6222000011112222", "800.00"))
	assert.NoError(t, err)
}

func TestFiftyConcurrentPaysWithOneKeyMakeOnePayment(t *testing.T) {
	t.Parallel()
	sim, _, pool := newSim(t)
	p := payment("k-concurrent", "6222000011112222", "99.99")
	var (
		wg   sync.WaitGroup
		refs = make([]string, 50)
		errs = make([]error, 50)
	)
	for i := range 50 {
		wg.Go(func() {
			r, err := sim.Pay(t.Context(), p)
			refs[i], errs[i] = r.BankRef, err
		})
	}
	wg.Wait()
	for i := range 50 {
		require.NoError(t, errs[i])
		assert.Equal(t, refs[0], refs[i])
	}
	assert.Len(t, recorded(t, sim), 1)
	var calls int
	require.NoError(t, pool.QueryRow(t.Context(),
		`SELECT calls FROM banksim.attempts WHERE key = $1`, p.Key).Scan(&calls))
	assert.Equal(t, 50, calls)
}

func TestStatusOfAnUnknownKey(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	_, err := sim.Status(t.Context(), "never-sent")
	assert.ErrorIs(t, err, bank.ErrUnknownPayment)
}

func TestInvalidPaymentIsRefusedAndNotRecorded(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	for _, amount := range []string{"0", "-5.00", "10.001"} {
		_, err := sim.Pay(t.Context(), payment("k-"+amount, "6222000011112222", amount))
		requireBankError(t, err, bank.Permanent, bank.CodeInvalidAmount)
		_, err = sim.Status(t.Context(), "k-"+amount)
		assert.ErrorIs(t, err, bank.ErrUnknownPayment)
	}
	assert.Empty(t, recorded(t, sim))
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = banksim.Migrate(t.Context(), pool) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, banksim.Migrate(t.Context(), pool))
}

func TestWorksWithoutDecimalRegistration(t *testing.T) {
	t.Parallel()
	pool, err := pgxpool.New(t.Context(), pgtest.NewDatabase(t, "bank"))
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	require.NoError(t, banksim.Migrate(t.Context(), pool))
	sim := banksim.New(pool, banksim.Options{})
	r, err := sim.Pay(t.Context(), payment("k1", "6222000011112222", "12.34"))
	require.NoError(t, err)
	assert.Equal(t, "12.34", r.Amount.String())
	list := recorded(t, sim)
	require.Len(t, list, 1)
	assert.True(t, list[0].Amount.Equal(decimal.RequireFromString("12.34")))
}
