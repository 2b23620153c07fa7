package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/api"
	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/checkpoint"
	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/metrics"
	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/web"
	"github.com/subsidyflow/subsidyflow/worker"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Parts are the long-lived pieces a process holds; Close releases them.
type Parts struct {
	Store    *store.Store
	BankPool *pgxpool.Pool // the simulated bank is another system: its own pool, own schema, own login
	Bank     *banksim.Sim
	Logger   *slog.Logger
	// Checkpoints signs the audit chain's head and verifies against it; nil in a process
	// that does not keep the checkpoints (a worker).
	Checkpoints *checkpoint.Keeper
	// BehindTLS: the site is reached over HTTPS only (Config.BehindTLS).
	BehindTLS bool
	Codec     *payloadcodec.Codec // every client and worker encrypts payloads with it
	Metrics   *metrics.Metrics    // this process's Prometheus registry

	historyUI historylink.UI // where traces link workflow runs to
	uiOrigin  string         // the Temporal UI's origin, allowed to call the codec endpoint
	Tuning    worker.Tuning  // the worker's concurrency and pollers (WORKER_* variables)
}

// Open opens the store and the bank, each logged in as its own role (APP_DATABASE_URL,
// BANK_DATABASE_URL); the database must have been migrated (Migrate).
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Parts, error) {
	setDecisionKey(cfg, logger)
	st, err := store.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return nil, err
	}
	if len(cfg.PIIHashKey) == 0 {
		logger.Debug("no PII_HASH_KEY: account numbers in audit rows are hashed with a random key for this process")
	}
	st.SetAccountKey(cfg.PIIHashKey) // empty: a random key
	bankPool, err := openBankPool(ctx, cfg.BankDatabaseURL)
	if err != nil {
		st.Close()
		return nil, err
	}
	sim := banksim.New(bankPool, banksim.Options{SettleDelay: cfg.SettleDelay, Logger: logger})
	codec, err := newCodec(cfg)
	if err != nil {
		st.Close()
		bankPool.Close()
		return nil, err
	}
	return &Parts{Store: st, BankPool: bankPool, Bank: sim, Logger: logger, Codec: codec,
		Metrics: metrics.New(st, logger), historyUI: historyUI(cfg), uiOrigin: cfg.UIOrigin(),
		BehindTLS: cfg.BehindTLS, Tuning: cfg.Worker}, nil
}

