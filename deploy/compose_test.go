package deploy

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const composePath = "../docker-compose.yml"

// composeFile is the part of the compose file these checks read.
type composeFile struct {
	Services map[string]service `yaml:"services"`
}

type service struct {
	Image       string      `yaml:"image"`
	Build       any         `yaml:"build"`
	Command     []string    `yaml:"command"`
	Environment environment `yaml:"environment"`
	DependsOn   dependsOn   `yaml:"depends_on"`
	Ports       []string    `yaml:"ports"`
	Healthcheck struct {
		Test    []string `yaml:"test"`
		Disable bool     `yaml:"disable"`
	} `yaml:"healthcheck"`
}

// environment accepts both compose forms: a mapping, or a list of KEY=VALUE strings.
type environment map[string]string

func (e *environment) UnmarshalYAML(n *yaml.Node) error {
	*e = environment{}
	if n.Kind == yaml.SequenceNode {
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			(*e)[k] = v
		}
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return err
	}
	*e = m
	return nil
}

// dependsOn accepts both compose forms: a list of names, or a mapping of name to condition.
type dependsOn []string

func (d *dependsOn) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*d = list
	case yaml.MappingNode:
		var m map[string]struct {
			Condition string `yaml:"condition"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		for name := range m {
			*d = append(*d, name)
		}
		slices.Sort(*d)
	default:
		return fmt.Errorf("depends_on: unexpected YAML kind %v", n.Kind)
	}
	return nil
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(composePath)
	if err != nil {
		t.Fatalf("read compose file: %v", err)
	}
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("parse %s: %v", composePath, err)
	}
	return f
}

func TestComposeFileWiring(t *testing.T) {
	f := loadCompose(t)

	t.Run("every service is defined", func(t *testing.T) {
		for _, name := range []string{"postgres", "certs", "temporal-schema", "temporal", "temporal-namespace",
			"temporal-ui", "migrate", "api", "worker"} {
			if _, ok := f.Services[name]; !ok {
				t.Errorf("service %q missing", name)
			}
		}
	})

	t.Run("depends_on names existing services", func(t *testing.T) {
		for name, s := range f.Services {
			for _, dep := range s.DependsOn {
				if _, ok := f.Services[dep]; !ok {
					t.Errorf("service %q depends on undefined service %q", name, dep)
				}
			}
		}
	})

	t.Run("application services reach postgres and temporal", func(t *testing.T) {
		for _, name := range []string{"migrate", "api", "worker"} {
			s := f.Services[name]
			if len(s.Command) == 0 || s.Command[0] != name {
				t.Errorf("%s: command = %v, want [%s]", name, s.Command, name)
			}
			if name == "migrate" {
				checkDatabaseURL(t, f, name, "DATABASE_URL", s.Environment["DATABASE_URL"])
				continue // migrate needs only the database
			}
			// Only migrate holds the owner's URL; the others log in as their own roles.
			if v := s.Environment["DATABASE_URL"]; v != "" {
				t.Errorf("%s: has the owner's DATABASE_URL; only migrate should", name)
			}
			for k, user := range map[string]string{"APP_DATABASE_URL": "subsidyflow_app_login", "BANK_DATABASE_URL": "subsidyflow_bank_login"} {
				checkDatabaseURL(t, f, name, k, s.Environment[k])
				if u, err := url.Parse(s.Environment[k]); err == nil && u.User.Username() != user {
					t.Errorf("%s: %s logs in as %q, want %s", name, k, u.User.Username(), user)
				}
			}
			addr := s.Environment["TEMPORAL_ADDRESS"]
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				t.Errorf("%s: TEMPORAL_ADDRESS %q is not host:port", name, addr)
			} else if host != "temporal" {
				t.Errorf("%s: TEMPORAL_ADDRESS %q does not point at the temporal service", name, addr)
			}
			if s.Environment["PAYLOAD_KEYS"] == "" || s.Environment["DECISION_KEY"] == "" {
				t.Errorf("%s: api and worker refuse to start without DECISION_KEY and PAYLOAD_KEYS", name)
			}
			if !slices.Contains(s.DependsOn, "temporal") || !slices.Contains(s.DependsOn, "migrate") {
				t.Errorf("%s: depends_on = %v, want temporal and migrate", name, s.DependsOn)
			}
		}
	})

	t.Run("temporal persists in postgres", func(t *testing.T) {
		env := f.Services["temporal"].Environment
		if db := env["DB"]; !strings.HasPrefix(db, "postgres") {
			t.Errorf("temporal: DB = %q, want a postgres driver (postgres12)", db)
		}
		seed := env["POSTGRES_SEEDS"]
		if _, ok := f.Services[seed]; !ok {
			t.Errorf("temporal: POSTGRES_SEEDS = %q, not a service", seed)
		}
		for _, k := range []string{"DB_PORT", "POSTGRES_USER", "POSTGRES_PWD"} {
			if env[k] == "" {
				t.Errorf("temporal: %s not set", k)
			}
		}
		if !slices.Contains(f.Services["temporal"].DependsOn, seed) {
			t.Errorf("temporal does not depend on its database service %q", seed)
		}
	})

	// The deprecated auto-setup image is gone: the upstream server runs as it is, and the
	// upstream admin-tools set up the schema before it starts and the namespace after.
	t.Run("upstream server and admin-tools images, no auto-setup", func(t *testing.T) {
		for name, s := range f.Services {
			if strings.Contains(s.Image, "auto-setup") {
				t.Errorf("%s: image %s is the deprecated auto-setup", name, s.Image)
			}
		}
		if img := f.Services["temporal"].Image; !strings.HasPrefix(img, "temporalio/server:") {
			t.Errorf("temporal: image %q, want temporalio/server", img)
		}
		for _, name := range []string{"temporal-schema", "temporal-namespace"} {
			if img := f.Services[name].Image; !strings.HasPrefix(img, "temporalio/admin-tools:") {
				t.Errorf("%s: image %q, want temporalio/admin-tools", name, img)
			}
		}
		script := strings.Join(f.Services["temporal-schema"].Command, " ")
		for _, want := range []string{"temporal-sql-tool", "setup-schema", "update-schema", "temporal_visibility"} {
			if !strings.Contains(script, want) {
				t.Errorf("temporal-schema: command does not run %q", want)
			}
		}
		if !strings.Contains(strings.Join(f.Services["temporal-namespace"].Command, " "), "namespace create") {
			t.Error("temporal-namespace: command does not create the namespace")
		}
		for _, dep := range []string{"temporal-schema", "certs"} {
			if !slices.Contains(f.Services["temporal"].DependsOn, dep) {
				t.Errorf("temporal does not wait for %s", dep)
			}
		}
	})

	// Only certificates from the certs job's CA reach Temporal, and each client shows its own.
	t.Run("mutual TLS to temporal", func(t *testing.T) {
		env := f.Services["temporal"].Environment
		if env["TEMPORAL_TLS_REQUIRE_CLIENT_AUTH"] != "true" {
			t.Error("temporal: TEMPORAL_TLS_REQUIRE_CLIENT_AUTH is not true")
		}
		for _, k := range []string{"TEMPORAL_TLS_SERVER_CA_CERT", "TEMPORAL_TLS_CLIENT1_CA_CERT", "TEMPORAL_TLS_FRONTEND_CERT", "TEMPORAL_TLS_SERVER_CERT"} {
			if env[k] == "" {
				t.Errorf("temporal: %s not set", k)
			}
		}
		for name, id := range map[string]string{"api": "subsidyflow-api", "worker": "subsidyflow-worker",
			"temporal-ui": "temporal-ui", "temporal-namespace": "subsidyflow-worker"} {
			env := f.Services[name].Environment
			if env["TEMPORAL_TLS_CA"] == "" {
				t.Errorf("%s: TEMPORAL_TLS_CA not set", name)
			}
			if want := "/certs/" + id + ".pem"; env["TEMPORAL_TLS_CERT"] != want {
				t.Errorf("%s: TEMPORAL_TLS_CERT = %q, want %q", name, env["TEMPORAL_TLS_CERT"], want)
			}
		}
	})

	// make dev holds 8080 (API), 8233 (UI) and 7233 (Temporal) and a developer's PostgreSQL
	// 5432: compose publishes elsewhere, on loopback only, and never Temporal itself.
	t.Run("published ports: loopback, no clash with make dev", func(t *testing.T) {
		for name, s := range f.Services {
			for _, p := range s.Ports {
				parts := strings.Split(p, ":")
				if len(parts) != 3 || parts[0] != "127.0.0.1" {
					t.Errorf("%s: port %q is not bound to 127.0.0.1 (want 127.0.0.1:HOST:CONTAINER)", name, p)
					continue
				}
				if slices.Contains([]string{"8080", "8233", "7233", "5432"}, parts[1]) {
					t.Errorf("%s: host port %s clashes with make dev or a local PostgreSQL", name, parts[1])
				}
			}
		}
		if len(f.Services["temporal"].Ports) > 0 || len(f.Services["postgres"].Ports) > 0 {
			t.Error("temporal and postgres publish ports; only the api and the UI need to")
		}
	})

	t.Run("healthchecks", func(t *testing.T) {
		for _, name := range []string{"postgres", "temporal", "api"} {
			if hc := f.Services[name].Healthcheck; len(hc.Test) == 0 || hc.Disable {
				t.Errorf("%s: no healthcheck", name)
			}
		}
		if test := strings.Join(f.Services["api"].Healthcheck.Test, " "); !strings.Contains(test, "/readyz") {
			t.Errorf("api: healthcheck %q does not ask /readyz", test)
		}
	})

	t.Run("the app image is built from the Dockerfile", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join("..", "Dockerfile")); err != nil {
			t.Errorf("Dockerfile: %v", err)
		}
		for _, name := range []string{"migrate", "api", "worker"} {
			if f.Services[name].Build == nil {
				t.Errorf("%s: no build section", name)
			}
		}
	})
}

// checkDatabaseURL wants the app's own database on the postgres service, apart from the
// databases Temporal creates for itself.
func checkDatabaseURL(t *testing.T, f composeFile, svc, key, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		t.Errorf("%s: %s %q is not a URL", svc, key, raw)
		return
	}
	if _, ok := f.Services[u.Hostname()]; !ok {
		t.Errorf("%s: %s host %q is not a service", svc, key, u.Hostname())
	}
	switch db := strings.TrimPrefix(u.Path, "/"); db {
	case "", "postgres", "temporal", "temporal_visibility":
		t.Errorf("%s: %s database %q, want the app's own database", svc, key, db)
	}
}

// TestComposeConfigValid asks the real tool, which knows the full schema (conditions, merge
// keys, interpolation) that the checks above do not.
func TestComposeConfigValid(t *testing.T) {
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Skip("docker-compose not on PATH; install it (apt-get install docker-compose) to validate the file with the real tool")
	}
	out, err := exec.Command(bin, "-f", composePath, "config", "-q").CombinedOutput()
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
}
