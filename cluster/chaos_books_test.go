package cluster_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/pgtest"
	"github.com/subsidyflow/subsidyflow/store"
)

// TestReadBooksFindsWhatChaosCouldBreak proves the chaos test's checks can fail: on a small
// set of books that are right it finds nothing, and each kind of damage a lost answer or a
// killed worker could do (a second settlement, a payment for a rejected claim, a payment
// left accepted, an unbalanced movement, money left reserved, a claim filed twice, a claim
// not final) is reported.
func TestReadBooksFindsWhatChaosCouldBreak(t *testing.T) {
	ctx := t.Context()
	url := pgtest.NewDatabase(t, "chaosbooks")
	require.NoError(t, store.Migrate(ctx, url))
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	require.NoError(t, banksim.Migrate(ctx, pool))
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(context.Background())

	// Program P (budget 1000.00) paid claim c1 100.00 through the bank; c2 was rejected.
	for _, q := range []string{
		`INSERT INTO programs (id, kind, name, region, period_start, period_end, four_eyes_threshold,
			deadline_days, info_days, payment_fix_days, budget, committed)
			VALUES ('P', 'freight', 'p', '540100', '2023-01-01', '2024-01-01', 100000, 30, 15, 30, 1000.00, 100.00)`,
		`INSERT INTO claims (id, program_id, kind, credit_code, submitted_by, status, requested, amount) VALUES
			('c1', 'P', 'freight', 'cc', 'ent', 'paid', 100.00, 100.00),
			('c2', 'P', 'freight', 'cc', 'ent', 'rejected', 50.00, 50.00)`,
		`INSERT INTO ledger_entries (movement_id, program_id, claim_id, account, amount, kind) VALUES
			('m0', 'P', NULL, 'funding', -1000.00, 'budget'), ('m0', 'P', NULL, 'available', 1000.00, 'budget'),
			('m1', 'P', 'c1', 'available', -100.00, 'reserve'), ('m1', 'P', 'c1', 'reserved', 100.00, 'reserve'),
			('m2', 'P', 'c1', 'reserved', -100.00, 'commit'), ('m2', 'P', 'c1', 'committed', 100.00, 'commit')`,
		`INSERT INTO banksim.payments (key, bank_name, account_name, account_number, amount, reference, state,
			accepted_at, settle_after, settled_at) VALUES ('k1', 'b', 'a', '6222', 100.00, 'c1', 'settled', now(), now(), now())`,
	} {
		_, err := conn.Exec(ctx, q)
		require.NoError(t, err, q)
	}
	plans := []claimPlan{{n: 0, id: "c1"}, {n: 1, id: "c2", reject: true}}

	b, err := readBooks(ctx, conn, "P", plans)
	require.NoError(t, err)
	assert.Empty(t, b.problems, "books that are right")
	assert.Equal(t, map[string]int{"paid": 1, "rejected": 1}, b.statuses)
	assert.Equal(t, map[int]int{0: 1, 1: 1}, b.settledPerClaim)
	assert.Equal(t, "100", b.committed.String())

	for _, c := range []struct{ name, damage, want string }{
		{"a second settlement", `INSERT INTO banksim.payments (key, bank_name, account_name, account_number, amount, reference, state,
			accepted_at, settle_after, settled_at) VALUES ('k1-again', 'b', 'a', '6222', 100.00, 'c1', 'settled', now(), now(), now())`,
			"paid twice"},
		{"a paid claim whose payment the bank never settled", `UPDATE banksim.payments SET state = 'accepted', settled_at = NULL`,
			"has 0 settled payments"},
		{"a payment for a rejected claim", `INSERT INTO banksim.payments (key, bank_name, account_name, account_number, amount, reference, state,
			accepted_at, settle_after) VALUES ('k2', 'b', 'a', '6222', 50.00, 'c2', 'accepted', now(), now())`,
			"rejected claim c2 reached the bank"},
		{"a payment of another amount", `UPDATE banksim.payments SET amount = 99.99`, "settled payments of its amount"},
		{"an unbalanced movement", `INSERT INTO ledger_entries (movement_id, program_id, claim_id, account, amount, kind)
			VALUES ('m3', 'P', 'c1', 'committed', 0.01, 'commit')`, "movements do not sum to zero"},
		{"money left reserved", `UPDATE programs SET reserved = 50.00`, "reserved vs nothing"},
		{"a claim filed twice", `INSERT INTO claims (id, program_id, kind, credit_code, submitted_by, status, requested)
			VALUES ('c3', 'P', 'freight', 'cc', 'ent', 'rejected', 1.00)`, "3 claims in the database, 2 filed"},
		{"a claim not final", `UPDATE claims SET status = 'disbursing' WHERE id = 'c1'`, "is disbursing, want paid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tx, err := conn.Begin(ctx)
			require.NoError(t, err)
			defer func() { _ = tx.Rollback(context.Background()) }()
			_, err = tx.Exec(ctx, c.damage)
			require.NoError(t, err)
			b, err := readBooks(ctx, tx, "P", plans)
			require.NoError(t, err)
			assert.True(t, containsAny(b.problems, c.want), "want a problem with %q, got %q", c.want, b.problems)
		})
	}
}

func containsAny(problems []string, want string) bool {
	for _, p := range problems {
		if strings.Contains(p, want) {
			return true
		}
	}
	return false
}
