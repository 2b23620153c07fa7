package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/api"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// The audit search, range verify and dossier against the running app.
func TestAuditLogE2E(t *testing.T) {
	e := apptest.Start(t)
	e.Enterprise(t, e.CreditCode, "6222000012345678")
	program := e.FreightProgram(t, "1000000.00")
	r := e.FileFreight(t, "applicant", program, apptest.Shipment(1, "1000.00"))
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", 30*time.Second)

	log := e.Do(t, "GET", "/v1/audit/log?claim_id="+id, "auditor", nil)
	require.Equal(t, 200, log.Status, "%s", log.Body)
	items := log.JSON["items"].([]any)
	require.NotEmpty(t, items)
	for _, it := range items {
		row := it.(map[string]any)
		assert.Equal(t, id, row["claim_id"])
		assert.Len(t, row["hash"], 64)
		assert.Len(t, row["prev_hash"], 64)
	}
	head := log.JSON["head"].(map[string]any)
	headSeq := int64(head["seq"].(float64))
	require.Positive(t, headSeq)

	page := e.Do(t, "GET", "/v1/audit/log?limit=2", "auditor", nil)
	require.Equal(t, 200, page.Status, "%s", page.Body)
	require.Len(t, page.JSON["items"], 2)
	require.NotNil(t, page.JSON["next_cursor"])
	next := e.Do(t, "GET", "/v1/audit/log?limit=2&cursor="+page.JSON["next_cursor"].(string), "auditor", nil)
	require.Equal(t, 200, next.Status, "%s", next.Body)
	assert.Equal(t, headSeq-2, int64(next.JSON["items"].([]any)[0].(map[string]any)["seq"].(float64)))

	v := e.Do(t, "GET", "/v1/audit/verify?from_seq=2&to_seq="+strconv.FormatInt(headSeq, 10), "auditor", nil)
	require.Equal(t, 200, v.Status, "%s", v.Body)
	assert.Equal(t, true, v.JSON["ok"], "%s", v.Body)
	assert.Equal(t, float64(headSeq-1), v.JSON["rows"])

	assert.Equal(t, 403, e.Do(t, "GET", "/v1/audit/log", "applicant", nil).Status)
	assert.Equal(t, 422, e.Do(t, "GET", "/v1/audit/log?from=soon", "auditor", nil).Status)

	d := e.Do(t, "GET", "/v1/claims/"+id+"/dossier", "auditor", nil)
	require.Equal(t, 200, d.Status, "%s", d.Body)
	if d.JSON["signed"] == true {
		assert.True(t, api.VerifyDossier([]byte(d.Body)))
	} else {
		assert.Contains(t, d.JSON["note"], "unsigned")
	}
	assert.Equal(t, 403, e.Do(t, "GET", "/v1/claims/"+id+"/dossier", "applicant", nil).Status)
}
