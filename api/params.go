package api

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/program"
)

// paramsOf checks and completes the kind-specific parameters with the kind's own request
// type and returns them as stored. Field errors are keyed relative to the params object; a
// params object of the wrong shape is a malformed request (400) like any other body, its
// fields put under prefix (where the object sits in the request).
func paramsOf(k program.Kind, raw json.RawMessage, prefix string) (json.RawMessage, map[string]string, error) {
	rules, ok := registry.Lookup(k)
	if !ok {
		return nil, map[string]string{"": "cannot be set for programs of kind " + string(k)}, nil
	}
	req := rules.NewParams()
	if err := decodeBytes(raw, req, true); err != nil {
		return nil, nil, underPrefix(err, prefix)
	}
	if errs := checkStruct(req, ""); len(errs) > 0 {
		return nil, errs, nil
	}
	params, errs := req.Complete()
	if len(errs) > 0 {
		return nil, errs, nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, nil, fmt.Errorf("encode %s params: %w", k, err)
	}
	return b, nil, nil
}

// underPrefix moves a malformed error's field errors under prefix; "body" (the document as
// a whole) becomes the prefix itself.
func underPrefix(err error, prefix string) error {
	var m *malformed
	if !errors.As(err, &m) {
		return err
	}
	fields := map[string]string{}
	for f, msg := range m.err.Fields {
		if f == "body" && prefix != "" {
			f = ""
		}
		fields[joinPath(prefix, f)] = msg
	}
	return &malformed{tooLarge: m.tooLarge, err: &apperr.Error{Code: m.err.Code, Message: m.err.Message, Fields: fields}}
}

// viewParams renders stored parameters for clients through the kind's view; a kind without
// rules, or parameters that do not decode, are shown as stored.
func viewParams(k program.Kind, raw json.RawMessage) json.RawMessage {
	rules, ok := registry.Lookup(k)
	if !ok || len(raw) == 0 {
		return optJSON(raw)
	}
	v, err := rules.ViewParams(raw)
	if err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}
