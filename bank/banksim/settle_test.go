package banksim_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

func TestSettlementsListWhatSettledInTheWindow(t *testing.T) {
	t.Parallel()
	sim, clk, _ := newSim(t)
	ctx := t.Context()
	pay := func(key, account, amount string) {
		t.Helper()
		_, err := sim.Pay(ctx, payment(key, account, amount))
		if !bank.IsPermanent(err) {
			require.NoError(t, err)
		}
	}
	pay("p1", "6222000011112222", "100.00") // settles at +2s
	pay("closed", "6222000011110000", "1.00")
	clk.Advance(time.Second)
	pay("p2", "6222000011113333", "200.00") // +3s
	clk.Advance(9 * time.Second)
	pay("p3", "6222000011114444", "300.00") // +12s

	window := func(from, to time.Duration) []string {
		t.Helper()
		list, err := sim.Settlements(ctx, start.Add(from), start.Add(to))
		require.NoError(t, err)
		keys := []string{}
		for _, s := range list {
			keys = append(keys, s.Key)
		}
		return keys
	}
	assert.Equal(t, []string{"p1", "p2"}, window(0, time.Minute), "p3 is not due yet")
	clk.Advance(time.Minute)
	assert.Equal(t, []string{"p1", "p2", "p3"}, window(0, time.Hour))
	assert.Equal(t, []string{"p1"}, window(2*time.Second, 3*time.Second), "to is excluded")
	assert.Equal(t, []string{"p2"}, window(3*time.Second, 12*time.Second))
	assert.Empty(t, window(time.Hour, 2*time.Hour))

	list, err := sim.Settlements(ctx, start, start.Add(3*time.Second))
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "100", list[0].Amount.String())
	assert.Equal(t, "claim-p1", list[0].Reference)
	assert.Equal(t, start.Add(2*time.Second), list[0].SettledAt)
	assert.NotEmpty(t, list[0].BankRef)
}

func TestSettlingTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	sim, clk, _ := newSim(t)
	_, err := sim.Pay(t.Context(), payment("k1", "6222000011112222", "100.00"))
	require.NoError(t, err)
	clk.Advance(3 * time.Second)

	n, err := sim.SettleDue(t.Context())
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	first, err := sim.Status(t.Context(), "k1")
	require.NoError(t, err)

	clk.Advance(time.Hour)
	n, err = sim.SettleDue(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n)
	again, err := sim.Status(t.Context(), "k1")
	require.NoError(t, err)
	assert.Equal(t, first, again, "settled_at does not move")
}

func TestRunSettlesWithoutAnyoneAsking(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	require.NoError(t, banksim.Migrate(t.Context(), pool))
	sim := banksim.New(pool, banksim.Options{SettleDelay: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()

	_, err := sim.Pay(t.Context(), payment("k1", "6222000011112222", "100.00"))
	require.NoError(t, err)
	// Read the books directly: Status would settle by itself.
	assert.Eventually(t, func() bool {
		var state string
		err := pool.QueryRow(t.Context(),
			`SELECT state FROM banksim.payments WHERE key = 'k1'`).Scan(&state)
		return err == nil && state == "settled"
	}, 5*time.Second, 10*time.Millisecond)

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
}

// Every worker process runs the bank's settlement loop, so N of them settle at once, each
// through its own connection pool as separate processes would, while payments keep
// arriving. Each payment is settled by exactly one of them: the settlements counted by all
// the loops add up to the payments, never more.
func TestSettlementLoopsOfManyWorkersSettleEachPaymentOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t, "bank")
	const workers, payments = 4, 200
	sims := make([]*banksim.Sim, workers)
	for i := range sims {
		pool, err := pgxpool.New(t.Context(), url)
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		require.NoError(t, banksim.Migrate(t.Context(), pool))
		sims[i] = banksim.New(pool, banksim.Options{SettleDelay: time.Nanosecond})
	}
	var settled atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, sim := range sims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := sim.SettleDue(t.Context())
				assert.NoError(t, err)
				settled.Add(n)
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	for i := range payments {
		// Paid through different simulators, as workers' activities are.
		_, err := sims[i%workers].Pay(t.Context(), payment(fmt.Sprintf("k%03d", i), "6222000011112222", "1.00"))
		require.NoError(t, err)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	n, err := sims[0].SettleDue(t.Context()) // whatever the loops left
	require.NoError(t, err)
	settled.Add(n)
	assert.Equal(t, int64(payments), settled.Load(), "every payment settled exactly once across the loops")
	for _, r := range recorded(t, sims[0]) {
		assert.Equal(t, bank.Settled, r.State, r.Key)
	}
}
