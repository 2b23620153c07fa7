package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The production binary (api, worker, migrate) does not link the Temporal server; only a
// devserver build, which make dev uses, has the embedded one.
func TestProductionBuildLeavesTheServerOut(t *testing.T) {
	deps := func(tags ...string) []string {
		args := append([]string{"list", "-deps"}, tags...)
		out, err := exec.Command("go", append(args, ".")...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		return strings.Fields(string(out))
	}
	const embedded = "github.com/subsidyflow/subsidyflow/devtemporal"
	prod := deps()
	for _, p := range prod {
		if p == embedded || strings.HasPrefix(p, "go.temporal.io/server/") {
			t.Errorf("the production build links %s", p)
		}
	}
	if !slices.Contains(deps("-tags", "devserver"), embedded) {
		t.Errorf("the devserver build does not link %s: make dev would have no server", embedded)
	}
}
