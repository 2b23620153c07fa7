package cluster_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/cluster"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// TestClusterRunsTheWalkThrough is `make cluster`, `make migrate`, two `make worker`s and
// `make api` in one test: the upstream server built from this module on PostgreSQL (4
// shards, mTLS), the production binary (no embedded server) as two workers and an api, and
// the README's freight walk-through run by bash against it. On the way it checks that the
// processes wait for Temporal and for the namespace instead of exiting, that /readyz says
// not ready until a claim could start, and that the frontend refuses a client without a
// certificate from the cluster's CA.
//
// The first run builds the server (minutes; go test -timeout 60m); later runs reuse Go's
// build cache and .data/cluster/bin.
func TestClusterRunsTheWalkThrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the upstream Temporal server")
	}
	ctx := t.Context()
	tp := newTopology(t, "cluster")
	s, bins, dir, bin, certs, httpAddr, as := tp.s, tp.bins, tp.dir, tp.bin, tp.certs, tp.httpAddr, tp.as
	root, appDB := tp.root, tp.appDB

	// The application's database comes first (only migrate holds the owner's URL and
	// creates the login roles the processes connect as); the processes then wait for
	// Temporal and its namespace.
	out := run(t, bin, as(cluster.WorkerIdentity), "migrate")
	assert.Contains(t, out, "migrations applied")

	// A worker started before the server waits for it.
	worker1 := startProcess(t, dir, "worker1", bin, as(cluster.WorkerIdentity), "worker")
	worker1.waitLog(t, "waiting for Temporal: cannot reach the frontend", time.Minute)

	server := startProcess(t, dir, "server", bins.Server, nil, "--config-file", s.ConfigPath(), "--allow-no-auth", "start")
	worker1.waitLog(t, "waiting for the Temporal namespace", 3*time.Minute, server)
	worker2 := startProcess(t, dir, "worker2", bin, as(cluster.WorkerIdentity), "worker")
	api := startProcess(t, dir, "api", bin, as(cluster.APIIdentity), "api")
	worker2.waitLog(t, "waiting for the Temporal namespace", time.Minute)
	api.waitLog(t, "HTTP API listening", time.Minute)
	code, body := get(t, "http://"+httpAddr+"/readyz")
	assert.Equal(t, 503, code, "no namespace yet: %s", body)
	for _, p := range []*process{worker1, worker2, api, server} {
		require.True(t, p.running(), "%s exited; see %s", p.name, p.logPath)
	}

	t.Run("the frontend admits only certificates from the cluster's CA", func(t *testing.T) {
		ca, err := os.ReadFile(filepath.Join(certs, "ca.pem"))
		require.NoError(t, err)
		roots := x509.NewCertPool()
		require.True(t, roots.AppendCertsFromPEM(ca))
		other := t.TempDir()
		require.NoError(t, cluster.NewCA(cluster.CertPaths(other, "ca"), "someone else's CA"))
		require.NoError(t, cluster.Issue(cluster.CertPaths(other, "ca"), cluster.CertPaths(other, "intruder"),
			cluster.APIIdentity, nil, false)) // the right name, the wrong CA
		intruder, err := tls.LoadX509KeyPair(cluster.CertPaths(other, "intruder").Cert, cluster.CertPaths(other, "intruder").Key)
		require.NoError(t, err)
		for name, conf := range map[string]*tls.Config{
			"no client certificate":         {RootCAs: roots, ServerName: "localhost"},
			"a certificate from another CA": {RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{intruder}},
			"plain text, no TLS at all":     nil,
		} {
			opts := client.Options{HostPort: s.FrontendAddress(), ConnectionOptions: client.ConnectionOptions{TLS: conf}}
			dial, cancel := context.WithTimeout(ctx, 10*time.Second)
			c, err := client.DialContext(dial, opts)
			cancel()
			if err == nil {
				c.Close()
			}
			assert.Error(t, err, name)
		}
		ok, err := tls.LoadX509KeyPair(cluster.CertPaths(certs, cluster.APIIdentity).Cert, cluster.CertPaths(certs, cluster.APIIdentity).Key)
		require.NoError(t, err)
		c, err := client.DialContext(ctx, client.Options{HostPort: s.FrontendAddress(), ConnectionOptions: client.ConnectionOptions{
			TLS: &tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{ok}}}})
		require.NoError(t, err, "the api's certificate is admitted")
		c.Close()
	})

	// make migrate: migrations (again: idempotent), the namespace, the demo tokens.
	out = run(t, bin, as(cluster.WorkerIdentity), "migrate")
	assert.Contains(t, out, "migrations applied")
	out = run(t, bin, as(cluster.WorkerIdentity), "namespace")
	assert.Contains(t, out, "namespace default registered")
	out = run(t, bin, as(cluster.WorkerIdentity), "namespace")
	assert.Contains(t, out, "namespace default already registered", "registering again changes nothing")
	run(t, bin, as(cluster.WorkerIdentity), "token", "demo")

	deadline := time.Now().Add(3 * time.Minute)
	for code != 200 {
		require.True(t, time.Now().Before(deadline), "api never ready: %s; see %s", body, api.logPath)
		time.Sleep(time.Second)
		code, body = get(t, "http://"+httpAddr+"/readyz")
	}
	api.waitLog(t, "Temporal ready", time.Minute)

	// The README's walk-through, as a reader would paste it, against this api.
	script := walkThrough(t, filepath.Join(root, "README.md"), "http://"+httpAddr)
	walk := exec.CommandContext(ctx, "bash", "-c", script)
	walk.Dir = dir // where .data/demo-tokens.env is
	walk.Env = os.Environ()
	walkOut, err := walk.CombinedOutput()
	require.NoError(t, err, "walk-through:\n%s", walkOut)
	t.Logf("walk-through:\n%s", walkOut)
	claimID := regexp.MustCompile(`(?m)^CLAIM=(\S+)$`).FindSubmatch(walkOut)
	require.NotNil(t, claimID, "%s", walkOut)

	conn, err := pgx.Connect(ctx, appDB)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	deadline = time.Now().Add(2 * time.Minute)
	for {
		var status string
		require.NoError(t, conn.QueryRow(ctx, `SELECT status FROM claims WHERE id = $1`, string(claimID[1])).Scan(&status))
		if status == "paid" {
			break
		}
		require.True(t, time.Now().Before(deadline), "claim %s is %s, not paid", claimID[1], status)
		time.Sleep(time.Second)
	}
	var payments, settled int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 'settled')
		FROM banksim.payments WHERE reference = $1`, string(claimID[1])).Scan(&payments, &settled))
	assert.Equal(t, 1, payments)
	assert.Equal(t, 1, settled)

	// The engine is the production one: PostgreSQL persistence with more than one shard.
	tconn := connect(t, s.TemporalDB)
	var shards int
	require.NoError(t, tconn.QueryRow(ctx, `SELECT count(*) FROM shards`).Scan(&shards))
	assert.Equal(t, 4, shards)
	for _, p := range []*process{worker1, worker2, api, server} {
		assert.True(t, p.running(), "%s exited; see %s", p.name, p.logPath)
	}
}

// walkThrough is the README's walk-through section's shell blocks as one bash script: the
// only changes are the API's address, a wait for the claim's first steps where the README
// sleeps two seconds (a loaded test machine may need longer), and a last line printing the
// claim's id.
func walkThrough(t *testing.T, readme, api string) string {
	raw, err := os.ReadFile(readme)
	require.NoError(t, err)
	text := string(raw)
	start := strings.Index(text, "## Walk-through: a freight claim with curl")
	require.NotEqual(t, -1, start, "README has no walk-through")
	text = text[start:]
	if end := strings.Index(text[3:], "\n## "); end != -1 {
		text = text[:end+3]
	}
	var b strings.Builder
	b.WriteString("set -euo pipefail\n")
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(text, -1) {
		block := strings.ReplaceAll(m[1], "API=http://localhost:8080", "API="+api)
		b.WriteString(block)
		if strings.Contains(block, "CLAIM=$(") {
			b.WriteString(`for i in $(seq 60); do
  [[ $(curl -sf $API/v1/claims/$CLAIM -H "Authorization: Bearer $APPLICANT_TOKEN" | jq -r .status) == pending_approval ]] && break
  sleep 1
