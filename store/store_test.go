package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/pgtest"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

var (
	admin = access.Principal{Subject: "root", Role: access.Admin}
	sys   = store.Meta{Actor: access.System}
)

// testDB is a migrated database of the test's own: the store as the app sees it (logged in
// as store.AppLogin), and the URL for connecting as the owner.
type testDB struct {
	*store.Store
	url string
}

func newStore(t testing.TB) testDB {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t, "store")
	require.NoError(t, store.Migrate(ctx, url))
	appURL, err := store.AppURL(url)
	require.NoError(t, err)
	s, err := store.Open(ctx, appURL)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return testDB{Store: s, url: url}
}

// owner connects as the schema owner, bypassing the app role.
func (db testDB) owner(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), db.url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// requireDec compares decimals by value ("100.00" equals "100").
func requireDec(t *testing.T, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got, fmt.Sprint(msg...))
}

func newProgram(t testing.TB, s testDB, budget string) program.Program {
	t.Helper()
	p, err := s.CreateProgram(context.Background(), program.Program{
		Kind: program.Freight, Name: "Tibet freight 2024", Region: "540000",
		PeriodStart: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Approval:    program.DefaultApproval(),
		Params:      []byte(`{"rate": "0.50", "cap": "500000.00"}`),
		Budget:      dec(budget),
	}, admin)
	require.NoError(t, err)
	return p
}

var claimSeq atomic.Int64

// claimID returns a fresh claim id, ordered by creation within a test.
func claimID(prefix string) string {
	return fmt.Sprintf("clm_%s_%06d", prefix, claimSeq.Add(1))
}

// reserve asks for requested under NoCap for its own credit code.
func reserve(t *testing.T, s testDB, programID, claim, requested string) store.ReserveResult {
	t.Helper()
	res, err := s.Reserve(context.Background(), store.ReserveRequest{
		ProgramID: programID, ClaimID: claim, CreditCode: "cc-" + claim,
		Requested: dec(requested), Cap: store.NoCap, Meta: sys,
	})
	require.NoError(t, err)
	return res
}

// checkLedger asserts the money invariants of a program: balances within budget, every
// movement and every claim summing to zero, account totals equal to the program's
// balances, and an intact audit chain.
func checkLedger(t *testing.T, s testDB, programID string) program.Program {
	t.Helper()
	ctx := context.Background()
	p, err := s.GetProgram(ctx, programID)
	require.NoError(t, err)
	require.True(t, p.Reserved.Add(p.Committed).LessThanOrEqual(p.Budget), "reserved+committed > budget")
	conn := s.owner(t)
	var badMovements, badClaims int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT movement_id FROM ledger_entries
		WHERE program_id = $1 GROUP BY movement_id HAVING sum(amount) <> 0) x`, programID).Scan(&badMovements))
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT claim_id FROM ledger_entries
		WHERE program_id = $1 AND claim_id IS NOT NULL GROUP BY claim_id HAVING sum(amount) <> 0) x`, programID).Scan(&badClaims))
	require.Zero(t, badMovements, "movements not summing to zero")
	require.Zero(t, badClaims, "claims whose entries do not sum to zero")
	var funding, reserved, committed decimal.Decimal
	require.NoError(t, conn.QueryRow(ctx, `SELECT
		COALESCE(sum(amount) FILTER (WHERE account = 'funding'), 0),
		COALESCE(sum(amount) FILTER (WHERE account = 'reserved'), 0),
		COALESCE(sum(amount) FILTER (WHERE account = 'committed'), 0)
		FROM ledger_entries WHERE program_id = $1`, programID).Scan(&funding, &reserved, &committed))
	requireDec(t, p.Budget.String(), funding.Neg(), "budget vs funding account")
	requireDec(t, p.Reserved.String(), reserved, "reserved vs reserved account")
	requireDec(t, p.Committed.String(), committed, "committed vs committed account")
	rep, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, rep.OK, "audit chain broken: %+v", rep)
	return p
}
