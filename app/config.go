// Package app wires subsidyflow's parts into the processes it runs as: `dev` (everything in
// one process with an embedded Temporal server), `api`, `worker` and `migrate` (production,
// against a Temporal cluster). Settings come from the environment.
package app

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/subsidyflow/subsidyflow/worker"
)

// Config is read from the environment; every field has a default that works on a
// developer's machine.
type Config struct {
	DatabaseURL     string        // DATABASE_URL
	TemporalAddress string        // TEMPORAL_ADDRESS (api and worker; dev embeds its own)
	Namespace       string        // TEMPORAL_NAMESPACE
	HTTPAddr        string        // HTTP_ADDR
	DataDir         string        // DATA_DIR: dev's embedded Temporal keeps its SQLite file here
	TemporalPort    int           // TEMPORAL_PORT: dev's embedded frontend port
	SettleDelay     time.Duration // BANK_SETTLE_DELAY: how long the simulated bank takes to settle
	DecisionKey     []byte        // DECISION_KEY: api and workers sign and check decisions with it

	// The cluster's mutual TLS, client side (api, worker, namespace): this process's
	// certificate and key, the CA the frontend's certificate is checked against, and the
	// name it must carry when it differs from TEMPORAL_ADDRESS's host.
	TLSCert, TLSKey, TLSCA, TLSServerName string // TEMPORAL_TLS_CERT, _KEY, _CA, _SERVER_NAME
	// NamespaceRetention is how long closed workflow histories are kept when `subsidyflow
	// namespace` registers the namespace (TEMPORAL_NAMESPACE_RETENTION). The audit trail
	// itself lives in PostgreSQL and is not bound by it.
	NamespaceRetention time.Duration
	// Worker sizes each worker process: WORKER_MAX_CONCURRENT_ACTIVITIES,
	// WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_ACTIVITY_POLLERS, WORKER_WORKFLOW_POLLERS.
	Worker worker.Tuning
}

// minDecisionKey is the shortest DECISION_KEY accepted: 32 bytes, as HMAC-SHA256 wants.
const minDecisionKey = 32

// DefaultDatabaseURL is used when DATABASE_URL is not set.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable"

// FromEnv reads the configuration.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:     env("DATABASE_URL", DefaultDatabaseURL),
		TemporalAddress: env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		Namespace:       env("TEMPORAL_NAMESPACE", "default"),
		HTTPAddr:        env("HTTP_ADDR", ":8080"),
		DataDir:         env("DATA_DIR", ".data"),
		TemporalPort:    7233,
		SettleDelay:     2 * time.Second,
		TLSCert:         os.Getenv("TEMPORAL_TLS_CERT"),
		TLSKey:          os.Getenv("TEMPORAL_TLS_KEY"),
		TLSCA:           os.Getenv("TEMPORAL_TLS_CA"),
		TLSServerName:   os.Getenv("TEMPORAL_TLS_SERVER_NAME"),

		NamespaceRetention: 90 * 24 * time.Hour,
	}
	if v := os.Getenv("TEMPORAL_NAMESPACE_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 24*time.Hour {
			return c, fmt.Errorf("TEMPORAL_NAMESPACE_RETENTION=%q: want a duration of at least 24h, e.g. 2160h", v)
		}
		c.NamespaceRetention = d
	}
	for key, dst := range map[string]*int{
		"WORKER_MAX_CONCURRENT_ACTIVITIES":     &c.Worker.MaxConcurrentActivities,
		"WORKER_MAX_CONCURRENT_WORKFLOW_TASKS": &c.Worker.MaxConcurrentWorkflowTasks,
		"WORKER_ACTIVITY_POLLERS":              &c.Worker.ActivityPollers,
		"WORKER_WORKFLOW_POLLERS":              &c.Worker.WorkflowPollers,
	} {
		v := os.Getenv(key)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return c, fmt.Errorf("%s=%q: want a whole number from 1 to 10000", key, v)
		}
		*dst = n
	}
	if c.Worker.WorkflowPollers == 1 {
		// The SDK needs two workflow pollers (sticky and normal queues) and refuses one.
		return c, errors.New("WORKER_WORKFLOW_POLLERS=1: want at least 2 (a sticky and a normal poller)")
	}
	if v := os.Getenv("TEMPORAL_PORT"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &c.TemporalPort); err != nil {
			return c, fmt.Errorf("TEMPORAL_PORT=%q: want a port number", v)
		}
	}
	if v := os.Getenv("DECISION_KEY"); v != "" {
		if len(v) < minDecisionKey {
			return c, fmt.Errorf("DECISION_KEY must be at least %d characters (e.g. openssl rand -hex 32)", minDecisionKey)
		}
		c.DecisionKey = []byte(v)
	}
	if v := os.Getenv("BANK_SETTLE_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("BANK_SETTLE_DELAY=%q: %w", v, err)
		}
		c.SettleDelay = d
	}
	return c, nil
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
