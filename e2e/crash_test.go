package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/crashpoint"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// crashBed runs `subsidyflow dev` built with the crash test hook on its own database and
// Temporal data, and restarts it with or without the hook armed.
type crashBed struct {
	bin, dbURL, dataDir string
	env                 []string
	p                   *devProcess
}

func newCrashBed(t *testing.T) *crashBed {
	bin := filepath.Join(t.TempDir(), "subsidyflow")
	build := exec.Command("go", "build", "-tags", "crashpoint,devserver", "-o", bin, "../cmd/subsidyflow")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	b := &crashBed{bin: bin, dbURL: pgtest.NewDatabase(t, "crash"), dataDir: t.TempDir()}
	b.env = []string{"DATABASE_URL=" + b.dbURL, "DATA_DIR=" + b.dataDir,
		"HTTP_ADDR=127.0.0.1:" + freePort(t), "TEMPORAL_PORT=" + freePort(t), "BANK_SETTLE_DELAY=1s"}
	return b
}

// restart stops the running process (SIGKILL: the next one must cope with anything) and
// starts another, armed to kill itself right after its first creating transaction.
func (b *crashBed) restart(t *testing.T, armed bool) *apptest.Env {
	if b.p != nil {
		_ = b.p.cmd.Process.Signal(syscall.SIGKILL)
		_ = b.p.cmd.Wait()
	}
	env := b.env
	if armed {
		env = append(append([]string{}, env...), crashpoint.EnvVar+"="+crashpoint.AfterCreate)
	}
	b.p = startDev(t, b.bin, env, b.dataDir)
	return b.p.env
}

// crashOn sends a creating request to an armed process and requires the process to die
// before answering: the connection breaks and the process is gone.
func (b *crashBed) crashOn(t *testing.T, path, who, key string, body any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest("POST", b.p.env.URL+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.p.env.Tokens[who])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST %s was answered (%d) although the process should have died after storing", path, resp.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- b.p.cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		require.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal(), "killed by the crash point")
	case <-time.After(30 * time.Second):
		t.Fatal("the process did not die")
	}
	b.p = nil
}

// retryQuickly repeats the request on the restarted process and requires the stored
// resource's answer within seconds, not after any takeover delay.
func retryQuickly(t *testing.T, e *apptest.Env, path, who, key string, body any) *apptest.Response {
	t.Helper()
	start := time.Now()
	r := e.Do(t, "POST", path, who, body, "Idempotency-Key", key)
	require.Less(t, time.Since(start), 10*time.Second, "the retry must not wait for the dead request")
	return r
}

func (b *crashBed) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, b.dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, query, args...).Scan(&n))
	return n
}

// TestACreationCutOffByACrashIsAnsweredWithWhatWasStored kills `subsidyflow dev` right
// after an enterprise registration, a program creation and a claim filing stored what
// they create and before they answer. Each time the process is started again and the
// client's retry with the same Idempotency-Key gets, at once, the resource that was
// stored: exactly one of each exists, and the claim ends paid once.
func TestACreationCutOffByACrashIsAnsweredWithWhatWasStored(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	b := newCrashBed(t)

	// An enterprise registration.
	e := b.restart(t, true)
	code := e.CreditCode
	ent := map[string]any{"credit_code": code, "name": "Lhasa Highland Foods", "industry": "industry",
		"employees": 45, "revenue": "1800.00", "assets": "2500.00", "region": "540102",
		"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods",
			"account_number": "6222000011112345"}}
	b.crashOn(t, "/v1/enterprises", "admin", "crash-enterprise", ent)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM enterprises WHERE credit_code = $1", code), "stored before the crash")
	e = b.restart(t, false)
	r := retryQuickly(t, e, "/v1/enterprises", "admin", "crash-enterprise", ent)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.Equal(t, code, r.JSON["credit_code"])
	require.Equal(t, "/v1/enterprises/"+code, r.Header.Get("Location"))
	again := e.Do(t, "POST", "/v1/enterprises", "admin", ent, "Idempotency-Key", "crash-enterprise")
	require.Equal(t, 201, again.Status, "the resumed answer is the key's answer from now on: %s", again.Body)
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))

	// A program creation.
	b.restart(t, true) // armed: it dies on the creation below
	prg := map[string]any{"kind": "freight", "name": "Lhasa freight 2023", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2024-01-01", "budget": "100000.00",
		"params": map[string]any{"rate": "0.50", "yearly_cap": "500000.00",
			"product_categories": []string{"highland-barley", "yak-dairy", "tibetan-medicine"}}}
	b.crashOn(t, "/v1/programs", "admin", "crash-program", prg)
	e = b.restart(t, false)
	r = retryQuickly(t, e, "/v1/programs", "admin", "crash-program", prg)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	programID := r.JSON["id"].(string)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM programs"), "one program for the key")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM idempotency_keys WHERE key = 'crash-program'
		AND resource = $1 AND status = 201`, programID))

	// A claim filing: the claim row is stored, its workflow not yet started.
	b.restart(t, true) // armed: it dies on the creation below
	claimBody := map[string]any{"program_id": programID,
		"freight": map[string]any{"shipments": []map[string]any{apptest.Shipment(1, "300.00")}}}
	b.crashOn(t, "/v1/claims", "applicant", "crash-claim", claimBody)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM claims WHERE status = 'submitted' AND step = 0"))
	e = b.restart(t, false)
	r = retryQuickly(t, e, "/v1/claims", "applicant", "crash-claim", claimBody)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	require.Equal(t, "/v1/claims/"+id, r.Header.Get("Location"))
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM claims"), "exactly one claim for the key")
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM claims WHERE id = $1", id), "the stored claim's id")

	// Its workflow runs although the sweeper would only get to it minutes later.
	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "officer", id, "approve", "", 200)
	paid := e.WaitStatus(t, id, "paid", wait)
	require.Nil(t, paid.JSON["reason"])
	settledOnce(t, b.dbURL, []string{id})
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM claims"))
}
