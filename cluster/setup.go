package cluster

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Binaries are the upstream programs a cluster needs.
type Binaries struct{ Server, SQLTool string }

// Build builds the upstream server and its SQL schema tool into dir from this module's
// pinned go.temporal.io/server (go.mod lists both as tools). The first build compiles the
// whole server (minutes on a small machine). A binary already there that was built from
// the pinned version is kept: go build would link it again, which alone takes minutes.
func Build(ctx context.Context, dir string, log io.Writer) (Binaries, error) {
	version, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", "go.temporal.io/server").Output()
	if err != nil {
		return Binaries{}, fmt.Errorf("go list go.temporal.io/server: %w", err)
	}
	want := strings.TrimSpace(string(version))
	bin, err := filepath.Abs(dir)
	if err != nil {
		return Binaries{}, err
	}
	b := Binaries{Server: filepath.Join(bin, "temporal-server"), SQLTool: filepath.Join(bin, "temporal-sql-tool")}
	for _, p := range []struct{ out, pkg string }{
		{b.Server, "go.temporal.io/server/cmd/server"},
		{b.SQLTool, "go.temporal.io/server/cmd/tools/sql"},
	} {
		if builtFrom(p.out, p.pkg, want) {
			continue
		}
		fmt.Fprintf(log, "go build %s@%s (the first build takes several minutes)\n", p.pkg, want)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", p.out, p.pkg)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return b, fmt.Errorf("go build %s: %w", p.pkg, err)
		}
	}
	return b, nil
}

// builtFrom says whether the binary at path is pkg built with this Go from
// go.temporal.io/server at version.
func builtFrom(path, pkg, version string) bool {
	bi, err := buildinfo.ReadFile(path)
	if err != nil || bi.Path != pkg || bi.GoVersion != runtime.Version() {
		return false
	}
	// Built from our module, the server is recorded as the main module.
	for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
		if m.Path == "go.temporal.io/server" {
			return m.Version == version && m.Replace == nil
		}
	}
	return false
}

// SchemaDir is the upstream PostgreSQL schema directory of the pinned server module.
func SchemaDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "go.temporal.io/server").Output()
	if err != nil {
		return "", fmt.Errorf("go list go.temporal.io/server: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("go.temporal.io/server is not in the module cache (go mod download)")
	}
	return filepath.Join(dir, "schema", "postgresql", "v12"), nil
}

// SetupDatabases creates Temporal's two databases when missing and brings their schema to
// the server's version with the upstream tool and schema files: setup once, then every
// versioned update (a no-op when already current), as an upgrade would.
func SetupDatabases(ctx context.Context, s Settings, tool string, log io.Writer) error {
	s = s.withDefaults()
	db, err := parseDatabaseURL(s.DatabaseURL)
	if err != nil {
		return err
	}
	schema, err := SchemaDir(ctx)
	if err != nil {
		return err
	}
	for _, d := range []struct{ name, dir string }{
		{s.TemporalDB, filepath.Join(schema, "temporal", "versioned")},
		{s.VisibilityDB, filepath.Join(schema, "visibility", "versioned")},
	} {
		run := func(args ...string) error {
			base := []string{"--plugin", "postgres12", "--endpoint", db.Host, "--port", db.Port,
				"--user", db.User, "--db", d.name}
			if db.Password != "" {
				base = append(base, "--password", db.Password)
			}
			cmd := exec.CommandContext(ctx, tool, append(base, args...)...)
			cmd.Stdout, cmd.Stderr = log, log
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("temporal-sql-tool %s on %s: %w", args[0], d.name, err)
			}
			return nil
		}
		fresh, err := createDatabase(ctx, s.DatabaseURL, d.name)
		if err != nil {
			return err
		}
		if fresh {
			if err := run("setup-schema", "-v", "0.0"); err != nil {
				return err
			}
		}
		if err := run("update-schema", "-d", d.dir); err != nil {
			return err
		}
	}
	return nil
}

// createDatabase creates name on the server and says whether it had to.
func createDatabase(ctx context.Context, databaseURL, name string) (bool, error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		// The app's own database may not exist yet: ask the maintenance database.
		cfg, perr := pgx.ParseConfig(databaseURL)
		if perr != nil {
			return false, err
		}
		cfg.Database = "postgres"
		if conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
			return false, fmt.Errorf("postgres: %w", err)
		}
	}
	defer func() { _ = conn.Close(ctx) }()
	var found bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&found); err != nil {
		return false, err
	}
	if found {
		return false, nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
	return true, nil
}

// Prepare does everything before the server starts: certificates, binaries, databases and
// config. It returns the binaries.
func Prepare(ctx context.Context, s Settings, log io.Writer) (Binaries, error) {
	if err := EnsureCerts(s.CertDir()); err != nil {
		return Binaries{}, fmt.Errorf("certificates: %w", err)
	}
	bins, err := Build(ctx, s.withDefaults().BinDir, log)
	if err != nil {
		return bins, err
	}
	if err := SetupDatabases(ctx, s, bins.SQLTool, log); err != nil {
		return bins, err
	}
	return bins, WriteConfig(s)
}

// Command is the server process for s, not yet started.
func Command(ctx context.Context, s Settings, bins Binaries) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bins.Server, "--config-file", s.ConfigPath(), "--allow-no-auth", "start")
	cmd.Env = os.Environ()
	return cmd
}
