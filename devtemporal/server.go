// Package devtemporal runs a complete Temporal server inside the current process, backed by
// SQLite, for `make dev` and for end-to-end tests. It is our small version of the server's
// temporaltest "lite server" (which is internal and cannot be imported), with two things that
// one lacks: a database file that survives restarts with running workflows intact, and server
// logs quietened to warnings so they do not drown the application's own output.
//
// It is not for production: one history shard, no metrics, no authorization, and every
// service in one process. Production points TEMPORAL_ADDRESS at a real cluster.
package devtemporal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// readyTimeout bounds the wait for the frontend when the caller's context has no earlier
// deadline. A cold start takes a few seconds; a minute leaves room for a loaded CI machine.
const readyTimeout = time.Minute

// Config says where the server keeps its state and where it listens. The zero value is an
// ephemeral server for the "default" namespace on a free loopback port.
type Config struct {
	// DatabasePath is the SQLite file, e.g. ".data/temporal.db". Its directory is created if
	// needed. Empty means an in-memory database that is gone when the server stops.
	DatabasePath string
	// Namespace is registered on start if missing. Default "default".
	Namespace string
	// Host is the IP address the frontend binds to. Default 127.0.0.1.
	Host string
	// FrontendPort is the gRPC port clients dial. 0 picks a free port.
	FrontendPort int
	// Logger receives the server's warnings and errors. Nil discards them.
	Logger *slog.Logger
}

// Server is a running embedded Temporal server.
type Server struct {
	srv       temporal.Server
	hostPort  string
	namespace string
	logger    *slog.Logger
	lock      *fileLock
	stopping  *atomic.Bool

	stopOnce sync.Once
	stopErr  error
}

// Start prepares the database, starts every Temporal service and returns once the frontend
// serves the namespace. Cancelling ctx abandons the wait (and stops the server); it does not
// stop a server that has already been returned.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	cfg = withDefaults(cfg)
	if net.ParseIP(cfg.Host) == nil {
		// The server would exit the process on a bind address it cannot parse.
		return nil, fmt.Errorf("devtemporal: Host %q is not an IP address", cfg.Host)
	}
	// Ports first: a busy fixed port is the likeliest failure and needs no database work.
	p, err := pickPorts(cfg.Host, cfg.FrontendPort)
	if err != nil {
		return nil, err
	}
	sql, lock, err := prepareStore(cfg)
	if err != nil {
		return nil, err
	}
	s, err := start(ctx, cfg, sql, p)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// prepareStore returns the SQLite settings with schema and namespace in place. For a file
// database it also takes the file's lock, held until Stop.
func prepareStore(cfg Config) (_ *config.SQL, _ *fileLock, err error) {
	if cfg.DatabasePath == "" {
		sql := sqlConfig("")
		return sql, nil, ensureNamespace(sql, cfg.Namespace)
	}
	path, err := filepath.Abs(cfg.DatabasePath)
	if err != nil {
		return nil, nil, fmt.Errorf("devtemporal: database path: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("devtemporal: create database directory: %w", err)
	}
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			lock.release()
		}
	}()
	sql := sqlConfig(path)
	if err := ensureSchema(sql, path); err != nil {
		return nil, nil, err
	}
	if err := ensureNamespace(sql, cfg.Namespace); err != nil {
		return nil, nil, err
	}
	return sql, lock, nil
}

// start runs the four services in this process and waits for the frontend.
func start(ctx context.Context, cfg Config, sql *config.SQL, p ports) (*Server, error) {
	stopping := new(atomic.Bool)
	srv, err := temporal.NewServer(
		temporal.WithConfig(serverConfig(cfg, sql, p)),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(staticHosts(dialHost(cfg.Host), p)),
		temporal.WithLogger(newServerLogger(cfg.Logger, stopping)),
		temporal.WithAuthorizer(authorization.NewNoopAuthorizer()),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper {
			return authorization.NewNoopClaimMapper()
		}),
		temporal.WithDynamicConfigClient(dynamicConfig()),
	)
	if err != nil {
		return nil, fmt.Errorf("devtemporal: create server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("devtemporal: start server: %w", err)
	}
	s := &Server{
		srv:       srv,
		hostPort:  net.JoinHostPort(dialHost(cfg.Host), strconv.Itoa(p.frontend)),
		namespace: cfg.Namespace,
		logger:    cfg.Logger,
		stopping:  stopping,
	}
	if err := s.waitReady(ctx); err != nil {
		stopping.Store(true)
		_ = srv.Stop()
		return nil, err
	}
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// ensureSchema creates the tables when the file is new. A file that exists is assumed to hold
// our schema: the check is on the file, not the tables, so that a half-written file from a
// failed setup is removed here rather than found broken on the next start.
func ensureSchema(sql *config.SQL, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("devtemporal: database file: %w", err)
	}
	if err := sqlite.SetupSchema(sql); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("devtemporal: set up schema in %s: %w", path, err)
	}
	return nil
}

// ensureNamespace writes the namespace straight into the database before the server starts,
// so it is in the frontend's namespace cache from the first request (registering it through
// the API would leave a window where calls fail with "namespace not found"). It is a no-op
// when the namespace already exists, which is what makes restarts on the same file work.
func ensureNamespace(sql *config.SQL, name string) error {
	ns, err := sqlite.NewNamespaceConfig(clusterName, name, false, nil)
	if err != nil {
		return fmt.Errorf("devtemporal: namespace %q: %w", name, err)
	}
	if err := sqlite.CreateNamespaces(sql, ns); err != nil {
		return fmt.Errorf("devtemporal: register namespace %q: %w", name, err)
	}
	return nil
}

// waitReady dials the frontend (the SDK checks its health on dial) and then polls until the
// namespace is served, so the caller's first StartWorkflow does not race the services still
// joining their membership ring.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()

	var lastErr error
	for {
		lastErr = s.probe(ctx)
		if lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("devtemporal: server at %s not ready: %w (last error: %v)", s.hostPort, ctx.Err(), lastErr)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *Server) probe(ctx context.Context) error {
	c, err := s.NewClient(ctx, client.Options{})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: s.namespace})
	var notFound *serviceerror.NamespaceNotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("namespace %q not yet served: %w", s.namespace, err)
	}
	return err
}

// HostPort is the frontend address for clients in other processes (the Temporal CLI, the UI).
func (s *Server) HostPort() string { return s.hostPort }

// Namespace is the namespace registered on start.
func (s *Server) Namespace() string { return s.namespace }

// NewClient dials the server. HostPort is always this server's; Namespace defaults to the
// server's; a nil Logger becomes the server's logger limited to warnings, because the SDK's
// default logger prints every worker start to stdout.
func (s *Server) NewClient(ctx context.Context, opts client.Options) (client.Client, error) {
	opts.HostPort = s.hostPort
	if opts.Namespace == "" {
		opts.Namespace = s.namespace
	}
	if opts.Logger == nil {
		opts.Logger = sdklog.NewStructuredLogger(slog.New(warnFilter{s.logger.Handler()}))
	}
	return client.DialContext(ctx, opts)
}

// Stop shuts every service down and releases the database file. Clients and workers should
// be stopped first; a worker still polling logs connection errors until it gives up. Calling
// Stop more than once is safe.
//
// The SQLite connection itself stays open until the process exits: the server's SQLite
// plugin shares one connection per database for the life of the process and never closes it
// (closing it would drop an in-memory database under a server that is restarting). A process
// that starts and stops many ephemeral servers therefore keeps their memory.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopping.Store(true)
		s.stopErr = s.srv.Stop()
		s.lock.release()
	})
	return s.stopErr
}
