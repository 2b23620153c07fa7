package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/api"
	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/web"
	"github.com/subsidyflow/subsidyflow/worker"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Parts are the long-lived pieces a process holds; Close releases them.
type Parts struct {
	Store    *store.Store
	BankPool *pgxpool.Pool // the simulated bank is another system: its own pool, own schema
	Bank     *banksim.Sim
	Logger   *slog.Logger
	Tuning   worker.Tuning // the worker's concurrency and pollers (WORKER_* variables)
}

// Open migrates the database (creating it if missing) and opens the store and the bank.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Parts, error) {
	setDecisionKey(cfg, logger)
	if err := store.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	bankPool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("bank pool: %w", err)
	}
	if err := banksim.Migrate(ctx, bankPool); err != nil {
		st.Close()
		bankPool.Close()
		return nil, fmt.Errorf("bank migrate: %w", err)
	}
	sim := banksim.New(bankPool, banksim.Options{SettleDelay: cfg.SettleDelay, Logger: logger})
	return &Parts{Store: st, BankPool: bankPool, Bank: sim, Logger: logger, Tuning: cfg.Worker}, nil
}

// Close releases the database pools.
func (p *Parts) Close() {
	p.Store.Close()
	p.BankPool.Close()
}

// StartWorker runs the claim worker on c until Stop is called on the result.
func (p *Parts) StartWorker(c client.Client) (sdkworker.Worker, error) {
	w := worker.New(c, &activities.Activities{Store: p.Store, Bank: p.Bank, Temporal: c, Logger: p.Logger}, p.Tuning)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	return w, nil
}

// Handler is the HTTP API, with the web pages under /ui/ (and / redirecting there). The
// pages are mounted beside the API rather than inside it so the API keeps answering every
// other path with its own problem documents.
func (p *Parts) Handler(c client.Client) http.Handler {
	apiHandler := api.New(api.Deps{Store: p.Store, Temporal: c, Logger: p.Logger, Bank: p.Bank})
	pages := web.New(web.Deps{Store: p.Store, Temporal: c, Logger: p.Logger, API: apiHandler})
	mux := http.NewServeMux()
	mux.Handle("/ui/", pages)
	mux.Handle("GET /{$}", pages)
	mux.Handle("/", apiHandler)
	return api.CleanURL(mux) // the pages read ids from paths too
}

// serve runs an HTTP server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	srv := NewHTTPServer(addr, h)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("HTTP API listening", "addr", addr)
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
// process alone; the cluster commands refuse to start without one (openCluster).
func setDecisionKey(cfg Config, logger *slog.Logger) {
	key := cfg.DecisionKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand does not fail on supported platforms
		logger.Debug("no DECISION_KEY: decisions are signed with a random key for this process")
	}
	contract.SetDecisionKey(key)
}
