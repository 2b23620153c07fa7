package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/bank/banksim"
	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/sweep"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
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

	c, hostPort, stopServer, err := embeddedTemporal(ctx, cfg, parts.ClientOptions(), logger)
	if err != nil {
		return err
	}
	defer stopServer()
	defer c.Close()
	stopUI, err := startUI(ctx, cfg, hostPort, logger)
	if err != nil {
		return err
	}
	defer stopUI()
	return runAll(ctx, cfg, parts, c, true)
}

// API runs the HTTP API against a Temporal cluster. It serves at once, before Temporal is
// there: /healthz answers, /readyz says not ready until a claim could be started, and the
// log says what it is waiting for. It also keeps the audit checkpoints: run one api process
// with AUDIT_CHECKPOINT_FILE where the auditors' copy is taken from.
func API(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := needClusterKeys(cfg); err != nil {
		return err
	}
	parts, err := Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer parts.Close()
	opts, err := clientOptions(cfg, parts.ClientOptions())
	if err != nil {
		return err
	}
	// Lazy: it connects on first use and again after the frontend comes back.
	c, err := client.NewLazyClient(opts)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := parts.KeepCheckpoints(cfg, false); err != nil {
		return err
	}
	go parts.Checkpoints.Run(ctx, cfg.CheckpointInterval, logger)
	if err := serveMetrics(ctx, cfg.MetricsAddr, parts.Metrics, logger); err != nil {
		return err
	}
	go logUntilReady(ctx, c, cfg, logger)
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
	// A worker started before its namespace exists would exit; it waits instead.
	if err := WaitForNamespace(ctx, c, cfg, logger); err != nil {
		return err
	}
	return runAll(ctx, cfg, parts, c, false)
}

// openCluster opens the database parts and connects to the Temporal cluster at
// TEMPORAL_ADDRESS, as the production commands do.
func openCluster(ctx context.Context, cfg Config, logger *slog.Logger) (*Parts, client.Client, error) {
	if err := needClusterKeys(cfg); err != nil {
		return nil, nil, err
	}
	if _, err := cfg.TLSConfig(); err != nil { // a bad certificate path is not worth waiting for
		return nil, nil, err
	}
	parts, err := Open(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	c, err := Dial(ctx, cfg, parts.ClientOptions(), logger)
	if err != nil {
		parts.Close()
		return nil, nil, err
	}
	return parts, c, nil
}

// needClusterKeys refuses to run the cluster commands without the secrets every api and
// worker must share: DECISION_KEY (the api signs decisions with it and the workers check
// them; a key of one's own would refuse every decision), PII_HASH_KEY (both write account
// hashes into the audit log; with keys of their own an auditor's number would match the
// rows of one process only) and PAYLOAD_KEYS (every process must read what the others
// encrypted).
func needClusterKeys(cfg Config) error {
	switch {
	case len(cfg.DecisionKey) == 0:
		return fmt.Errorf("DECISION_KEY is required for the api and the workers (the same value for all; e.g. openssl rand -hex 32)")
	case len(cfg.PIIHashKey) == 0:
		return fmt.Errorf("PII_HASH_KEY is required for the api and the workers (the same value for all, kept as long as the audit log; e.g. openssl rand -hex 32)")
	case len(cfg.PayloadKeys) == 0:
		return fmt.Errorf("PAYLOAD_KEYS is required for the api and the workers (the same value for all; e.g. PAYLOAD_KEYS=k1:$(openssl rand -base64 32))")
	}
	return nil
}

// logUntilReady logs, while claims could not be started (contract.Ready), what is missing,
// once when it changes and every 30 seconds, and once when all is there.
func logUntilReady(ctx context.Context, c client.Client, cfg Config, logger *slog.Logger) {
	var last string
	var lastAt time.Time
	for {
		check, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := contract.Ready(check, c)
		cancel()
		if err == nil {
			logger.Info("Temporal ready: namespace found and a worker polls the claims task queue",
				"address", cfg.TemporalAddress, "namespace", cfg.Namespace)
			return
		}
		if msg := err.Error(); msg != last || time.Since(lastAt) > 30*time.Second {
			logger.Warn("waiting for Temporal: claims cannot start yet (readyz says not ready)",
				"address", cfg.TemporalAddress, "namespace", cfg.Namespace, "err", err)
			last, lastAt = msg, time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retryEvery):
		}
	}
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
		tokens, err := printDemoTokens(ctx, parts.Store, cfg.DataDir, false)
		if err != nil {
			return err
		}
		return serve(ctx, cfg.HTTPAddr, parts.Handler(c), parts.Logger, func() {
			fmt.Print(devBanner(cfg, tokens))
		})
	}
	parts.Logger.Info("worker running", "task_queue", "subsidyflow-claims")
	<-ctx.Done()
	return nil
}
