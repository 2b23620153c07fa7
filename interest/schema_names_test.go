package interest_test

// An external test package: the registry will import interest once the kind is registered,
// which an internal test importing the registry would turn into an import cycle.

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/program"
)

// The API merges every kind's components into one document and refuses a name defined
// twice; the interest kind's must be free among those registered today.
func TestSchemaNamesAreFree(t *testing.T) {
	ours := interest.Rules{}.Schemas().Components
	for _, r := range registry.All() {
		if r.Kind() == program.Interest {
			continue
		}
		for name := range r.Schemas().Components {
			_, clash := ours[name]
			require.False(t, clash, "%s is defined by %s too", name, r.Kind())
		}
	}
	// The API's own components, from the document it embeds.
	b, err := os.ReadFile("../api/openapi.json")
	require.NoError(t, err)
	var doc struct {
		Components struct{ Schemas map[string]any } `json:"components"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Components.Schemas)
	for name := range ours {
		_, clash := doc.Components.Schemas[name]
		require.False(t, clash, "%s is defined by api/openapi.json too", name)
	}
}
