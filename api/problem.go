package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/i18n"
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
	return problemIn(err, status, requestID, i18n.EN)
}

// problemIn is problemOf with the title, detail and field messages in lang (codes, the type
// and field paths never change).
func problemIn(err error, status int, requestID string, lang i18n.Lang) map[string]any {
	doc := map[string]any{}
	var ae *apperr.Error
	if status != http.StatusInternalServerError && errors.As(err, &ae) {
		for k, v := range ae.Extra {
			doc[k] = v
		}
		if len(ae.Fields) > 0 {
			doc["errors"] = sortedFields(ae.Fields, lang)
		}
	}
	doc["type"] = problemBase + problemSlugs[status]
	doc["title"] = messageIn(lang, http.StatusText(status))
	doc["status"] = status
	doc["detail"] = messageIn(lang, detailOf(err, ae, status))
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
func sortedFields(fields map[string]string, lang i18n.Lang) []fieldError {
	out := make([]fieldError, 0, len(fields))
	for f, msg := range fields {
		out = append(out, fieldError{Field: f, Message: messageIn(lang, msg)})
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
	lang := problemLang(r)
	body, mErr := json.Marshal(problemIn(err, status, id, lang))
	if mErr != nil { // Extra holds plain values; still, never answer with nothing
		s.log.ErrorContext(r.Context(), "encode problem", "request_id", id, "err", mErr)
		body = []byte(`{"type":"` + problemBase + `internal","title":"Internal Server Error","status":500}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", lang.String())
	w.Header().Add("Vary", "Accept-Language")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// problemLang is the language of a problem document. Unlike the pages, the API speaks
// English unless the request asks for Chinese: existing clients send no Accept-Language
// and parse nothing but codes, yet their logs and tests read the English. Chinese only
// when Accept-Language ranks zh above en (and above the English fallback of any other
// language it names).
func problemLang(r *http.Request) i18n.Lang {
	h := strings.TrimSpace(r.Header.Get("Accept-Language"))
	if h == "" {
		return i18n.EN
	}
	// English as the weakest choice: a header naming neither language (or only with q=0)
	// gets English, which i18n.Negotiate alone would answer in Chinese.
	return i18n.Negotiate(h + ", en;q=0.001")
}

var (
	// oneOfList is a list of codes after "one of": "must be one of a, b, c".
	oneOfList = regexp.MustCompile(`one of ([A-Za-z0-9_.-]+(?:, [A-Za-z0-9_.-]+)+)`)
	// jsonSyntax is encoding/json's own (English) account of a syntax error.
	jsonSyntax = regexp.MustCompile(`^is not valid JSON: .*?( \(at byte \d+\))?$`)
)

// messageIn is msg (English, already formatted) in lang. Two shapes need help before the
// catalog's formats can match: a list of codes is joined with the Chinese list mark so it
// reads as one value ("a、b、c"), and encoding/json's English explanation of a syntax
// error is left out (the byte offset stays).
func messageIn(lang i18n.Lang, msg string) string {
	if lang == i18n.EN || msg == "" {
		return msg
	}
	msg = oneOfList.ReplaceAllStringFunc(msg, func(m string) string {
		return "one of " + strings.ReplaceAll(strings.TrimPrefix(m, "one of "), ", ", "、")
	})
	if m := jsonSyntax.FindStringSubmatch(msg); m != nil {
		msg = "is not valid JSON" + m[1]
	}
	return lang.Message(msg)
}

// logDiscard is the logger used when Deps has none, so handlers never check for nil.
var logDiscard = slog.New(slog.DiscardHandler)
