// Package app wires subsidyflow's parts into the processes it runs as: `dev` (everything in
// one process with an embedded Temporal server), `api`, `worker` and `migrate` (production,
// against a Temporal cluster). Settings come from the environment.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/logging"
	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/worker"
)

// Config is read from the environment; every field has a default that works on a
// developer's machine.
type Config struct {
	DatabaseURL     string        // DATABASE_URL: the schema owner; only migrate (and dev) use it
	AppDatabaseURL  string        // APP_DATABASE_URL: the app's login role (default: derived)
	BankDatabaseURL string        // BANK_DATABASE_URL: the simulated bank's login role (default: derived)
	TemporalAddress string        // TEMPORAL_ADDRESS (api and worker; dev embeds its own)
	Namespace       string        // TEMPORAL_NAMESPACE
	HTTPAddr        string        // HTTP_ADDR
	DataDir         string        // DATA_DIR: dev's embedded Temporal keeps its SQLite file here
	TemporalPort    int           // TEMPORAL_PORT: dev's embedded frontend port
	SettleDelay     time.Duration // BANK_SETTLE_DELAY: how long the simulated bank takes to settle
	DecisionKey     []byte        // DECISION_KEY: api and workers sign and check decisions with it

	AuditSigningKey    string        // AUDIT_SIGNING_KEY: Ed25519 seed, base64 (api; dev keeps one under DataDir)
	CheckpointFile     string        // AUDIT_CHECKPOINT_FILE: where signed checkpoints are appended
	CheckpointInterval time.Duration // AUDIT_CHECKPOINT_INTERVAL
	PIIHashKey         []byte        // PII_HASH_KEY: audit rows hash account numbers with it (pii)
	// BehindTLS (BEHIND_TLS=true, or PUBLIC_URL starting with https://): browsers reach the
	// site over HTTPS only, so responses carry Strict-Transport-Security and the session
	// cookie is Secure, also when a proxy terminates TLS in front of this process.
	BehindTLS   bool
	PayloadKeys []payloadcodec.Key // PAYLOAD_KEYS: encrypt Temporal payloads (dev: .data/payload-keys)
	MetricsAddr string             // METRICS_ADDR: Prometheus /metrics listener ("" = none; dev: DevMetricsAddr)
	UIPort      int                // TEMPORAL_UI_PORT: dev serves the Temporal UI here (0 = not at all)
	UIURL       string             // TEMPORAL_UI_URL: where people open the Temporal UI; traces link there
	LogFormat   logging.Format     // LOG_FORMAT: json or text ("" = json, text in dev)
	LogLevel    slog.Level         // LOG_LEVEL
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

// Defaults of the observability settings.
const (
	DevMetricsAddr  = "127.0.0.1:9090"
	DefaultUIPort   = 8233
	DefaultUIURL    = "http://localhost:8233"
	metricsDisabled = "off"
)

// minDecisionKey is the shortest DECISION_KEY accepted: 32 bytes, as HMAC-SHA256 wants.
const minDecisionKey = 32

// DefaultDatabaseURL is used when DATABASE_URL is not set.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/subsidyflow?sslmode=disable"

// FromEnv reads the configuration.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:        env("DATABASE_URL", DefaultDatabaseURL),
		TemporalAddress:    env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		Namespace:          env("TEMPORAL_NAMESPACE", "default"),
		HTTPAddr:           env("HTTP_ADDR", ":8080"),
		DataDir:            env("DATA_DIR", ".data"),
		TemporalPort:       7233,
		SettleDelay:        2 * time.Second,
		AuditSigningKey:    os.Getenv("AUDIT_SIGNING_KEY"),
		CheckpointInterval: time.Minute,
		MetricsAddr:        os.Getenv("METRICS_ADDR"),
		UIPort:             DefaultUIPort,
		UIURL:              strings.TrimRight(env("TEMPORAL_UI_URL", DefaultUIURL), "/"),
		TLSCert:            os.Getenv("TEMPORAL_TLS_CERT"),
		TLSKey:             os.Getenv("TEMPORAL_TLS_KEY"),
		TLSCA:              os.Getenv("TEMPORAL_TLS_CA"),
		TLSServerName:      os.Getenv("TEMPORAL_TLS_SERVER_NAME"),
		NamespaceRetention: 90 * 24 * time.Hour,
	}
	c.CheckpointFile = env("AUDIT_CHECKPOINT_FILE", filepath.Join(c.DataDir, "audit-checkpoints.jsonl"))
	var err error
	if c.AppDatabaseURL, err = loginURL("APP_DATABASE_URL", c.DatabaseURL, store.AppLogin); err != nil {
		return c, err
	}
	if c.BankDatabaseURL, err = loginURL("BANK_DATABASE_URL", c.DatabaseURL, banksim.LoginRole); err != nil {
		return c, err
	}
	if v := os.Getenv("AUDIT_CHECKPOINT_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("AUDIT_CHECKPOINT_INTERVAL=%q: want a positive duration such as 1m", v)
		}
		c.CheckpointInterval = d
	}
	if err := c.observabilityFromEnv(); err != nil {
		return c, err
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
	if v := os.Getenv("PII_HASH_KEY"); v != "" {
		if len(v) < pii.MinKeyLen {
			return c, fmt.Errorf("PII_HASH_KEY must be at least %d characters (e.g. openssl rand -hex 32)", pii.MinKeyLen)
		}
		c.PIIHashKey = []byte(v)
	}
	behind, err := behindTLS(os.Getenv("BEHIND_TLS"), os.Getenv("PUBLIC_URL"))
	if err != nil {
		return c, err
	}
	c.BehindTLS = behind
	if v := os.Getenv("BANK_SETTLE_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("BANK_SETTLE_DELAY=%q: %w", v, err)
		}
		c.SettleDelay = d
	}
	return c, nil
}

