package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/devtemporal"
	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/sweep"
)

// Dev runs everything in one process: an embedded Temporal server persisted under DataDir,
// the worker, the simulated bank's settlement loop and the HTTP API. Claims survive a
// restart: their workflows live in the SQLite file and their money in PostgreSQL.
func Dev(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := Migrate(ctx, cfg); err != nil {
		return err
	}
	if len(cfg.PayloadKeys) == 0 {
		// The history in DataDir outlives the process, so its payload key must too.
		keys, err := payloadcodec.DevKeys(cfg.DataDir)
		if err != nil {
			return err
		}
		cfg.PayloadKeys = keys
	}
	if cfg.MetricsAddr == "" {
		cfg.MetricsAddr = DevMetricsAddr
	}
	parts, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer parts.Close()
	if err := parts.KeepCheckpoints(cfg, true); err != nil {
		return err
	}
	go parts.Checkpoints.Run(ctx, cfg.CheckpointInterval, logger)

	srv, err := devtemporal.Start(ctx, devtemporal.Config{
		DatabasePath: filepath.Join(cfg.DataDir, "temporal.db"),
		Namespace:    cfg.Namespace,
		FrontendPort: cfg.TemporalPort,
		Logger:       logger,
	})
	if err != nil {
		return fmt.Errorf("embedded temporal: %w", err)
	}
	defer func() { _ = srv.Stop() }()
	logger.Info("embedded Temporal server", "address", srv.HostPort(), "namespace", srv.Namespace())

	c, err := srv.NewClient(ctx, parts.ClientOptions())
	if err != nil {
		return err
	}
	defer c.Close()
	stopUI, err := startUI(ctx, cfg, srv.HostPort(), logger)
	if err != nil {
		return err
	}
	defer stopUI()
	return runAll(ctx, cfg, parts, c, true)
}

// API runs the HTTP API against a Temporal cluster. It also keeps the audit checkpoints:
// run one api process with AUDIT_CHECKPOINT_FILE where the auditors' copy is taken from.
func API(ctx context.Context, cfg Config, logger *slog.Logger) error {
	parts, c, err := openCluster(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer parts.Close()
	defer c.Close()
	if err := parts.KeepCheckpoints(cfg, false); err != nil {
		return err
	}
	go parts.Checkpoints.Run(ctx, cfg.CheckpointInterval, logger)
	if err := serveMetrics(ctx, cfg.MetricsAddr, parts.Metrics, logger); err != nil {
		return err
	}
	return serve(ctx, cfg.HTTPAddr, parts.Handler(c), logger)
}

// Worker runs the claim worker (and the simulated bank's settlement loop) against a
// Temporal cluster. Run as many as load needs: the cluster spreads the work.
func Worker(ctx context.Context, cfg Config, logger *slog.Logger) error {
	parts, c, err := openCluster(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer parts.Close()
	defer c.Close()
	return runAll(ctx, cfg, parts, c, false)
}

// openCluster opens the database parts and connects to the Temporal cluster at
// TEMPORAL_ADDRESS, as the production commands do.
func openCluster(ctx context.Context, cfg Config, logger *slog.Logger) (*Parts, client.Client, error) {
	if len(cfg.DecisionKey) == 0 {
		// Separate processes must share the key the api signs decisions with and the
		// workers check them with; a key of one's own would refuse every decision.
		return nil, nil, fmt.Errorf("DECISION_KEY is required for the api and the workers (the same value for all; e.g. openssl rand -hex 32)")
	}
	if len(cfg.PIIHashKey) == 0 {
		// The api and the workers both write account hashes into the audit log; with keys
		// of their own, an auditor's number would match the rows of one process only.
		return nil, nil, fmt.Errorf("PII_HASH_KEY is required for the api and the workers (the same value for all, kept as long as the audit log; e.g. openssl rand -hex 32)")
	}
	if len(cfg.PayloadKeys) == 0 {
		// Every process must read what the others encrypted.
		return nil, nil, fmt.Errorf("PAYLOAD_KEYS is required for the api and the workers (the same value for all; e.g. PAYLOAD_KEYS=k1:$(openssl rand -base64 32))")
	}
	parts, err := Open(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	c, err := Dial(ctx, cfg.TemporalAddress, cfg.Namespace, parts.ClientOptions(), logger)
	if err != nil {
		parts.Close()
		return nil, nil, err
	}
	return parts, c, nil
}

// Migrate is the one step that runs as the schema owner (DATABASE_URL): it creates the
// database if missing, applies subsidyflow's migrations and the bank's schema, which create
// the login roles the app and the bank then connect as, and gives those roles the passwords
// in APP_DATABASE_URL and BANK_DATABASE_URL when they carry one.
func Migrate(ctx context.Context, cfg Config) error {
	if err := store.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	owner, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer owner.Close()
	if err := banksim.Migrate(ctx, owner); err != nil {
		return fmt.Errorf("migrate the bank: %w", err)
	}
	if err := store.SetLoginPassword(ctx, cfg.DatabaseURL, cfg.AppDatabaseURL, store.AppLogin); err != nil {
		return err
	}
	return store.SetLoginPassword(ctx, cfg.DatabaseURL, cfg.BankDatabaseURL, banksim.LoginRole)
}

// runAll runs the worker, the bank's settlement loop and the sweeper, and the API when
// withAPI, until ctx ends.
func runAll(ctx context.Context, cfg Config, parts *Parts, c client.Client, withAPI bool) error {
	w, err := parts.StartWorker(c)
	if err != nil {
		return err
	}
	defer w.Stop()
	if err := serveMetrics(ctx, cfg.MetricsAddr, parts.Metrics, parts.Logger); err != nil {
		return err
	}
	go func() { _ = parts.Bank.Run(ctx) }()
	go sweep.Sweeper{Store: parts.Store, Temporal: c, Logger: parts.Logger}.Run(ctx)
	if withAPI {
		if err := printDemoTokens(ctx, parts.Store, cfg.DataDir); err != nil {
			return err
		}
		return serve(ctx, cfg.HTTPAddr, parts.Handler(c), parts.Logger)
	}
	parts.Logger.Info("worker running", "task_queue", "subsidyflow-claims")
	<-ctx.Done()
	return nil
}
