package api

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/checkpoint"
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

// A dossier's signature checks with the public key beside it; one byte changed in the bundle
// and it does not. Without a signing key the dossier says it is unsigned.
func TestClaimDossierSignature(t *testing.T) {
	api := newTestAPI(t)
	rec := api.do("GET", "/v1/claims/"+fakeClaimID+"/dossier", "auditor", "")
	require.Equal(t, 200, rec.Code, rec.Body.String())
	var unsigned map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &unsigned))
	assert.Equal(t, false, unsigned["signed"])
	assert.Contains(t, unsigned["note"], "unsigned")
	assert.False(t, VerifyDossier(rec.Body.Bytes()))

	seed := make([]byte, ed25519.SeedSize)
	seed[0] = 7
	api.s.checkpoints = checkpoint.NewKeeper(nil, ed25519.NewKeyFromSeed(seed), checkpoint.File{Path: t.TempDir() + "/checkpoints"})
	h := api.s.handler()
	for who, status := range map[string]int{"auditor": 200, "admin": 200, "officer": 200, "applicant": 403} {
		req := httptest.NewRequest("GET", "/v1/claims/"+fakeClaimID+"/dossier", nil)
		req.Header.Set("Authorization", "Bearer "+who)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, status, rec.Code, "%s: %s", who, rec.Body)
	}
	req := httptest.NewRequest("GET", "/v1/claims/"+fakeClaimID+"/dossier", nil)
	req.Header.Set("Authorization", "Bearer auditor")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	doc := rec.Body.Bytes()
	require.True(t, VerifyDossier(doc), "%s", doc)
	var d struct {
		Bundle    json.RawMessage `json:"bundle"`
		PublicKey string          `json:"public_key"`
		Signature string          `json:"signature"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	assert.Contains(t, string(d.Bundle), fakeClaimID)
	pub, _ := base64.StdEncoding.DecodeString(d.PublicKey)
	sig, _ := base64.StdEncoding.DecodeString(d.Signature)
	require.True(t, ed25519.Verify(pub, d.Bundle, sig))
	for i := range d.Bundle {
		tampered := bytes.Clone(d.Bundle)
		tampered[i] ^= 1
		require.False(t, ed25519.Verify(pub, tampered, sig), "byte %d changed and the signature still checks", i)
	}
	i := bytes.Index(doc, []byte(fakeClaimID))
	tampered := bytes.Clone(doc)
	tampered[i] = 'X'
	require.False(t, VerifyDossier(tampered))
}
