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
// DataDir, and a client of it with opts (the process's codec, metrics and logger); it
// returns the frontend's address too, for the Temporal UI. Only builds with the devserver tag (make dev) have it: the
// server is most of the binary and production (api, worker) talks to a cluster.
func embeddedTemporal(ctx context.Context, cfg Config, opts client.Options, logger *slog.Logger) (client.Client, string, func(), error) {
	srv, err := devtemporal.Start(ctx, devtemporal.Config{
		DatabasePath: filepath.Join(cfg.DataDir, "temporal.db"),
		Namespace:    cfg.Namespace,
		FrontendPort: cfg.TemporalPort,
		Logger:       logger,
	})
	if err != nil {
		return nil, "", nil, fmt.Errorf("embedded temporal: %w", err)
	}
	logger.Info("embedded Temporal server", "address", srv.HostPort(), "namespace", srv.Namespace())
	c, err := srv.NewClient(ctx, opts)
	if err != nil {
		_ = srv.Stop()
		return nil, "", nil, err
	}
	return c, srv.HostPort(), func() { _ = srv.Stop() }, nil
}

// HasEmbeddedServer says whether `dev` works in this build.
const HasEmbeddedServer = true
