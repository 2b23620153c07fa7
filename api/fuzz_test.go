package api

import (
	"strings"
	"testing"
)

// fuzzTargets are the endpoints that read a body, with the role that may call them. A claim
// body is fuzzed through the dry run, which decodes and validates it exactly as POST
// /v1/claims does but needs no Temporal client (this test server has none).
var fuzzTargets = []struct{ method, path, token string }{
	{"POST", "/v1/claims/dry-run", "applicant"},
	{"POST", "/v1/enterprises", "admin"},
	{"POST", "/v1/programs", "admin"},
	{"POST", "/v1/programs/" + fakeProgramID + "/budget", "admin"},
	{"PUT", "/v1/enterprises/" + ownCode + "/bank-account", "applicant"},
	{"PATCH", "/v1/programs/" + fakeProgramID + "/params", "admin"},
}

// FuzzBodies sends arbitrary bytes to every endpoint that reads a body. Whatever arrives,
// the answer is never a 5xx and nothing reaches the panic handler. The seeds run with every
// `go test`; `go test -fuzz FuzzBodies ./api` searches further.
func FuzzBodies(f *testing.F) {
	seeds := []string{
		js(claimBody(shipment(nil))),
		js(enterpriseBody(nil)),
		js(programBody(nil)),
		`{"amount": "100.00"}`,
		`{"bank_name": "b", "account_name": "a", "account_number": "62220000111"}`,
		`{"program_id": 7}`, `{"freight": {"shipments": [{}]}}`, `[]`, `null`, `{`, `""`,
		`{"amount": "1e400"}`, `{"amount": "-0.00"}`, `{"budget": "99999999999999999999999.99"}`,
		`{"freight": {"shipments": [{"ship_date": "2024-02-30", "amount": "0.001"}]}}`,
		"{\"name\": \"\xff\xfe\"}",
		`{"rate": "0.60", "excluded_modes": ["rail"]}`, `{"rate": null}`, `{"product_categories": "barley"}`,
		`{"rent": {"lease": {"monthly_rent": "1,000"}}}`, `{"program_id": "p", "rent": {}, "freight": {}}`,
	}
	for i := range fuzzTargets {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body string) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		api := newTestAPI(t)
		rec := api.do(tg.method, tg.path, tg.token, body, key)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s\n%s", tg.method, tg.path, body, rec.Code, rec.Body.String(), api.log.String())
		}
		if log := api.log.String(); containsAny(log, `"msg":"panic"`, `"level":"ERROR"`) {
			t.Fatalf("%s %s with %q logged an error: %s", tg.method, tg.path, body, log)
		}
	})
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