// openBankPool connects as the bank's role, refusing a superuser: the bank must not be able
// to touch subsidyflow's tables.
func openBankPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("bank pool: %w", err)
	}
	var user string
	var super bool
	err = pool.QueryRow(ctx, "SELECT rolname, rolsuper FROM pg_roles WHERE rolname = session_user").Scan(&user, &super)
	switch {
	case err != nil:
		err = fmt.Errorf("bank pool: %w", err)
	case super:
		err = fmt.Errorf("bank pool: %q is a superuser: connect as %s (BANK_DATABASE_URL; `subsidyflow migrate` creates it)", user, banksim.LoginRole)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// KeepCheckpoints makes this process the keeper of the audit checkpoints (the api, or dev):
// signed with AUDIT_SIGNING_KEY, which the api requires; dev, when it is not set, keeps a key
// of its own under DataDir so its checkpoints still verify after a restart.
func (p *Parts) KeepCheckpoints(cfg Config, dev bool) error {
	var key ed25519.PrivateKey
	var err error
	switch {
	case cfg.AuditSigningKey != "":
		key, err = checkpoint.ParseKey(cfg.AuditSigningKey)
		if err != nil {
			return fmt.Errorf("AUDIT_SIGNING_KEY: %w", err)
		}
	case dev:
		path := filepath.Join(cfg.DataDir, "audit-signing.key")
		if key, err = checkpoint.LoadOrCreateKey(path); err != nil {
			return fmt.Errorf("audit signing key %s: %w", path, err)
		}
	default:
		return fmt.Errorf("AUDIT_SIGNING_KEY is required for the api: the audit checkpoints are signed with it (openssl rand -base64 32)")
	}
	p.Checkpoints = checkpoint.NewKeeper(p.Store, key, checkpoint.File{Path: cfg.CheckpointFile})
	return nil
}

// Close releases the database pools.
func (p *Parts) Close() {
	p.Metrics.Close()
	p.Store.Close()
	p.BankPool.Close()
}

// StartWorker runs the claim worker on c until Stop is called on the result.
func (p *Parts) StartWorker(c client.Client) (sdkworker.Worker, error) {
	w := worker.New(c, &activities.Activities{Store: p.Store, Bank: p.Bank, Temporal: c, Logger: p.Logger,
		Metrics: p.Metrics}, p.Tuning)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	return w, nil
}

// Handler is the HTTP API, with the web pages under /ui/ (and / redirecting there). The
// pages are mounted beside the API rather than inside it so the API keeps answering every
// other path with its own problem documents.
func (p *Parts) Handler(c client.Client) http.Handler {
	apiHandler := api.New(api.Deps{Store: p.Store, Temporal: c, Logger: p.Logger, Bank: p.Bank, Checkpoints: p.checkpoints(),
		HistoryUI: p.historyUI})
	pages := web.New(web.Deps{Store: p.Store, Temporal: c, Logger: p.Logger, API: apiHandler, Checkpoints: p.checkpoints(),
		SecureCookies: p.BehindTLS, HistoryUI: p.historyUI})
	mux := http.NewServeMux()
	mux.Handle("/ui/", pages)
	p.mountCodec(mux, c)
	mux.Handle("GET /{$}", pages)
	mux.Handle("/", apiHandler)
	h := api.CleanURL(mux) // the pages read ids from paths too
	if p.BehindTLS {
		h = strictTransport(h)
	}
	return h
}

// hstsValue tells browsers to use HTTPS only for a year. Subdomains are left out: they may
// be other services this deployment does not speak for.
const hstsValue = "max-age=31536000"

// strictTransport adds Strict-Transport-Security to every answer, so a browser that has
// seen the site once never again sends a session cookie or a token over plain HTTP.
func strictTransport(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		h.ServeHTTP(w, r)
	})
}

// checkpoints is p.Checkpoints as the handlers take it: a nil interface, not a nil pointer,
// when this process keeps none.
func (p *Parts) checkpoints() api.Checkpoints {
	if p.Checkpoints == nil {
		return nil
	}
	return p.Checkpoints
}

// serve runs an HTTP server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, ready ...func()) error {
	srv := NewHTTPServer(addr, h)
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("HTTP API listening", "addr", addr)
	for _, f := range ready { // the port is bound: a browser opened now gets an answer
		f()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// HTTP server limits: a client that trickles its headers or body, or never reads the answer,
// cannot hold a connection (and a goroutine) for long.
var (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second  // the whole request, body included (1 MiB at most)
	WriteTimeout      = 60 * time.Second  // decisions wait for the workflow's answer
	IdleTimeout       = 120 * time.Second // keep-alive between requests
)

// NewHTTPServer is the server of the API and pages with those limits.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout}
}

// setDecisionKey gives this process the key decisions are signed and checked with. Without
// DECISION_KEY (dev and tests: api and worker in one process) a random key serves this
// process alone; the cluster commands refuse to start without one (needClusterKeys).
func setDecisionKey(cfg Config, logger *slog.Logger) {
	key := cfg.DecisionKey
	if len(key) == 0 {
		key = processDecisionKey()
		logger.Debug("no DECISION_KEY: decisions are signed with a random key for this process")
	}
	contract.SetDecisionKey(key)
}

// processDecisionKey is the one random key of a process without DECISION_KEY. One, not one
// per Open: the key is process-wide, and tests open many environments in parallel, each of
// which would otherwise replace the key between another's signing and checking.
var processDecisionKey = sync.OnceValue(func() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand does not fail on supported platforms
	return key
})

// codecHandler is the codec endpoint, for finance and auditors only.
func (p *Parts) codecHandler(c client.Client) http.Handler {
	return api.Codec(api.Deps{Store: p.Store, Temporal: c, Logger: p.Logger},
		api.CodecOptions{Codec: p.Codec, AllowedOrigin: p.uiOrigin})
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// portOf is the ":port" part of a listen address (":8080", "0.0.0.0:8080").
func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return ":" + port
	}
	return ""
}
