package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apperr"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"invalid fields", apperr.InvalidFields(map[string]string{"x": "bad"}), 422},
		{"not found", apperr.New(apperr.NotFound, "no"), 404},
		{"conflict", apperr.New(apperr.Conflict, "no"), 409},
		{"forbidden", apperr.New(apperr.Forbidden, "no"), 403},
		{"unauthenticated", apperr.New(apperr.Unauthenticated, "no"), 401},
		{"unavailable", apperr.New(apperr.Unavailable, "no"), 503},
		{"wrapped coded error keeps its code", fmt.Errorf("ctx: %w", apperr.New(apperr.Conflict, "no")), 409},
		{"malformed body", &malformed{err: badBody("bad")}, 400},
		{"body too large", &malformed{tooLarge: true, err: badBody("big")}, 413},
		{"wrong method", errMethodNotAllowed, 405},
		{"internal", errors.New("pq: connection refused"), 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, statusOf(tt.err))
		})
	}
}

func TestProblemDocument(t *testing.T) {
	t.Run("invalid lists sorted field errors and extra members", func(t *testing.T) {
		err := &apperr.Error{Code: apperr.Invalid, Message: "bad request",
			Fields: map[string]string{"b": "two", "a": "one"},
			Extra:  map[string]any{"claim_id": "clm_first", "status": 999}}
		doc := problemOf(err, statusOf(err), "rid")
		assert.Equal(t, "https://subsidyflow.example/problems/invalid", doc["type"])
		assert.Equal(t, 422, doc["status"], "an Extra member cannot override a standard one")
		assert.Equal(t, "clm_first", doc["claim_id"])
		assert.Equal(t, []fieldError{{"a", "one"}, {"b", "two"}}, doc["errors"])
		assert.Equal(t, "bad request", doc["detail"])
		assert.Equal(t, "rid", doc["request_id"])
	})
	t.Run("internal errors are logged, never shown", func(t *testing.T) {
		api := newTestAPI(t)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/x", nil)
		api.serverForTest().writeError(rec, req, errors.New("password=hunter2 leaked"))
		assert.Equal(t, 500, rec.Code)
		assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		assert.NotContains(t, rec.Body.String(), "hunter2")
		assert.Contains(t, api.log.String(), "hunter2")
	})
	t.Run("401 asks for a bearer token", func(t *testing.T) {
		rec := newTestAPI(t).do("GET", "/v1/programs", "", "")
		assert.Equal(t, 401, rec.Code)
		assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
		assertProblem(t, rec, "unauthenticated")
	})
	t.Run("unknown token", func(t *testing.T) {
		rec := newTestAPI(t).do("GET", "/v1/programs", "nope", "")
		assert.Equal(t, 401, rec.Code)
	})
	t.Run("unknown path is a 404 problem", func(t *testing.T) {
		rec := newTestAPI(t).do("GET", "/v1/nothing-here", "admin", "")
		assert.Equal(t, 404, rec.Code)
		assertProblem(t, rec, "not-found")
	})
	t.Run("wrong method is a 405 problem with Allow", func(t *testing.T) {
		rec := newTestAPI(t).do("DELETE", "/v1/programs", "admin", "")
		assert.Equal(t, 405, rec.Code)
		assert.Contains(t, rec.Header().Get("Allow"), "GET")
		assertProblem(t, rec, "method-not-allowed")
	})
}

func TestPanicBecomesGeneric500(t *testing.T) {
	api := newTestAPI(t)
	s := api.serverForTest()
	h := s.withRequestID(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: secret detail")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, 500, rec.Code)
	assert.NotContains(t, rec.Body.String(), "secret")
	assert.Contains(t, api.log.String(), "secret detail")
	assert.Contains(t, api.log.String(), "goroutine", "the stack is logged")
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Equal(t, rec.Header().Get("X-Request-Id"), doc["request_id"])
}

// assertProblem checks the problem document's media type and type URI.
func assertProblem(t *testing.T, rec *httptest.ResponseRecorder, slug string) map[string]any {
	t.Helper()
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc), rec.Body.String())
	assert.True(t, strings.HasSuffix(doc["type"].(string), "/problems/"+slug), doc["type"])
	assert.Equal(t, float64(rec.Code), doc["status"])
	assert.NotEmpty(t, doc["title"])
	assert.NotEmpty(t, doc["detail"])
	return doc
}
