//go:build !devserver

package app

import (
	"context"
	"errors"
	"log/slog"

	"go.temporal.io/sdk/client"
)

// embeddedTemporal is missing from production builds: they do not link the Temporal
// server, which is most of a binary that only needs to talk to a cluster.
func embeddedTemporal(context.Context, Config, client.Options, *slog.Logger) (client.Client, string, func(), error) {
	return nil, "", nil, errors.New("this build has no embedded Temporal server (a production build): " +
		"run `make dev`, or build with `go build -tags devserver ./cmd/subsidyflow`")
}

// HasEmbeddedServer says whether `dev` works in this build.
const HasEmbeddedServer = false
