package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bad query parameters of the audit search and range verify are field errors, never 500s,
// and only auditors and admins get the log.
func TestAuditLogParams(t *testing.T) {
	api := newTestAPI(t)
	for _, c := range []struct {
		path, who string
		status    int
		field     string
	}{
		{"/v1/audit/log", "auditor", 200, ""},
		{"/v1/audit/log?claim_id=clm_1&actor=bob&action=payment&from=2026-01-01T00:00:00%2B08:00&to=2026-02-01T00:00:00Z&limit=10&cursor=99", "auditor", 200, ""},
		{"/v1/audit/log", "applicant", 403, ""},
		{"/v1/audit/log?limit=0", "auditor", 422, "limit"},
		{"/v1/audit/log?limit=501", "auditor", 422, "limit"},
		{"/v1/audit/log?from=yesterday", "auditor", 422, "from"},
		{"/v1/audit/log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "auditor", 422, "to"},
		{"/v1/audit/log?cursor=abc", "auditor", 422, "cursor"},
		{"/v1/audit/log?seq=1", "auditor", 422, "seq"},
		{"/v1/audit/log?actor=a&actor=b", "auditor", 422, "actor"},
		{"/v1/audit/verify?from_seq=2&to_seq=5", "auditor", 200, ""},
		{"/v1/audit/verify?from_seq=0", "auditor", 422, "from_seq"},
		{"/v1/audit/verify?from_seq=x", "auditor", 422, "from_seq"},
		{"/v1/audit/verify?from_seq=5&to_seq=2", "auditor", 422, "to_seq"},
		{"/v1/audit/verify?start=1", "auditor", 422, "start"},
	} {
		rec := api.do("GET", c.path, c.who, "")
		if !assert.Equal(t, c.status, rec.Code, "%s: %s", c.path, rec.Body) || c.field == "" {
			continue
		}
		var doc struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
		require.NotEmpty(t, doc.Errors, c.path)
		assert.Equal(t, c.field, doc.Errors[0].Field, c.path)
	}
}
