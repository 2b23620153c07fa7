package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// maxBody is the largest request body read: a claim of 500 shipments is far below it.
const maxBody = 1 << 20

// readBody reads the whole body, refusing more than maxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &malformed{tooLarge: true, err: &apperr.Error{Code: apperr.Invalid,
			Message: fmt.Sprintf("the request body is larger than %d bytes", maxBody),
			Fields:  map[string]string{"body": "must be at most 1 MiB"}}}
	}
	if err != nil {
		return nil, &malformed{err: badBody("could not be read")}
	}
	return b, nil
}

// decodeJSON reads the body into dst, a pointer to a request struct. Before decoding, the
// document is checked against dst's shape so that every unknown member and every value of
// the wrong JSON type is reported with its full path ("freight.shipments[2].amount"). An
// empty body is an error unless optional is set.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, optional bool) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeBytes(b, dst, optional)
}

// decodeBytes is decodeJSON on a body already read.
func decodeBytes(b []byte, dst any, optional bool) error {
	if len(bytes.TrimSpace(b)) == 0 {
		if optional {
			return nil
		}
		return &malformed{err: badBody("is required: send a JSON object")}
	}
	doc, err := parseDocument(b)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	checkShape(doc, reflect.TypeOf(dst).Elem(), "", fields)
	if len(fields) > 0 {
		return &malformed{err: &apperr.Error{Code: apperr.Invalid,
			Message: "the request body does not have the expected shape", Fields: fields}}
	}
	if err := json.Unmarshal(b, dst); err != nil { // the shape check makes this unreachable
		return &malformed{err: badBody("could not be decoded")}
	}
	return nil
}

// parseDocument parses exactly one JSON value, with numbers kept as written.
func parseDocument(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, &malformed{err: badBody(fmt.Sprintf("is not valid JSON: %s (at byte %d)", syn.Error(), syn.Offset))}
		}
		return nil, &malformed{err: badBody("is not valid JSON: " + err.Error())}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &malformed{err: badBody("must hold a single JSON value with nothing after it")}
	}
	return doc, nil
}

// badBody is the field error on the body as a whole.
func badBody(msg string) *apperr.Error {
	return &apperr.Error{Code: apperr.Invalid, Message: "the request body is malformed",
		Fields: map[string]string{"body": msg}}
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// checkShape compares a parsed JSON value with the Go type it will be decoded into and
// records, per path, each unknown member and each value of the wrong JSON type. JSON null
// is accepted everywhere: it means "absent", and the validator decides whether that is
// allowed.
func checkShape(v any, t reflect.Type, path string, errs map[string]string) {
	if v == nil || t == rawMessageType {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		checkObject(v, t, path, errs)
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			errs[orBody(path)] = "must be a list"
			return
		}
		for i, item := range items {
			checkShape(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			errs[orBody(path)] = "must be a string"
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			errs[orBody(path)] = "must be true or false"
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		if n, ok := v.(json.Number); !ok || !fitsInt(n, t) {
			errs[orBody(path)] = "must be a whole number"
		}
	}
}

// checkObject checks a JSON object against a struct, matching member names exactly.
func checkObject(v any, t reflect.Type, path string, errs map[string]string) {
	obj, ok := v.(map[string]any)
	if !ok {
		errs[orBody(path)] = "must be an object"
		return
	}
	known := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name := jsonName(f); name != "" {
			known[name] = f.Type
		}
	}
	for name, member := range obj {
		p := joinPath(path, name)
		ft, ok := known[name]
		if !ok {
			errs[p] = "is not a known field"
			continue
		}
		checkShape(member, ft, p, errs)
	}
}

// fitsInt reports whether n is an integer that t can hold.
func fitsInt(n json.Number, t reflect.Type) bool {
	i, err := n.Int64()
	if err != nil {
		return false
	}
	return !reflect.New(t).Elem().OverflowInt(i)
}

// jsonName is a field's JSON member name, or "" for fields JSON ignores.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}

func joinPath(parent, name string) string {
	switch {
	case parent == "":
		return name
	case name == "":
		return parent
	}
	return parent + "." + name
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}
