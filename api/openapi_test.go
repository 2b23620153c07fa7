package api

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type openAPIDocument struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		SecuritySchemes map[string]any `json:"securitySchemes"`
		Schemas         map[string]any `json:"schemas"`
		Parameters      map[string]any `json:"parameters"`
		Responses       map[string]any `json:"responses"`
	} `json:"components"`
	Security []map[string][]string `json:"security"`
}

type openAPIOperation struct {
	OperationID string                 `json:"operationId"`
	Security    *[]map[string][]string `json:"security"`
	Parameters  []map[string]any       `json:"parameters"`
	Responses   map[string]any         `json:"responses"`
}

// TestOpenAPIDescribesEveryRoute keeps openapi.json and routes() in step, both ways, and
// checks that public routes are the only ones without security.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc openAPIDocument
	require.NoError(t, json.Unmarshal(openAPIDoc, &doc))
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3.0"))
	require.Contains(t, doc.Components.SecuritySchemes, "bearerAuth")
	require.Equal(t, []map[string][]string{{"bearerAuth": {}}}, doc.Security)

	documented := map[string]openAPIOperation{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	registered := map[string]bool{}
	for _, rt := range (&server{}).routes() {
		name := rt.method + " " + rt.pattern
		registered[name] = true
		op, ok := documented[name]
		if !assert.True(t, ok, "%s is not in openapi.json", name) {
			continue
		}
		assert.NotEmpty(t, op.OperationID, name)
		assert.Equal(t, rt.public, op.Security != nil && len(*op.Security) == 0, "%s: public routes, and only they, drop security", name)
		if rt.idempotent {
			assert.True(t, hasRef(op.Parameters, "#/components/parameters/IdempotencyKey"), "%s must document Idempotency-Key", name)
		}
		if !rt.public {
			assert.Contains(t, op.Responses, "401", name)
		}
	}
	var extra []string
	for name := range documented {
		if !registered[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	assert.Empty(t, extra, "openapi.json documents routes the API does not serve")
}

// TestOpenAPIReferencesResolve catches a $ref to a schema, parameter or response that
// does not exist.
func TestOpenAPIReferencesResolve(t *testing.T) {
	var doc openAPIDocument
	require.NoError(t, json.Unmarshal(openAPIDoc, &doc))
	var raw any
	require.NoError(t, json.Unmarshal(openAPIDoc, &raw))
	sections := map[string]map[string]any{
		"#/components/schemas/":    doc.Components.Schemas,
		"#/components/parameters/": doc.Components.Parameters,
		"#/components/responses/":  doc.Components.Responses,
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				found := false
				for prefix, section := range sections {
					if name, ok := strings.CutPrefix(ref, prefix); ok {
						_, found = section[name]
					}
				}
				assert.True(t, found, "unresolved $ref %s", ref)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(raw)
}

func TestOpenAPIServed(t *testing.T) {
	rec := newTestAPI(t).do("GET", "/openapi.json", "", "")
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, string(openAPIDoc), rec.Body.String())
}

func hasRef(params []map[string]any, ref string) bool {
	for _, p := range params {
		if p["$ref"] == ref {
			return true
		}
	}
	return false
}
