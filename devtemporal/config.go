package devtemporal

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
)

const clusterName = "active"

// sqlConfig describes the SQLite store. A file database gets WAL with synchronous=FULL so a
// committed transition (a signal, a completed activity) survives a crash of `make dev`, not
// only a clean stop; busy_timeout makes a second reader of the file (the sqlite3 shell, a
// leftover process) wait instead of failing the server with SQLITE_BUSY.
//
// The plugin passes every attribute that is not an SQLite URI parameter on as a pragma, under
// its own name. (The upstream lite server prefixes pragma names with "_", which SQLite
// silently ignores as unknown pragmas, and which the plugin's "journal_mode is wal" check
// never sees; we use the plain names.)
func sqlConfig(dbPath string) *config.SQL {
	if dbPath == "" {
		return &config.SQL{
			PluginName: sqliteplugin.PluginName,
			// A random name keeps two ephemeral servers in one process (parallel tests)
			// apart: the plugin shares connections per DSN for the life of the process.
			DatabaseName: "devtemporal-" + strconv.FormatUint(rand.Uint64(), 36),
			ConnectAttributes: map[string]string{
				"mode":  "memory",
				"cache": "shared",
			},
		}
	}
	return &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: dbPath,
		ConnectAttributes: map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "2",
			"busy_timeout": "5000",
		},
	}
}

// ports are the gRPC listeners of one server. Only the frontend is meant for clients; the
// others are internal and picked fresh on every start because nothing outside the process
// needs to find them.
type ports struct {
	frontend, history, matching, worker int
}

func pickPorts(host string, frontend int) (ports, error) {
	var p ports
	var err error
	if frontend == 0 {
		if frontend, err = freePort(); err != nil {
			return p, err
		}
	} else if err := portAvailable(host, frontend); err != nil {
		return p, err
	}
	p.frontend = frontend
	for _, dst := range []*int{&p.history, &p.matching, &p.worker} {
		if *dst, err = freePort(); err != nil {
			return p, err
		}
	}
	return p, nil
}

// portAvailable checks a fixed frontend port before the server tries it: the server treats a
// failed bind as fatal and exits the whole process, which is a poor way to learn that another
// `make dev` (or a Temporal CLI dev server) already holds 7233.
func portAvailable(host string, port int) error {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("devtemporal: frontend address %s is not available (another Temporal server running?): %w", addr, err)
	}
	return l.Close()
}

// staticHosts replaces ringpop membership with a fixed map of our own four services. With
// ringpop, a restart on an existing database tries to join the previous process's members
// (their rows are still in cluster_membership, heartbeats younger than 20s) and matching is
// unreachable ("Not enough hosts to serve the request") until the 30s join timeout passes;
// a restarted `make dev` then took about a minute to run anything. Static hosts also spare
// four membership ports.
func staticHosts(host string, p ports) map[primitives.ServiceName]static.Hosts {
	addr := func(port int) static.Hosts {
		return static.SingleLocalHost(net.JoinHostPort(host, strconv.Itoa(port)))
	}
	return map[primitives.ServiceName]static.Hosts{
		primitives.FrontendService: addr(p.frontend),
		primitives.HistoryService:  addr(p.history),
		primitives.MatchingService: addr(p.matching),
		primitives.WorkerService:   addr(p.worker),
	}
}

// freePort asks the kernel for an unused loopback port. The port is released before the
// server binds it, so another process could take it in between; that race is accepted for a
// development server (a retry of Start picks new ports).
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devtemporal: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// serverConfig is the static configuration of a single-process, single-shard cluster.
func serverConfig(cfg Config, sql *config.SQL, p ports) *config.Config {
	frontendAddr := net.JoinHostPort(dialHost(cfg.Host), strconv.Itoa(p.frontend))
	service := func(grpcPort int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpcPort, BindOnLocalHost: true}}
	}
	frontend := service(p.frontend)
	frontend.RPC.BindOnLocalHost = false
	frontend.RPC.BindOnIP = cfg.Host

	return &config.Config{
		Global: config.Global{
			// Membership is static (see staticHosts), so no ringpop settings. Metrics
			// stay nil (a no-op handler, no Prometheus listener) and the PProf port 0
			// (off): neither is useful for a development server, and each costs a port.
		},
		Persistence: config.Persistence{
			DefaultStore:    sqliteplugin.PluginName,
			VisibilityStore: sqliteplugin.PluginName,
			// One shard is plenty for one developer and keeps goroutines and SQLite
			// writes to a minimum. It is fixed once the database exists.
			NumHistoryShards: 1,
			DataStores: map[string]config.DataStore{
				sqliteplugin.PluginName: {SQL: sql},
			},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {
					Enabled:                true,
					InitialFailoverVersion: 1,
					RPCAddress:             frontendAddr,
				},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": frontend,
			"history":  service(p.history),
			"matching": service(p.matching),
			"worker":   service(p.worker),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		// The server's own system workers (scheduler, batcher) dial the frontend through
		// this; without it the server refuses to start.
		PublicClient: config.PublicClient{HostPort: frontendAddr},
	}
}

// dynamicConfig holds the runtime settings we depend on. Updates and update-with-start are on
// by default in this server version (update-with-start has no switch any more); they are pinned here because our workflows' human
// decisions are Updates and a default flipping in an upgrade should not silently break
// `make dev`. The search-attribute cache refresh makes attributes registered at run time
// visible at once (as temporaltest does) instead of after the cache's refresh interval.
func dynamicConfig() dynamicconfig.StaticClient {
	on := []dynamicconfig.ConstrainedValue{{Value: true}}
	return dynamicconfig.StaticClient{
		dynamicconfig.FrontendEnableUpdateWorkflowExecution.Key():              on,
		dynamicconfig.FrontendEnableUpdateWorkflowExecutionAsyncAccepted.Key(): on,
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key():            on,
	}
}

// dialHost is the address clients use: a wildcard bind address is reachable on loopback.
func dialHost(host string) string {
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return host
}
