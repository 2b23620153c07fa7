// Package cluster sets up and runs an upstream Temporal server (go.temporal.io/server, the
// engine production runs) on this machine: PostgreSQL persistence with the upstream schema
// files, several history shards, and mutual TLS on the frontend and between the server's
// own services with a CA of our own. `make cluster` and the cluster integration test both
// go through it.
package cluster

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
)

// Settings describe one cluster. Dir holds its certificates, config and binaries.
type Settings struct {
	Dir          string // e.g. .data/cluster
	BinDir       string // where the built server and tool go; default Dir/bin
	DatabaseURL  string // the PostgreSQL server Temporal's databases live on (its database name is ignored)
	TemporalDB   string // default "temporal"
	VisibilityDB string // default "temporal_visibility"
	Host         string // the address every service binds to; default 127.0.0.1
	FrontendPort int    // default 7233; history, matching and worker take the next ports (+1, +2, +6), membership 300 below each
	Shards       int    // history shards; default 4 (more than one, as production)
}

func (s Settings) withDefaults() Settings {
	if s.BinDir == "" {
		s.BinDir = filepath.Join(s.Dir, "bin")
	}
	if s.TemporalDB == "" {
		s.TemporalDB = "temporal"
	}
	if s.VisibilityDB == "" {
		s.VisibilityDB = "temporal_visibility"
	}
	if s.Host == "" {
		s.Host = "127.0.0.1"
	}
	if s.FrontendPort == 0 {
		s.FrontendPort = 7233
	}
	if s.Shards == 0 {
		s.Shards = 4
	}
	return s
}

// FrontendAddress is where clients dial.
func (s Settings) FrontendAddress() string {
	s = s.withDefaults()
	return net.JoinHostPort(s.Host, strconv.Itoa(s.FrontendPort))
}

// Ports are every port the cluster listens on, for a caller choosing a free set.
func (s Settings) Ports() []int {
	s = s.withDefaults()
	var out []int
	for _, off := range []int{0, 1, 2, 6} {
		out = append(out, s.FrontendPort+off, s.FrontendPort+off-300)
	}
	return out
}

// CertDir is where EnsureCerts keeps the CA and the certificates.
func (s Settings) CertDir() string { return filepath.Join(s.Dir, "certs") }

// ConfigPath is the server's config file.
func (s Settings) ConfigPath() string { return filepath.Join(s.Dir, "config.yaml") }

// pg is the PostgreSQL connection Temporal's persistence uses.
type pg struct{ Host, Port, User, Password string }

func parseDatabaseURL(raw string) (pg, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return pg{}, fmt.Errorf("DATABASE_URL %q: want postgres://user[:password]@host:port/db", raw)
	}
	p := pg{Host: u.Hostname(), Port: u.Port(), User: u.User.Username()}
	p.Password, _ = u.User.Password()
	if p.Port == "" {
		p.Port = "5432"
	}
	if p.User == "" {
		p.User = "postgres"
	}
	return p, nil
}

// WriteConfig writes the server's config and its dynamic config next to it.
func WriteConfig(s Settings) error {
	s = s.withDefaults()
	// Temporal stores membership ports in a PostgreSQL smallint: the server dies on start
	// with one above 32767.
	if s.FrontendPort-300 < 1024 || s.FrontendPort+6-300 > 32767 {
		return fmt.Errorf("frontend port %d: want 1324 to 33061, so membership ports (300 below) fit Temporal's smallint column", s.FrontendPort)
	}
	db, err := parseDatabaseURL(s.DatabaseURL)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(s.Dir)
	if err != nil {
		return err
	}
	certs := func(name string) Certs { return CertPaths(filepath.Join(abs, "certs"), name) }
	data := map[string]any{
		"S": s, "DB": db, "Port": s.FrontendPort,
		"CA": certs("ca").Cert, "Server": certs(ServerIdentity), "SystemWorker": certs(SystemWorkerIdentity),
		"DynamicConfig": filepath.Join(abs, "dynamicconfig.yaml"),
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(s.ConfigPath(), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) // it holds the database password
	if err != nil {
		return err
	}
	if err := configTemplate.Execute(f, data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.Dir, "dynamicconfig.yaml"), []byte(dynamicConfig), 0o644)
}

// dynamicConfig turns on what the claim workflow uses: updates (finance decisions are
// workflow updates), also accepted asynchronously.
const dynamicConfig = `frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
`

// configTemplate is the upstream development-postgres12.yaml trimmed to what we run, with
// TLS added: every listener (frontend and internode) requires a client certificate from
// our CA. The authorizer is left unset: stock v1.32.1 offers only a JWT claim mapper
// (claimMapper: default) or none, nothing that maps a certificate's subject to a role, so
// admission is by the CA, which signs only the identities in certs.go.
var configTemplate = template.Must(template.New("config").Funcs(template.FuncMap{
	"q":   strconv.Quote,
	"add": func(a, b int) int { return a + b },
}).Parse(`# Written by subsidyflow's cluster package (make cluster); edits are overwritten.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: {{.S.Shards}}
  datastores:
    postgres-default:
      sql:
        pluginName: "postgres12"
        databaseName: {{q .S.TemporalDB}}
        connectAddr: {{q (printf "%s:%s" .DB.Host .DB.Port)}}
        connectProtocol: "tcp"
        user: {{q .DB.User}}
        password: {{q .DB.Password}}
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: "1h"
    postgres-visibility:
      sql:
        pluginName: "postgres12"
        databaseName: {{q .S.VisibilityDB}}
        connectAddr: {{q (printf "%s:%s" .DB.Host .DB.Port)}}
        connectProtocol: "tcp"
        user: {{q .DB.User}}
        password: {{q .DB.Password}}
        maxConns: 4
        maxIdleConns: 4
        maxConnLifetime: "1h"

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: {{q .S.Host}}
  tls:
    internode:
      server:
        certFile: {{q .Server.Cert}}
        keyFile: {{q .Server.Key}}
        requireClientAuth: true
        clientCaFiles: [{{q .CA}}]
      client:
        serverName: "localhost"
        rootCaFiles: [{{q .CA}}]
    frontend:
      server:
        certFile: {{q .Server.Cert}}
        keyFile: {{q .Server.Key}}
        requireClientAuth: true
        clientCaFiles: [{{q .CA}}]
      client:
        serverName: "localhost"
        rootCaFiles: [{{q .CA}}]
    systemWorker:
      certFile: {{q .SystemWorker.Cert}}
      keyFile: {{q .SystemWorker.Key}}
      client:
        serverName: "localhost"
        rootCaFiles: [{{q .CA}}]

services:
  frontend:
    rpc:
      grpcPort: {{.Port}}
      membershipPort: {{add .Port -300}}
      bindOnIP: {{q .S.Host}}
  history:
    rpc:
      grpcPort: {{add .Port 1}}
      membershipPort: {{add .Port -299}}
      bindOnIP: {{q .S.Host}}
  matching:
    rpc:
      grpcPort: {{add .Port 2}}
      membershipPort: {{add .Port -298}}
      bindOnIP: {{q .S.Host}}
  worker:
    rpc:
      grpcPort: {{add .Port 6}}
      membershipPort: {{add .Port -294}}
      bindOnIP: {{q .S.Host}}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: {{q (printf "localhost:%d" .Port)}}

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: {{q .DynamicConfig}}
  pollInterval: "10s"
`))
