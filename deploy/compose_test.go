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
		for _, name := range []string{"postgres", "temporal", "temporal-ui", "migrate", "api", "worker"} {
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
