package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// devProcess is a `subsidyflow dev` child process.
type devProcess struct {
	cmd *exec.Cmd
	env *apptest.Env // an HTTP client view: URL and tokens only
}

// TestKilledDevKeepsEveryClaimAndPaysOnce kills `subsidyflow dev` with SIGKILL while
// payments are in flight, starts it again on the same data, and requires every claim to
// finish paid with exactly one settled payment each.
func TestKilledDevKeepsEveryClaimAndPaysOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "subsidyflow")
	build := exec.Command("go", "build", "-tags", "devserver", "-o", bin, "../cmd/subsidyflow") // dev is only in devserver builds
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	dbURL := pgtest.NewDatabase(t, "restart")
	dataDir := t.TempDir()
	uiPort, metricsAddr := freePort(t), "127.0.0.1:"+freePort(t)
	env := []string{"DATABASE_URL=" + dbURL, "DATA_DIR=" + dataDir,
		"HTTP_ADDR=127.0.0.1:" + freePort(t), "TEMPORAL_PORT=" + freePort(t), "BANK_SETTLE_DELAY=4s",
		"TEMPORAL_UI_PORT=" + uiPort, "METRICS_ADDR=" + metricsAddr}

	p := startDev(t, bin, env, dataDir)
	prg := p.env.FreightProgram(t, "1000000.00")
	p.env.Enterprise(t, p.env.CreditCode, "6222000099999999") // ambiguous first attempts, too
	var approved, pending []string
	for i := range 8 {
		r := p.env.FileFreight(t, "applicant", prg, apptest.Shipment(500+i, "100.00"))
		require.Equal(t, 201, r.Status, "%s", r.Body)
		id := r.JSON["id"].(string)
		p.env.WaitStatus(t, id, "pending_approval", wait)
		if i < 5 {
			decide(t, p.env, "officer", id, "approve", "", 200)
			approved = append(approved, id)
		} else {
			pending = append(pending, id)
		}
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL)) // payments are accepted, not yet settled
	_ = p.cmd.Wait()

	p = startDev(t, bin, env, dataDir)
	for _, id := range pending {
		decide(t, p.env, "officer", id, "approve", "", 200)
	}
	for _, id := range append(approved, pending...) {
		p.env.WaitStatus(t, id, "paid", 2*wait)
	}
	settledOnce(t, dbURL, append(approved, pending...))

	// The restarted dev read the histories its first run encrypted (its payload key is kept
	// in DATA_DIR), and serves the Temporal UI and the metrics beside the API.
	status, err := tryGet("http://127.0.0.1:" + uiPort + "/")
	require.NoError(t, err)
	require.Equal(t, 200, status, "Temporal UI")
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Contains(t, string(body), `status="paid"} 8`)
}

func startDev(t *testing.T, bin string, env []string, dataDir string) *devProcess {
	t.Helper()
	cmd := exec.Command(bin, "dev")
	cmd.Env = append(os.Environ(), env...)
	logf, err := os.OpenFile(filepath.Join(dataDir, "dev.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logf, logf
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait(); logf.Close() })

	var addr string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HTTP_ADDR="); ok {
			addr = v
		}
	}
	e := &apptest.Env{URL: "http://" + addr, Tokens: map[string]string{}}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		require.True(t, time.Now().Before(deadline), "dev did not become ready; see %s/dev.log", dataDir)
		if r, err := tryGet(e.URL + "/readyz"); err == nil && r == 200 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	readTokens(t, filepath.Join(dataDir, "demo-tokens.env"), e)
	return &devProcess{cmd: cmd, env: e}
}

// readTokens maps the demo tokens `dev` wrote onto the names the apptest helpers use.
func readTokens(t *testing.T, path string, e *apptest.Env) {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	names := map[string]string{"ADMIN_TOKEN": "admin", "APPLICANT_TOKEN": "applicant", "OFFICER_TOKEN": "officer",
		"SUPERVISOR_TOKEN": "supervisor", "AUDITOR_TOKEN": "auditor"}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if k == "CREDIT_CODE" {
			e.CreditCode = v
		} else if n, ok := names[k]; ok {
			e.Tokens[n] = v
		}
	}
}

// settledOnce reads the simulated bank's own records: each claim has exactly one payment
// that did not fail, and it settled.
func settledOnce(t *testing.T, dbURL string, ids []string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, id := range ids {
		var n, settled int
		require.NoError(t, conn.QueryRow(ctx,
			`SELECT count(*), count(*) FILTER (WHERE state = 'settled') FROM banksim.payments WHERE reference = $1 AND state <> 'failed'`,
			id).Scan(&n, &settled))
		require.Equal(t, 1, n, "claim %s: payments", id)
		require.Equal(t, 1, settled, "claim %s: settled", id)
	}
}

func tryGet(url string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
