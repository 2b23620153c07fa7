package api

import (
	"log/slog"
	"net/http"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/plaintext"
)

// CleanURL refuses, with a field-level 400, a request whose path or query carries NUL,
// invalid UTF-8 or control characters, before any handler reads an id or a filter from it:
// such a value can never name a claim, and passed on it made PostgreSQL fail (a 500). It
// guards the web pages too.
func CleanURL(next http.Handler) http.Handler {
	return (&server{log: slog.Default()}).cleanURL(next)
}

func (s *server) cleanURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if field, err := dirtyURL(r); err != nil {
			s.writeError(w, r, &malformed{err: &apperr.Error{Code: apperr.Invalid,
				Message: "the request's address is not valid text", Fields: map[string]string{field: err.Error()}}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// dirtyURL names the first part of the address that is not clean text.
func dirtyURL(r *http.Request) (string, error) {
	if err := plaintext.Check(r.URL.Path, false); err != nil {
		return "path", err
	}
	for name, values := range r.URL.Query() {
		if err := plaintext.Check(name, false); err != nil {
			return "query", err
		}
		for _, v := range values {
			if err := plaintext.Check(v, false); err != nil {
				return name, err
			}
		}
	}
	return "", nil
}
