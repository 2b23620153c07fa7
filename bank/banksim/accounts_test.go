package banksim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
)

func TestClosedAccountFailsForGoodAndStatusShowsIt(t *testing.T) {
	t.Parallel()
	sim, clk, _ := newSim(t)
	p := payment("k1", "6222000011110000", "500.00")
	_, err := sim.Pay(t.Context(), p)
	requireBankError(t, err, bank.Permanent, bank.CodeAccountClosed)

	r, err := sim.Status(t.Context(), "k1")
	require.NoError(t, err)
	assert.Equal(t, bank.Failed, r.State)
	assert.Equal(t, bank.CodeAccountClosed, r.FailureCode)
	assert.NotEmpty(t, r.FailureText)

	_, err = sim.Pay(t.Context(), p)
	requireBankError(t, err, bank.Permanent, bank.CodeAccountClosed)
	clk.Advance(time.Hour)
	r, err = sim.Status(t.Context(), "k1")
	require.NoError(t, err)
	assert.Equal(t, bank.Failed, r.State, "a failed payment never settles")
	assert.Len(t, recorded(t, sim), 1)
}

func TestNameMismatchAccount(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	_, err := sim.Pay(t.Context(), payment("k1", "6222000011117777", "500.00"))
	requireBankError(t, err, bank.Permanent, bank.CodeNameMismatch)
	r, err := sim.Status(t.Context(), "k1")
	require.NoError(t, err)
	assert.Equal(t, bank.Failed, r.State)
}

func TestTimeoutAccountSendsTheMoneyButLosesTheAnswer(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	p := payment("k1", "6222000011119999", "500.00")
	_, err := sim.Pay(t.Context(), p)
	requireBankError(t, err, bank.Ambiguous, bank.CodeTimeout)

	status, err := sim.Status(t.Context(), "k1")
	require.NoError(t, err, "the bank did receive it")
	assert.Equal(t, bank.Accepted, status.State)

	again, err := sim.Pay(t.Context(), p)
	require.NoError(t, err)
	assert.Equal(t, status, again)
	assert.Len(t, recorded(t, sim), 1)
}

func TestFlakyAccountSucceedsOnTheThirdCall(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	p := payment("k1", "6222000011118888", "500.00")
	for range 2 {
		_, err := sim.Pay(t.Context(), p)
		requireBankError(t, err, bank.Transient, bank.CodeUnavailable)
		_, err = sim.Status(t.Context(), "k1")
		require.ErrorIs(t, err, bank.ErrUnknownPayment, "a transient error records nothing")
	}
	r, err := sim.Pay(t.Context(), p)
	require.NoError(t, err)
	assert.Equal(t, bank.Accepted, r.State)

	// A new key starts its own count.
	_, err = sim.Pay(t.Context(), payment("k2", "6222000011118888", "500.00"))
	assert.True(t, bank.IsTransient(err))
}

func TestInjectedScriptIsConsumedInOrder(t *testing.T) {
	t.Parallel()
	sim, _, _ := newSim(t)
	const acct = "6222000011112222"
	sim.Inject(acct, bank.Transient, bank.Ambiguous)
	sim.Inject(acct, bank.Permanent, bank.Ambiguous)
	a, b := payment("a", acct, "10.00"), payment("b", acct, "20.00")

	_, err := sim.Pay(t.Context(), a)
	requireBankError(t, err, bank.Transient, bank.CodeUnavailable)
	_, err = sim.Pay(t.Context(), a)
	requireBankError(t, err, bank.Ambiguous, bank.CodeTimeout)
	recA, err := sim.Status(t.Context(), "a")
	require.NoError(t, err, "an ambiguous call was processed")

	_, err = sim.Pay(t.Context(), b)
	requireBankError(t, err, bank.Permanent, bank.CodeNameMismatch)

	_, err = sim.Pay(t.Context(), a)
	requireBankError(t, err, bank.Ambiguous, bank.CodeTimeout)
	got, err := sim.Pay(t.Context(), a)
	require.NoError(t, err, "the script is used up")
	assert.Equal(t, recA, got)

	_, err = sim.Pay(t.Context(), payment("c", "6222000011113333", "1.00"))
	assert.NoError(t, err, "other accounts are not scripted")
	assert.Len(t, recorded(t, sim), 3)
}
