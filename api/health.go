package api

import (
	"context"
	_ "embed"
	"errors"
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// openAPIBase describes every route and the shared schemas; each registered kind adds its
// own (openapi_kinds.go). A test keeps the result in step with routes().
//
//go:embed openapi.json
var openAPIBase []byte

// openAPIDoc is the document served at /openapi.json.
var openAPIDoc = mustOpenAPI(openAPIBase)

// readyTimeout bounds each dependency check, so a hung database cannot hang the probe.
const readyTimeout = 2 * time.Second

// healthz says the process is up; it checks nothing else, so a database outage does not
// get the process restarted.
func (s *server) healthz(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether requests can be served: PostgreSQL answers and a claim could be
// started and worked on (contract.Ready: the namespace exists and a worker polls the
// claims task queue). A frontend that merely answers is not enough: without the namespace
// every start fails.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	checks := map[string]string{"postgres": "up", "temporal": "up"}
	if err := s.pingStore(ctx); err != nil {
		checks["postgres"] = "down"
		s.log.WarnContext(ctx, "not ready: postgres", "request_id", requestIDFrom(ctx), "err", err)
	}
	if err := s.pingTemporal(ctx); err != nil {
		checks["temporal"] = "down"
		if errors.Is(err, contract.ErrNoWorker) {
			checks["temporal"] = "no_worker"
		}
		s.log.WarnContext(ctx, "not ready: temporal", "request_id", requestIDFrom(ctx), "err", err)
	}
	if checks["postgres"] != "up" || checks["temporal"] != "up" {
		// Which dependency is down is shown; why stays in the log.
		return &apperr.Error{Code: apperr.Unavailable, Message: "a dependency is down", Extra: map[string]any{"checks": checks}}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}

func (s *server) pingStore(ctx context.Context) error {
	if s.store == nil {
		return errors.New("no store configured")
	}
	return s.store.Ping(ctx)
}

func (s *server) pingTemporal(ctx context.Context) error {
	if s.temporal == nil {
		return errors.New("no Temporal client configured")
	}
	return contract.Ready(ctx, s.temporal)
}

func (s *server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc)
	return err
}
