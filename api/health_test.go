package api

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// fakeTemporal answers task queue descriptions only; any other call would panic on the nil
// embedded client, which is how the tests would notice.
type fakeTemporal struct {
	client.Client
	down, noWorker, noNamespace bool
}

func (f fakeTemporal) DescribeTaskQueue(_ context.Context, tq string, _ enumspb.TaskQueueType) (*workflowservice.DescribeTaskQueueResponse, error) {
	switch {
	case f.down:
		return nil, errors.New("connection refused")
	case f.noNamespace:
		return nil, serviceerror.NewNamespaceNotFound("default")
	case f.noWorker:
		return &workflowservice.DescribeTaskQueueResponse{}, nil
	}
	return &workflowservice.DescribeTaskQueueResponse{Pollers: []*taskqueuepb.PollerInfo{{Identity: "worker@" + tq}}}, nil
}

func TestHealth(t *testing.T) {
	api := newTestAPI(t)
	rec := api.do("GET", "/healthz", "", "")
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	assert.NotEmpty(t, rec.Header().Get("X-Request-Id"))
}

func TestReady(t *testing.T) {
	t.Run("both up", func(t *testing.T) {
		api := newTestAPI(t)
		api.s.temporal = fakeTemporal{}
		rec := api.do("GET", "/readyz", "", "")
		assert.Equal(t, 200, rec.Code, rec.Body.String())
	})
	t.Run("temporal down", func(t *testing.T) {
		api := newTestAPI(t)
		api.s.temporal = fakeTemporal{down: true}
		rec := api.do("GET", "/readyz", "", "")
		assert.Equal(t, 503, rec.Code)
		doc := assertProblem(t, rec, "unavailable")
		assert.Equal(t, map[string]any{"postgres": "up", "temporal": "down"}, doc["checks"])
		assert.NotContains(t, rec.Body.String(), "connection refused", "the cause stays in the log")
	})
	// A frontend that answers is not ready when a claim could not start (no namespace) or
	// would not move (no worker): the upstream server answers health checks in both cases.
	t.Run("namespace missing", func(t *testing.T) {
		api := newTestAPI(t)
		api.s.temporal = fakeTemporal{noNamespace: true}
		rec := api.do("GET", "/readyz", "", "")
		assert.Equal(t, 503, rec.Code)
		doc := assertProblem(t, rec, "unavailable")
		assert.Equal(t, map[string]any{"postgres": "up", "temporal": "down"}, doc["checks"])
	})
	t.Run("no worker polls", func(t *testing.T) {
		api := newTestAPI(t)
		api.s.temporal = fakeTemporal{noWorker: true}
		rec := api.do("GET", "/readyz", "", "")
		assert.Equal(t, 503, rec.Code)
		doc := assertProblem(t, rec, "unavailable")
		assert.Equal(t, map[string]any{"postgres": "up", "temporal": "no_worker"}, doc["checks"])
	})
}

func TestBearerToken(t *testing.T) {
	for h, want := range map[string]string{"Bearer abc": "abc", "bearer abc": "abc", "Bearer  abc ": "abc",
		"Basic abc": "", "Bearer": "", "Bearer ": "", "abc": ""} {
		got, ok := bearerToken(h)
		assert.Equal(t, want, got, h)
		assert.Equal(t, want != "", ok, h)
	}
}

func TestApplicantListsOnlyOwnClaims(t *testing.T) {
	api := newTestAPI(t)
	rec := api.do("GET", "/v1/claims?credit_code="+otherCode, "applicant", "")
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"items": [], "next_cursor": null}`, rec.Body.String())
}

func TestAuditVerify(t *testing.T) {
	rec := newTestAPI(t).do("GET", "/v1/audit/verify", "auditor", "")
	assert.Equal(t, 200, rec.Code)
	// No checkpoint keeper here: checkpoint_seq null says nothing anchors the chain.
	assert.JSONEq(t, `{"ok": true, "rows": 3, "first_broken_seq": null, "reason": "", "checkpoint_seq": null}`, rec.Body.String())
}
