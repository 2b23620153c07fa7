package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sort"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// problemBase prefixes every problem type URI; the last segment names the problem.
const problemBase = "https://subsidyflow.example/problems/"

// fieldError is one entry of a problem's "errors" list.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// malformed is a request the server could not even read: a body that is not JSON, has
// members of the wrong type or unknown names, or is too large. It carries field errors like
// apperr.Invalid, but the client must fix its encoding, not its values, so it is a 400 (413
// when too large) rather than a 422.
type malformed struct {
	err      *apperr.Error
	tooLarge bool
}

func (m *malformed) Error() string { return "malformed request: " + m.err.Error() }
func (m *malformed) Unwrap() error { return m.err }

// errMethodNotAllowed answers a known path asked with a method it does not serve.
var errMethodNotAllowed = errors.New("method not allowed")

// statusOf is the one place where an error becomes an HTTP status. Everything without a
// code is an internal failure: 500, and its text is never shown.
func statusOf(err error) int {
	var m *malformed
	switch {
	case errors.As(err, &m) && m.tooLarge:
		return http.StatusRequestEntityTooLarge
	case errors.As(err, &m):
		return http.StatusBadRequest
	case errors.Is(err, errMethodNotAllowed):
		return http.StatusMethodNotAllowed
	}
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// problemSlugs names the problem type of each status statusOf can return.
var problemSlugs = map[int]string{
	http.StatusBadRequest:            "malformed-request",
	http.StatusRequestEntityTooLarge: "request-too-large",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusNotFound:              "not-found",
	http.StatusConflict:              "conflict",
	http.StatusForbidden:             "forbidden",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusInternalServerError:   "internal",
}

// problemOf builds the RFC 9457 document for err. Standard members win over Extra ones, so
// an error cannot disguise its own status.
func problemOf(err error, status int, requestID string) map[string]any {
	doc := map[string]any{}
	var ae *apperr.Error
	if status != http.StatusInternalServerError && errors.As(err, &ae) {
		for k, v := range ae.Extra {
			doc[k] = v
		}
		if len(ae.Fields) > 0 {
			doc["errors"] = sortedFields(ae.Fields)
		}
	}
	doc["type"] = problemBase + problemSlugs[status]
	doc["title"] = http.StatusText(status)
	doc["status"] = status
	doc["detail"] = detailOf(err, ae, status)
	if requestID != "" {
		doc["request_id"] = requestID
	}
	return doc
}

// detailOf is the human explanation: the coded error's message, or a generic sentence for
// the failures whose text must not leave the server.
func detailOf(err error, ae *apperr.Error, status int) string {
	switch {
	case status == http.StatusInternalServerError:
		return "the server failed to handle the request; it has been logged under the request id"
	case errors.Is(err, errMethodNotAllowed):
		return "this path does not accept that method"
	case ae != nil:
		return ae.Message
	}
	return http.StatusText(status)
}

// sortedFields turns a field map into the problem's list, ordered by field path.
func sortedFields(fields map[string]string) []fieldError {
	out := make([]fieldError, 0, len(fields))
	for f, msg := range fields {
		out = append(out, fieldError{Field: f, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// writeError answers with the problem document of err. Internal failures are logged with
// the request id so the generic answer can be traced back to the cause.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	id := requestIDFrom(r.Context())
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", id,
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="subsidyflow"`)
	}
	body, mErr := json.Marshal(problemOf(err, status, id))
	if mErr != nil { // Extra holds plain values; still, never answer with nothing
		s.log.ErrorContext(r.Context(), "encode problem", "request_id", id, "err", mErr)
		body = []byte(`{"type":"` + problemBase + `internal","title":"Internal Server Error","status":500}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// logDiscard is the logger used when Deps has none, so handlers never check for nil.
var logDiscard = slog.New(slog.DiscardHandler)