done
`)
		}
	}
	require.Contains(t, b.String(), "/approve", "the walk-through approves the claim")
	b.WriteString("echo CLAIM=$CLAIM\n")
	return b.String()
}

// process is a child process whose output goes to a log file the test can search.
type process struct {
	name, logPath string
	cmd           *exec.Cmd
	mu            sync.Mutex
	exited        bool
}

func startProcess(t *testing.T, dir, name, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{name: name, logPath: filepath.Join(dir, name+".log")}
	f := logFile(t, dir, name+".log")
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	require.NoError(t, p.cmd.Start())
	go func() {
		_ = p.cmd.Wait()
		p.mu.Lock()
		p.exited = true
		p.mu.Unlock()
	}()
	t.Cleanup(func() {
		if p.running() {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			time.Sleep(100 * time.Millisecond)
			_ = p.cmd.Process.Kill()
		}
		if t.Failed() {
			log, _ := os.ReadFile(p.logPath)
			t.Logf("--- %s log (last 3000 bytes):\n%s", name, tail(log, 3000))
		}
	})
	return p
}

func (p *process) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.exited
}

// waitLog waits for needle in p's log; alsoAlive are processes whose death ends the wait.
func (p *process) waitLog(t *testing.T, needle string, timeout time.Duration, alsoAlive ...*process) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		log, _ := os.ReadFile(p.logPath)
		if bytes.Contains(log, []byte(needle)) {
			return
		}
		require.True(t, p.running(), "%s exited before logging %q:\n%s", p.name, needle, tail(log, 3000))
		for _, o := range alsoAlive {
			require.True(t, o.running(), "%s exited while %s waited for %q; see %s", o.name, p.name, needle, o.logPath)
		}
		require.True(t, time.Now().Before(deadline), "%s did not log %q in %s:\n%s", p.name, needle, timeout, tail(log, 3000))
		time.Sleep(250 * time.Millisecond)
	}
}

func run(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "subsidyflow %v:\n%s", args, out)
	return string(out)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func logFile(t *testing.T, dir, name string) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// serverURL is the PostgreSQL server tests use (TEST_DATABASE_URL, then DATABASE_URL).
func serverURL() string {
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func connect(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(serverURL())
	require.NoError(t, err)
	cfg.Database = db
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func dropDatabases(t *testing.T, names ...string) {
	cfg, err := pgx.ParseConfig(serverURL())
	if err != nil {
		return
	}
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Logf("drop test databases: %v", err)
		return
	}
	defer conn.Close(context.Background())
	for _, n := range names {
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", n, err)
		}
	}
}

// freeFrontendPort finds a frontend port whose whole set (see Settings.Ports) is free, below
// the ephemeral range and low enough for Temporal's smallint membership ports.
func freeFrontendPort(t *testing.T) int {
	t.Helper()
	for range 100 {
		port := 20000 + mathrand.IntN(12000)
		free := true
		for _, q := range (cluster.Settings{FrontendPort: port}).Ports() {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", q))
			if err != nil {
				free = false
				break
			}
			_ = l.Close()
		}
		if free {
			return port
		}
	}
	t.Fatal("no free set of ports for the cluster")
	return 0
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomBase64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// topology is what the cluster tests run on: the upstream server prepared (built, schema,
// certificates, config) but not started, the production build of subsidyflow, and what its
// processes share: their own database, the cluster's address and CA, and the secrets every
// api and worker must agree on.
type topology struct {
	s              cluster.Settings
	bins           cluster.Binaries
	root, dir, bin string
	certs, appDB   string
	httpAddr       string
	common         []string // every process's environment
}

// newTopology prepares a topology; name tells its databases apart from other tests'.
func newTopology(t *testing.T, name string) topology {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	suffix := randomHex(4)
	s := cluster.Settings{
		Dir:          dir,
		BinDir:       filepath.Join(root, ".data", "cluster", "bin"), // shared with make cluster: built once
		DatabaseURL:  serverURL(),
		TemporalDB:   "temporal_" + name + "_" + suffix,
		VisibilityDB: "temporal_visibility_" + name + "_" + suffix,
		FrontendPort: freeFrontendPort(t),
	}
	t.Cleanup(func() { dropDatabases(t, s.TemporalDB, s.VisibilityDB) })
	setupLog := logFile(t, dir, "setup.log")
	bins, err := cluster.Prepare(t.Context(), s, setupLog)
	require.NoError(t, err, "see %s", setupLog.Name())

	bin := filepath.Join(dir, "subsidyflow")
	build := exec.Command("go", "build", "-o", bin, "./cmd/subsidyflow") // the production build
	build.Dir, build.Stderr = root, os.Stderr
	require.NoError(t, build.Run())

	certs := s.CertDir()
	appDB := pgtest.NewDatabase(t, name)
	httpAddr := "127.0.0.1:" + freePort(t)
	common := []string{"DATABASE_URL=" + appDB, "TEMPORAL_ADDRESS=" + s.FrontendAddress(),
		"TEMPORAL_TLS_CA=" + filepath.Join(certs, "ca.pem"), "TEMPORAL_TLS_SERVER_NAME=localhost",
		"DECISION_KEY=" + randomHex(32), "BANK_SETTLE_DELAY=1s", "DATA_DIR=" + filepath.Join(dir, ".data"),
		"HTTP_ADDR=" + httpAddr, "PII_HASH_KEY=" + randomHex(32), "PAYLOAD_KEYS=k1:" + randomBase64(32),
		"AUDIT_SIGNING_KEY=" + randomBase64(32)}
	return topology{s: s, bins: bins, root: root, dir: dir, bin: bin, certs: certs, appDB: appDB,
		httpAddr: httpAddr, common: common}
}

// as is the environment of a process that presents the certificate issued to id.
func (tp topology) as(id string) []string {
	c := cluster.CertPaths(tp.certs, id)
	return append(slices.Clip(tp.common), "TEMPORAL_TLS_CERT="+c.Cert, "TEMPORAL_TLS_KEY="+c.Key)
}
