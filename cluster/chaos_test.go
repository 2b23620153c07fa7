package cluster_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/cluster"
	"github.com/subsidyflow/subsidyflow/creditcode"
)

// TestChaosKillsWorkersAndNothingIsPaidTwice is `make chaos`: on the production topology
// (the upstream server on PostgreSQL with mTLS, one api, two workers, all separate
// processes of the production build) it files CHAOS_CLAIMS freight claims through the HTTP
// API and decides them, while the main goroutine SIGKILLs a random worker CHAOS_KILLS times
// (restarting it at once, as a supervisor would) and restarts the api CHAOS_API_RESTARTS
// times. Some claims are 100,000.00 or more and need a supervisor's second approval, some
// are rejected, and a quarter of them pay accounts on which the simulated bank fails
// transiently (…8888) or loses its answer after paying (…9999).
//
// Then: every claim is final with the status its decision calls for, there are exactly as
// many claims as were filed (retried POSTs with the same Idempotency-Key made none twice),
// the bank's own table holds at most one settled payment per claim and exactly one, of the
// claim's amount, per paid claim, the ledger balances, the audit chain verifies and the
// day's reconciliation finds no mismatch.
//
// The default size (40 claims, 6 kills, 2 api restarts) runs with every go test; the full
// one is CHAOS_CLAIMS=500 CHAOS_KILLS=50 make chaos.
func TestChaosKillsWorkersAndNothingIsPaidTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the upstream Temporal server")
	}
	size := chaosSize{
		claims:      envInt(t, "CHAOS_CLAIMS", 40),
		kills:       envInt(t, "CHAOS_KILLS", 6),
		apiRestarts: envInt(t, "CHAOS_API_RESTARTS", 2),
	}
	started := time.Now()
	ctx := t.Context()
	tp := newTopology(t, "chaos")
	s, bins, dir, bin, httpAddr, as, common, appDB := tp.s, tp.bins, tp.dir, tp.bin, tp.httpAddr, tp.as, tp.common, tp.appDB

	// The app's database first: the processes connect as the login roles migrate creates.
	run(t, bin, as(cluster.WorkerIdentity), "migrate")
	server := startProcess(t, dir, "server", bins.Server, nil, "--config-file", s.ConfigPath(), "--allow-no-auth", "start")
	incarnation := 0 // each process's incarnation logs to a file of its own, so waitLog sees only its lines
	startWorker := func(slot int) *process {
		incarnation++
		return startProcess(t, dir, fmt.Sprintf("worker%d-%d", slot+1, incarnation), bin, as(cluster.WorkerIdentity), "worker")
	}
	startAPI := func() *process {
		incarnation++
		return startProcess(t, dir, fmt.Sprintf("api-%d", incarnation), bin, as(cluster.APIIdentity), "api")
	}
	workers := []*process{startWorker(0), startWorker(1)}
	api := startAPI()
	workers[0].waitLog(t, "waiting for the Temporal namespace", 3*time.Minute, server)
	run(t, bin, as(cluster.WorkerIdentity), "namespace")
	run(t, bin, as(cluster.WorkerIdentity), "token", "demo")
	tokens := readEnvFile(t, filepath.Join(dir, ".data", "demo-tokens.env"))

	c := &chaosClient{base: "http://" + httpAddr, http: &http.Client{Timeout: time.Minute}}
	deadline := time.Now().Add(3 * time.Minute)
	for code, body := get(t, c.base+"/readyz"); code != 200; code, body = get(t, c.base+"/readyz") {
		require.True(t, time.Now().Before(deadline), "api never ready: %s; see %s", body, api.logPath)
		time.Sleep(time.Second)
	}

	// The fund and the payees: four enterprises, two paying accounts on which the bank
	// misbehaves. The caps are high so that every claim is paid in full and waits for nothing.
	code, prog, err := c.retry(ctx, "POST", "/v1/programs", tokens["ADMIN_TOKEN"], map[string]any{
		"kind": "freight", "name": "Chaos freight 2023", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2024-01-01", "budget": "1000000000.00",
		"params": map[string]any{"rate": "0.50", "yearly_cap": "100000000.00",
			"product_categories": []string{"highland-barley", "yak-dairy"}},
	}, "chaos-program")
	require.NoError(t, err)
	require.Equal(t, 201, code, "%v", prog)
	programID := prog["id"].(string)
	applicants := make([]string, len(chaosAccounts))
	for i, account := range chaosAccounts {
		cc, err := creditcode.Complete(fmt.Sprintf("91540100MA6C0000%d", i+1))
		require.NoError(t, err)
		code, body, err := c.retry(ctx, "POST", "/v1/enterprises", tokens["ADMIN_TOKEN"], map[string]any{
			"credit_code": cc, "name": "Chaos Highland Foods " + strconv.Itoa(i+1), "industry": "industry",
			"employees": 45, "revenue": "1800.00", "assets": "2500.00", "region": "540102",
			"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Chaos Highland Foods",
				"account_number": account},
		}, "chaos-enterprise-"+cc)
		require.NoError(t, err)
		require.Equal(t, 201, code, "%v", body)
		out := run(t, bin, common, "token", "create", "--role", "applicant", "--subject", "chaos-applicant-"+strconv.Itoa(i+1), "--credit-code", cc)
		tok := regexp.MustCompile(`sf_\S+`).FindAllString(out, -1)
		require.NotEmpty(t, tok, "token create: %s", out)
		applicants[i] = tok[len(tok)-1]
	}

	// The claims, filed and decided by eight clerks while the chaos below runs.
	plans := make([]claimPlan, size.claims)
	for i := range plans {
		plans[i] = planClaim(i)
	}
	var decided atomic.Int64
	jobs := make(chan int)
	var clerks sync.WaitGroup
	for range 8 {
		clerks.Add(1)
		go func() {
			defer clerks.Done()
			for i := range jobs {
				if err := c.fileAndDecide(ctx, &plans[i], programID, applicants[plans[i].payee], tokens); err != nil {
					t.Errorf("claim %d: %v", i, err)
				}
				decided.Add(1)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range plans {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	// The chaos: kill k waits until (k-1)/kills of the claims are decided, so the kills are
	// spread over filing, deciding and paying; the api restarts fall between them.
	apiRestartAt := map[int]bool{}
	for j := 1; j <= size.apiRestarts; j++ {
		apiRestartAt[j*size.kills/(size.apiRestarts+1)] = true
	}
	conn, err := pgx.Connect(ctx, appDB)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	kills, apiRestarts := 0, 0
	// Whether the kills hit money on its way: claims approved or disbursing when each fell.
	paymentsInFlight, killsDuringPayments := 0, 0
	restartAPI := func() {
		// A rolling deploy: SIGTERM lets the api finish its requests; clients retry meanwhile.
		// CHAOS_API_SIGNAL=KILL crashes it instead.
		sig := syscall.SIGTERM
		if os.Getenv("CHAOS_API_SIGNAL") == "KILL" {
			sig = syscall.SIGKILL
		}
		require.NoError(t, api.cmd.Process.Signal(sig))
		waitExit(t, api, 30*time.Second)
		api = startAPI()
		api.waitLog(t, "HTTP API listening", time.Minute, server)
		apiRestarts++
	}
	for k := 1; k <= size.kills; k++ {
		for decided.Load()*int64(size.kills) < int64(k-1)*int64(size.claims) && !t.Failed() {
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(time.Duration(500+rand.IntN(1500)) * time.Millisecond)
		var inFlight int
		require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM claims WHERE status IN ('approved', 'disbursing')`).Scan(&inFlight))
		paymentsInFlight += inFlight
		if inFlight > 0 {
			killsDuringPayments++
		}
		slot := rand.IntN(len(workers))
		require.NoError(t, workers[slot].cmd.Process.Signal(syscall.SIGKILL))
		waitExit(t, workers[slot], 10*time.Second)
		workers[slot] = startWorker(slot)
		kills++
		require.True(t, server.running(), "the Temporal server exited; see %s", server.logPath)
		if apiRestartAt[k] {
			restartAPI()
		}
	}
	for apiRestarts < size.apiRestarts { // with fewer kills than restarts
		restartAPI()
	}
	clerks.Wait()
	require.False(t, t.Failed(), "the clerks could not file and decide every claim")

	// Every claim comes to rest.
	deadline = time.Now().Add(5*time.Minute + time.Duration(size.claims)*time.Second)
	for {
		var moving int
		require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM claims WHERE status NOT IN ('paid', 'rejected')`).Scan(&moving))
		if moving == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "%d claims still not paid or rejected", moving)
		require.True(t, server.running(), "the Temporal server exited; see %s", server.logPath)
		time.Sleep(2 * time.Second)
	}
	elapsed := time.Since(started)

	books, err := readBooks(ctx, conn, programID, plans)
	require.NoError(t, err)
	assert.Empty(t, books.problems, "the books after the chaos")
	fourEyes, wantRejected := 0, 0
	for _, p := range plans {
		if p.fourEyes {
			fourEyes++
		}
		if p.reject {
			wantRejected++
		}
	}
	// The audit chain, and the day's reconciliation, as an auditor and finance see them.
	code, verify, err := c.retry(ctx, "GET", "/v1/audit/verify", tokens["AUDITOR_TOKEN"], nil, "")
	require.NoError(t, err)
	assert.Equal(t, 200, code, "%v", verify)
	assert.Equal(t, true, verify["ok"], "audit chain: %v", verify)
	code, recon, err := c.retry(ctx, "GET", "/v1/reconciliation?date="+time.Now().UTC().Format(time.DateOnly), tokens["OFFICER_TOKEN"], nil, "")
	require.NoError(t, err)
	assert.Equal(t, 200, code, "%v", recon)
	assert.Equal(t, true, recon["ok"], "reconciliation: %v", recon)

	figures := fmt.Sprintf("chaos figures: claims %d (%d needing four eyes, %d rejected by plan), worker SIGKILLs %d (%d with payments in flight, "+
		"%d claims approved or disbursing at the kills in all), api restarts %d, "+
		"final statuses %v, settled bank payments per claim %v (claims by count), bank payment rows per claim %v, "+
		"committed %s = settled %s, audit chain ok %v, reconciliation ok %v, client retries %d, elapsed %s",
		size.claims, fourEyes, wantRejected, kills, killsDuringPayments, paymentsInFlight, apiRestarts, books.statuses,
		books.settledPerClaim, books.rowsPerClaim, books.committed, books.settled, verify["ok"], recon["ok"], c.retries.Load(), elapsed.Round(time.Second))
	t.Log(figures)
	fmt.Println(figures) // also without -v, for the README
}

type chaosSize struct{ claims, kills, apiRestarts int }

// querier is a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// books is what a finished run left in the app's database and the bank's, and every way
// they are wrong.
type books struct {
	statuses        map[string]int // claims by status
	settledPerClaim map[int]int    // settled bank payments → claims with that many
	rowsPerClaim    map[int]int    // bank payment rows, whatever their state → claims with that many
	committed       decimal.Decimal
	settled         decimal.Decimal // the bank's settled total
	problems        []string
}

// readBooks checks, in SQL, the claims against their plans (filed once each, paid or
// rejected as decided), the bank's payments (at most one settled per claim, exactly one of
// the claim's amount per paid claim, none for a rejected claim, none left accepted or
// failed, none for no claim) and the ledger (every movement and every claim summing to zero,
// accounts equal to the program's balances, nothing reserved, committed equal to the paid
// claims and to what the bank settled).
func readBooks(ctx context.Context, conn querier, programID string, plans []claimPlan) (books, error) {
	b := books{statuses: map[string]int{}, settledPerClaim: map[int]int{}, rowsPerClaim: map[int]int{}}
	wrong := func(format string, args ...any) { b.problems = append(b.problems, fmt.Sprintf(format, args...)) }

	rows, err := conn.Query(ctx, `SELECT status, count(*) FROM claims GROUP BY status`)
	if err != nil {
		return b, err
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return b, err
		}
		b.statuses[st] = n
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	filed := 0
	for _, st := range b.statuses {
		filed += st
	}
	if filed != len(plans) {
		wrong("%d claims in the database, %d filed", filed, len(plans))
	}
	for _, p := range plans {
		want := map[bool]string{true: "rejected", false: "paid"}[p.reject]
		var st string
		if err := conn.QueryRow(ctx, `SELECT status FROM claims WHERE id = $1`, p.id).Scan(&st); err != nil {
			wrong("claim %d (%s): %v", p.n, p.id, err)
		} else if st != want {
			wrong("claim %d (%s) is %s, want %s", p.n, p.id, st, want)
		}
	}

	rows, err = conn.Query(ctx, `SELECT c.id, c.status, count(p.key), count(p.key) FILTER (WHERE p.state = 'settled'),
			count(p.key) FILTER (WHERE p.state = 'settled' AND p.amount = c.amount)
		FROM claims c LEFT JOIN banksim.payments p ON p.reference = c.id GROUP BY c.id, c.status`)
	if err != nil {
		return b, err
	}
	for rows.Next() {
		var id, st string
		var payments, settled, settledInFull int
		if err := rows.Scan(&id, &st, &payments, &settled, &settledInFull); err != nil {
			return b, err
		}
		b.settledPerClaim[settled]++
		b.rowsPerClaim[payments]++
		switch {
		case settled > 1:
			wrong("claim %s (%s) paid twice: %d settled payments", id, st, settled)
		case st == "paid" && settledInFull != 1:
			wrong("paid claim %s has %d settled payments of its amount", id, settledInFull)
		case st != "paid" && payments > 0:
			wrong("%s claim %s reached the bank: %d payments", st, id, payments)
		}
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	var strays, unsettled int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = p.reference)),
		count(*) FILTER (WHERE state <> 'settled') FROM banksim.payments p`).Scan(&strays, &unsettled); err != nil {
		return b, err
	}
	if strays > 0 {
		wrong("%d bank payments for no claim", strays)
	}
	if unsettled > 0 {
		wrong("%d bank payments accepted or failed and left so", unsettled)
	}

	var badMovements, badClaims int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT movement_id FROM ledger_entries
		GROUP BY movement_id HAVING sum(amount) <> 0) x`).Scan(&badMovements); err != nil {
		return b, err
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT claim_id FROM ledger_entries
		WHERE claim_id IS NOT NULL GROUP BY claim_id HAVING sum(amount) <> 0) x`).Scan(&badClaims); err != nil {
		return b, err
	}
	if badMovements > 0 {
		wrong("%d ledger movements do not sum to zero", badMovements)
	}
	if badClaims > 0 {
		wrong("%d claims' ledger entries do not sum to zero", badClaims)
	}
	var budget, reserved, funding, reservedAcc, committedAcc, paidSum decimal.Decimal
	if err := conn.QueryRow(ctx, `SELECT p.budget, p.reserved, p.committed,
			COALESCE(sum(l.amount) FILTER (WHERE l.account = 'funding'), 0),
			COALESCE(sum(l.amount) FILTER (WHERE l.account = 'reserved'), 0),
			COALESCE(sum(l.amount) FILTER (WHERE l.account = 'committed'), 0),
			(SELECT COALESCE(sum(amount), 0) FROM claims WHERE status = 'paid'),
			(SELECT COALESCE(sum(amount), 0) FROM banksim.payments WHERE state = 'settled')
		FROM programs p LEFT JOIN ledger_entries l ON l.program_id = p.id WHERE p.id = $1
		GROUP BY p.id`, programID).Scan(&budget, &reserved, &b.committed, &funding, &reservedAcc, &committedAcc, &paidSum, &b.settled); err != nil {
		return b, err
	}
	for _, c := range []struct {
		what string
		a, b decimal.Decimal
	}{
		{"budget vs the funding account", budget, funding.Neg()},
		{"reserved vs nothing", reserved, decimal.Zero},
		{"reserved vs the reserved account", reserved, reservedAcc},
		{"committed vs the committed account", b.committed, committedAcc},
		{"committed vs the paid claims", b.committed, paidSum},
		{"committed vs what the bank settled", b.committed, b.settled},
	} {
		if !c.a.Equal(c.b) {
			wrong("%s: %s ≠ %s", c.what, c.a, c.b)
		}
	}
	return b, nil
}

// chaosAccounts are the payees' accounts: two ordinary ones, one on which the simulated bank
// refuses the first two calls (…8888) and one on which it pays and loses the answer (…9999).
var chaosAccounts = []string{"6222000012340001", "6222000012340002", "6222000012348888", "6222000012349999"}

// claimPlan is one claim: who files it, how much, and what finance decides.
type claimPlan struct {
	n        int
	payee    int  // index into chaosAccounts
	fourEyes bool // 100,000.00 or more: an officer and a supervisor approve
	reject   bool
	id       string // once filed
}

func planClaim(n int) claimPlan {
	return claimPlan{n: n, payee: n % len(chaosAccounts), fourEyes: n%10 == 3, reject: n%9 == 4}
}

// shipment is the claim's one line; a subsidy of half the freight, 125,000.00 for a claim
// needing four eyes.
func (p claimPlan) shipment(run string) map[string]any {
	amount := fmt.Sprintf("%d.%02d", 1000+p.n*7, p.n%100)
	if p.fourEyes {
		amount = "250000.00"
	}
	return map[string]any{
		"carrier": "Tibet Transport Co", "waybill_no": fmt.Sprintf("CH-%s-%06d", run, p.n), "ship_date": "2023-05-10",
		"origin_region": "540102", "destination_region": "510100", "product_category": "highland-barley",
		"mode": "road", "amount": amount, "invoice_no": fmt.Sprintf("CI-%s-%06d", run, p.n),
	}
}

// chaosClient calls the api as a careful client does while it restarts: it retries on
// connection errors, on 5xx and on 409 "still in progress", with the same Idempotency-Key.
type chaosClient struct {
	base    string
	http    *http.Client
	retries atomic.Int64
}

// fileAndDecide files the claim, waits for it to reach finance and decides it, each step
// retried until the claim shows it took effect.
func (c *chaosClient) fileAndDecide(ctx context.Context, p *claimPlan, programID, applicant string, tokens map[string]string) error {
	code, body, err := c.retry(ctx, "POST", "/v1/claims", applicant, map[string]any{
		"program_id": programID, "freight": map[string]any{"shipments": []any{p.shipment(programID[len(programID)-6:])}},
	}, fmt.Sprintf("chaos-claim-%d", p.n))
	if err != nil {
		return err
	}
	if code != 201 {
		return fmt.Errorf("file: %d %v", code, body)
	}
	p.id, _ = body["id"].(string)
	deadline := time.Now().Add(20 * time.Minute)
	refusals := 0
	for {
		if time.Now().After(deadline) {
			return fmt.Errorf("claim %s not decided in time", p.id)
		}
		code, cl, err := c.retry(ctx, "GET", "/v1/claims/"+p.id, tokens["OFFICER_TOKEN"], nil, "")
		if err != nil {
			return err
		}
		if code != 200 {
			return fmt.Errorf("get: %d %v", code, cl)
		}
		switch cl["status"] {
		case "pending_approval":
		case "submitted", "validated", "calculated", "reserved":
			time.Sleep(500 * time.Millisecond)
			continue
		default: // decided
			return nil
		}
		path, who, note := "/approve", "OFFICER_TOKEN", "chaos: checked"
		switch {
		case p.reject:
			path, note = "/reject", "chaos: rejected by plan"
		case p.fourEyes && approvedBy(cl, "finance_officer"):
			who = "SUPERVISOR_TOKEN"
		}
		code, body, err = c.retry(ctx, "POST", "/v1/claims/"+p.id+path, tokens[who], map[string]any{"note": note}, "")
		if err != nil {
			return err
		}
		if code != 200 {
			// A decision whose answer was lost, or a read model a step behind: read again.
			if refusals++; refusals > 30 {
				return fmt.Errorf("%s refused %d times, last %d %v", path, refusals, code, body)
			}
			time.Sleep(time.Second)
		}
	}
}

func approvedBy(cl map[string]any, role string) bool {
	as, _ := cl["approvals"].([]any)
	for _, a := range as {
		if m, ok := a.(map[string]any); ok && m["role"] == role {
			return true
		}
	}
	return false
}

// retry sends the request until the api answers it with something other than a 5xx or a
// 409 for a request still in progress. A request whose api was SIGKILLed is taken over as
// soon as PostgreSQL drops the dead process's session (its advisory lock goes with it), so
// a few minutes of retrying covers an api restart with room to spare.
func (c *chaosClient) retry(ctx context.Context, method, path, token string, body any, key string) (int, map[string]any, error) {
	deadline := time.Now().Add(3 * time.Minute)
	for attempt := 0; ; attempt++ {
		code, out, err := c.do(ctx, method, path, token, body, key)
		again := err != nil || code >= 500 || (code == 409 && key != "" && strings.Contains(fmt.Sprint(out["detail"]), "in progress"))
		if !again {
			return code, out, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return code, out, fmt.Errorf("%s %s: still failing after %d attempts: %d %v %v", method, path, attempt+1, code, out, err)
		}
		c.retries.Add(1)
		time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
	}
}

func (c *chaosClient) do(ctx context.Context, method, path, token string, body any, key string) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	out := map[string]any{}
	if len(raw) > 0 && json.Unmarshal(raw, &out) != nil {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out, nil
}

func waitExit(t *testing.T, p *process, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for p.running() {
		if time.Now().After(deadline) {
			_ = p.cmd.Process.Kill()
			require.Eventually(t, func() bool { return !p.running() }, 10*time.Second, 50*time.Millisecond, "%s does not exit", p.name)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "%s", name)
	require.GreaterOrEqual(t, n, 0, "%s", name)
	return n
}

// readEnvFile reads the export KEY=VALUE lines `subsidyflow token demo` writes.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if ok {
			out[k] = v
		}
	}
	require.NoError(t, sc.Err())
	return out
}
