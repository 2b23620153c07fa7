package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestHash(t *testing.T) {
	base := requestHash([]byte(`{"b": [1, 2.50, "x"], "a": {"d": null, "c": true}}`))
	assert.Len(t, base, 64)
	assert.Equal(t, base, requestHash([]byte("{\n  \"a\": {\"c\": true, \"d\": null},\n  \"b\": [1,2.50,\"x\"]\n}")),
		"spacing and member order do not matter")
	assert.NotEqual(t, base, requestHash([]byte(`{"b": [1, 2.5, "x"], "a": {"d": null, "c": true}}`)),
		"numbers count as written: 2.50 is not 2.5")
	assert.NotEqual(t, base, requestHash([]byte(`{"b": [2, 1, "x"], "a": {"d": null, "c": true}}`)),
		"list order matters")
	assert.Equal(t, requestHash([]byte(`{"note": "<a>"}`)), requestHash([]byte(`{"note":"\u003ca>"}`)),
		"escapes are decoded before hashing")
	assert.Equal(t, string(canonicalBody([]byte(`{"x": `))), `{"x": `, "a broken body is hashed as sent")
}

func TestIdempotencyScope(t *testing.T) {
	assert.NotEqual(t, idempotencyScope("ada", "POST", "/v1/programs"), idempotencyScope("bob", "POST", "/v1/programs"))
	assert.NotEqual(t, idempotencyScope("ada", "POST", "/v1/programs/a/budget"), idempotencyScope("ada", "POST", "/v1/programs/b/budget"))
}

func TestIdempotentReplay(t *testing.T) {
	api := newTestAPI(t)
	body := js(enterpriseBody(nil))

	first := api.do("POST", "/v1/enterprises", "admin", body, key)
	require.Equal(t, 201, first.Code, first.Body.String())
	assert.Empty(t, first.Header().Get("Idempotent-Replayed"))
	var e enterpriseView
	require.NoError(t, json.Unmarshal(first.Body.Bytes(), &e))
	assert.Equal(t, "small", *e.SizeClass, "50 employees and 1200 revenue in industry")
	assert.Equal(t, "1200.00", e.Revenue)

	again := api.do("POST", "/v1/enterprises", "admin", js(enterpriseBody(nil)), key)
	assert.Equal(t, 201, again.Code)
	assert.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	assert.Equal(t, first.Body.String(), again.Body.String())
	assert.Equal(t, first.Header().Get("Location"), again.Header().Get("Location"))
	assert.Equal(t, []string{"CreateEnterprise"}, api.store.Writes(), "the replay stored nothing")

	other := api.do("POST", "/v1/enterprises", "admin", js(enterpriseBody(func(m map[string]any) { m["name"] = "Other" })), key)
	assert.Equal(t, 409, other.Code)
	assertProblem(t, other, "conflict")

	bySomeoneElse := api.do("POST", "/v1/enterprises", "applicant", body, key)
	assert.Equal(t, 201, bySomeoneElse.Code, "keys are scoped per caller")
	assert.Empty(t, bySomeoneElse.Header().Get("Idempotent-Replayed"))
}

// Security finding 5: two applicant tokens with the same subject for different enterprises
// shared keys, and the second enterprise got the first one's answer back.
func TestIdempotencyKeysBelongToOneEnterprise(t *testing.T) {
	api := newTestAPI(t)
	first := api.do("POST", "/v1/enterprises", "applicant", js(enterpriseBody(nil)), key)
	require.Equal(t, 201, first.Code, first.Body.String())
	twin := api.do("POST", "/v1/enterprises", "twin", js(enterpriseBody(func(m map[string]any) { m["credit_code"] = otherCode })), key)
	require.Equal(t, 201, twin.Code, twin.Body.String())
	assert.Empty(t, twin.Header().Get("Idempotent-Replayed"), "not the other enterprise's answer")
	assert.Contains(t, twin.Body.String(), otherCode)
}

func TestIdempotentRefusalIsReplayed(t *testing.T) {
	api := newTestAPI(t)
	bad := js(enterpriseBody(func(m map[string]any) { m["revenue"] = "1.001" }))
	first := api.do("POST", "/v1/enterprises", "admin", bad, key)
	require.Equal(t, 422, first.Code)
	again := api.do("POST", "/v1/enterprises", "admin", bad, key)
	assert.Equal(t, 422, again.Code)
	assert.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	assert.Equal(t, "application/problem+json", again.Header().Get("Content-Type"))
	assert.Equal(t, first.Body.String(), again.Body.String())
}

// TestARetryOfARequestThatDiedAfterStoringAnswersWithWhatItStored: the key's first request
// stored a program and died; the retry answers with that program and creates nothing, and
// its answer is the key's answer from then on.
func TestARetryOfARequestThatDiedAfterStoringAnswersWithWhatItStored(t *testing.T) {
	api := newTestAPI(t)
	body := js(programBody(nil))
	p := tokens["admin"]
	scope := idempotencyScope(string(p.Role)+"/"+p.CreditCode+"/"+p.Subject, "POST", "/v1/programs")
	api.store.keys[scope+"\x00"+"k-1"] = &fakeKey{hash: requestHash([]byte(body)), dead: true, resource: fakeProgramID}

	r := api.do("POST", "/v1/programs", "admin", body, key)
	require.Equal(t, 201, r.Code, r.Body.String())
	assert.Equal(t, "/v1/programs/"+fakeProgramID, r.Header().Get("Location"))
	var v programView
	require.NoError(t, json.Unmarshal(r.Body.Bytes(), &v))
	assert.Equal(t, fakeProgramID, v.ID)
	assert.Empty(t, api.store.Writes(), "nothing created a second time")

	again := api.do("POST", "/v1/programs", "admin", body, key)
	assert.Equal(t, 201, again.Code)
	assert.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	assert.Equal(t, r.Body.String(), again.Body.String())
}

// TestARetryWhoseStoredResourceIsGoneIsProcessedAfresh: a stored resource that is gone again
// (as a claim removed because its workflow could not start) is no answer; the retry
// processes the request anew.
func TestARetryWhoseStoredResourceIsGoneIsProcessedAfresh(t *testing.T) {
	api := newTestAPI(t)
	body := js(programBody(nil))
	p := tokens["admin"]
	scope := idempotencyScope(string(p.Role)+"/"+p.CreditCode+"/"+p.Subject, "POST", "/v1/programs")
	api.store.keys[scope+"\x00"+"k-1"] = &fakeKey{hash: requestHash([]byte(body)), dead: true, resource: "prg_gone"}

	r := api.do("POST", "/v1/programs", "admin", body, key)
	require.Equal(t, 201, r.Code, r.Body.String())
	assert.Equal(t, []string{"CreateProgram"}, api.store.Writes())
}