// loginURL is the URL in the environment variable key, or ownerURL entered as role.
func loginURL(key, ownerURL, role string) (string, error) {
	if v := os.Getenv(key); v != "" {
		return v, nil
	}
	u, err := store.LoginURL(ownerURL, role)
	if err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	return u, nil
}

// WithDatabase returns a copy of c that uses the database at ownerURL, its login URLs
// derived from it: for tests, which get a database of their own.
func (c Config) WithDatabase(ownerURL string) (Config, error) {
	var err error
	c.DatabaseURL = ownerURL
	if c.AppDatabaseURL, err = store.AppURL(ownerURL); err != nil {
		return c, err
	}
	c.BankDatabaseURL, err = store.LoginURL(ownerURL, banksim.LoginRole)
	return c, err
}

// behindTLS reads BEHIND_TLS (a boolean) and PUBLIC_URL (the address users type): either
// one saying HTTPS is enough.
func behindTLS(flag, publicURL string) (bool, error) {
	on := strings.HasPrefix(strings.ToLower(publicURL), "https://")
	if flag == "" {
		return on, nil
	}
	b, err := strconv.ParseBool(flag)
	if err != nil {
		return false, fmt.Errorf("BEHIND_TLS=%q: want true or false", flag)
	}
	return on || b, nil
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// observabilityFromEnv reads the payload keys, the Temporal UI's port and address, and the
// log settings.
func (c *Config) observabilityFromEnv() error {
	var err error
	if v := os.Getenv("PAYLOAD_KEYS"); v != "" {
		if c.PayloadKeys, err = payloadcodec.ParseKeys(v); err != nil {
			return err
		}
	}
	if v := os.Getenv("TEMPORAL_UI_PORT"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &c.UIPort); err != nil || c.UIPort < 0 || c.UIPort > 65535 {
			return fmt.Errorf("TEMPORAL_UI_PORT=%q: want a port number (0: no UI)", v)
		}
	}
	if u, err := url.Parse(c.UIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("TEMPORAL_UI_URL=%q: want an http(s) URL such as %s", c.UIURL, DefaultUIURL)
	}
	if v := os.Getenv("LOG_FORMAT"); v != "" {
		if c.LogFormat, err = logging.ParseFormat(v); err != nil {
			return err
		}
	}
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if c.LogLevel, err = logging.ParseLevel(v); err != nil {
			return err
		}
	}
	return nil
}

// UIOrigin is the origin of TEMPORAL_UI_URL: the one web origin allowed to call the codec
// endpoint from a browser.
func (c Config) UIOrigin() string {
	u, err := url.Parse(c.UIURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Logger is the process's logger: JSON unless LOG_FORMAT says otherwise, text by default in
// dev, where people read the lines.
func (c Config) Logger(command string) *slog.Logger {
	f := c.LogFormat
	if f == "" {
		f = logging.JSON
		if command == "dev" {
			f = logging.Text
		}
	}
	return logging.New(os.Stderr, f, c.LogLevel)
}
