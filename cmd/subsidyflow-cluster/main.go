// Command subsidyflow-cluster runs an upstream Temporal server on this machine the way
// production runs one (`make cluster`): it builds go.temporal.io/server's server and SQL
// tool from this module, creates the temporal and temporal_visibility databases on the
// PostgreSQL server of DATABASE_URL with the upstream schema, makes a CA and mTLS
// certificates for the server, the api and the worker, writes the config (PostgreSQL
// persistence, 4 history shards, TLS required on every listener) and runs the server in
// the foreground until interrupted.
//
// Settings from the environment: DATABASE_URL, CLUSTER_DIR (.data/cluster),
// CLUSTER_FRONTEND_PORT (7233).
//
// `subsidyflow-cluster certs DIR` only makes the CA and certificates, for docker-compose's
// one-shot certs job; there the keys are readable by every container user (the upstream
// images and ours run as different users), which is for a local compose only.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/subsidyflow/subsidyflow/cluster"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "subsidyflow-cluster:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) == 3 && os.Args[1] == "certs" {
		return cluster.EnsureSharedCerts(os.Args[2])
	}
	s := cluster.Settings{
		Dir:         envOr("CLUSTER_DIR", filepath.Join(".data", "cluster")),
		DatabaseURL: envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable"),
	}
	if v := os.Getenv("CLUSTER_FRONTEND_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("CLUSTER_FRONTEND_PORT=%q: want a port number", v)
		}
		s.FrontendPort = p
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bins, err := cluster.Prepare(ctx, s, os.Stderr)
	if err != nil {
		return err
	}
	if err := writeClientEnv(s); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "starting the Temporal server: frontend %s (mTLS), config %s\n"+
		"in other terminals: make migrate; make worker (as many as you like); make api\n",
		s.FrontendAddress(), s.ConfigPath())
	cmd := cluster.Command(ctx, s, bins)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	if err := cmd.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("temporal server: %w", err)
	}
	return nil
}

// writeClientEnv writes what the api and worker processes need to reach this cluster:
// api.env and worker.env (each with its own certificate) and the secrets every api and
// worker must share (DECISION_KEY, PII_HASH_KEY, PAYLOAD_KEYS) plus the api's
// AUDIT_SIGNING_KEY, each created once and kept, so `make api` and `make worker` agree.
func writeClientEnv(s cluster.Settings) error {
	secret := func(name string, encode func([]byte) string) (string, error) {
		path := filepath.Join(s.Dir, name)
		v, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			b := make([]byte, 32)
			_, _ = rand.Read(b) // crypto/rand does not fail
			v = []byte(encode(b))
			err = os.WriteFile(path, v, 0o600)
		}
		return string(v), err
	}
	b64 := base64.StdEncoding.EncodeToString
	shared := ""
	for _, k := range []struct {
		env, file string
		enc       func([]byte) string
	}{
		{"DECISION_KEY", "decision.key", hex.EncodeToString},
		{"PII_HASH_KEY", "pii-hash.key", hex.EncodeToString},
		{"PAYLOAD_KEYS", "payload.keys", func(b []byte) string { return "k1:" + b64(b) }},
	} {
		v, err := secret(k.file, k.enc)
		if err != nil {
			return err
		}
		shared += k.env + "=" + v + "\n"
	}
	signing, err := secret("audit-signing.key", b64)
	if err != nil {
		return err
	}
	certs, err := filepath.Abs(s.CertDir())
	if err != nil {
		return err
	}
	for file, id := range map[string]string{"api.env": cluster.APIIdentity, "worker.env": cluster.WorkerIdentity} {
		c := cluster.CertPaths(certs, id)
		body := fmt.Sprintf("TEMPORAL_ADDRESS=%s\nTEMPORAL_TLS_CA=%s\nTEMPORAL_TLS_CERT=%s\nTEMPORAL_TLS_KEY=%s\nTEMPORAL_TLS_SERVER_NAME=localhost\n%s",
			s.FrontendAddress(), filepath.Join(certs, "ca.pem"), c.Cert, c.Key, shared)
		if id == cluster.APIIdentity {
			body += "AUDIT_SIGNING_KEY=" + signing + "\n"
		}
		if err := os.WriteFile(filepath.Join(s.Dir, file), []byte(body), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
