package api

import (
	"encoding/json"
	"fmt"

	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
)

// mustOpenAPI adds every registered kind to the base document: its schemas, its claim body
// as a member of ClaimCreate, its params among ProgramCreate's, and its name in the kind
// enum. The base is embedded at build time, so a failure is a programming error.
func mustOpenAPI(base []byte) []byte {
	doc, err := withKinds(base)
	if err != nil {
		panic("api: openapi.json: " + err.Error())
	}
	return doc
}

func withKinds(base []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, err
	}
	schemas, err := walk(doc, "components", "schemas")
	if err != nil {
		return nil, err
	}
	claimProps, err := walk(schemas, "ClaimCreate", "properties")
	if err != nil {
		return nil, err
	}
	programProps, err := walk(schemas, "ProgramCreate", "properties")
	if err != nil {
		return nil, err
	}
	var params []any
	var kinds []any
	for _, r := range registry.All() {
		sc := r.Schemas()
		for name, s := range sc.Components {
			if _, dup := schemas[name]; dup {
				return nil, fmt.Errorf("kind %s: schema %s is defined twice", r.Kind(), name)
			}
			schemas[name] = s
		}
		if sc.Body != "" && kind.Filed(r) {
			claimProps[string(r.Kind())] = ref(sc.Body)
		}
		params = append(params, ref(sc.Params))
		kinds = append(kinds, string(r.Kind()))
	}
	programProps["params"] = map[string]any{"oneOf": params,
		"description": "the parameters of the program's kind; absent members take POLICIES.md's defaults"}
	kindProp, err := walk(programProps, "kind")
	if err != nil {
		return nil, err
	}
	kindProp["enum"] = kinds
	return json.MarshalIndent(doc, "", "  ")
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// walk follows object members from m.
func walk(m map[string]any, path ...string) (map[string]any, error) {
	for _, p := range path {
		next, ok := m[p].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("no object at %q", p)
		}
		m = next
	}
	return m, nil
}
