//go:build devserver

package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/devtemporal"
)

// embeddedTemporal starts dev's Temporal server inside this process, persisted under
// DataDir, and a client of it. Only builds with the devserver tag (make dev) have it: the
// server is most of the binary and production (api, worker) talks to a cluster.
func embeddedTemporal(ctx context.Context, cfg Config, logger *slog.Logger) (client.Client, func(), error) {
	srv, err := devtemporal.Start(ctx, devtemporal.Config{
		DatabasePath: filepath.Join(cfg.DataDir, "temporal.db"),
		Namespace:    cfg.Namespace,
		FrontendPort: cfg.TemporalPort,
		Logger:       logger,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("embedded temporal: %w", err)
	}
	logger.Info("embedded Temporal server", "address", srv.HostPort(), "namespace", srv.Namespace())
	c, err := srv.NewClient(ctx, client.Options{Logger: quietTemporalLogger(logger)})
	if err != nil {
		_ = srv.Stop()
		return nil, nil, err
	}
	return c, func() { _ = srv.Stop() }, nil
}

// HasEmbeddedServer says whether `dev` works in this build.
const HasEmbeddedServer = true
