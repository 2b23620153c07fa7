package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Valid bodies; each malformed case breaks one thing.

func enterpriseBody(mut func(m map[string]any)) map[string]any {
	m := map[string]any{"credit_code": ownCode, "name": "Lhasa Barley Co", "industry": "industry",
		"employees": 50, "revenue": "1200.00", "assets": "800.00", "region": "540100",
		"bank_account": map[string]any{"bank_name": "ABC Lhasa", "account_name": "Lhasa Barley Co", "account_number": "6222020200112233"}}
	if mut != nil {
		mut(m)
	}
	return m
}

func programBody(mut func(m map[string]any)) map[string]any {
	m := map[string]any{"kind": "freight", "name": "Tibet freight 2024", "region": "540000",
		"period_start": "2024-01-01", "period_end": "2025-01-01", "budget": "1000000.00",
		"params": map[string]any{"product_categories": []any{"barley"}}}
	if mut != nil {
		mut(m)
	}
	return m
}

func shipment(mut func(m map[string]any)) map[string]any {
	m := map[string]any{"carrier": "Tibet Express", "waybill_no": "WB1", "ship_date": "2024-03-01",
		"origin_region": "540100", "destination_region": "510100", "product_category": "barley",
		"mode": "road", "amount": "1000.00", "invoice_no": "INV1"}
	if mut != nil {
		mut(m)
	}
	return m
}

func claimBody(lines ...map[string]any) map[string]any {
	items := make([]any, len(lines))
	for i, l := range lines {
		items[i] = l
	}
	return map[string]any{"program_id": fakeProgramID, "freight": map[string]any{"shipments": items}}
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func sub(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }

const key = "Idempotency-Key: k-1"

type badRequest struct {
	name, method, path, token, body string
	headers                         []string
	status                          int
	field                           string // "" when the answer has no field errors
	message                         string // a part of the field's message
}

func badRequests() []badRequest {
	many := make([]map[string]any, 501)
	for i := range many {
		many[i] = shipment(func(m map[string]any) { m["waybill_no"] = fmt.Sprint("WB", i) })
	}
	return []badRequest{
		// Enterprises.
		{"bad credit code check character", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["credit_code"] = ownCode[:17] + flip(ownCode[17]) })), []string{key},
			422, "credit_code", "must be a valid unified social credit code: check character mismatch (expected " + ownCode[17:] + ")"},
		{"lower-case credit code", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["credit_code"] = strings.ToLower(ownCode) })), []string{key},
			422, "credit_code", "must be upper case"},
		{"revenue with 3 decimals", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["revenue"] = "1200.005" })), []string{key},
			422, "revenue", "must have at most 2 decimal places"},
		{"negative assets", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["assets"] = "-1.00" })), []string{key},
			422, "assets", "must not be negative"},
		{"bad region", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["region"] = "99000" })), []string{key},
			422, "region", "must be exactly 6 digits"},
		{"unknown industry", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["industry"] = "mining" })), []string{key},
			422, "industry", "must be one of agriculture, industry"},
		{"account number with letters", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { sub(m, "bank_account")["account_number"] = "GB29NWBK6016" })), []string{key},
			422, "bank_account.account_number", "digits only"},
		{"missing employees", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { delete(m, "employees") })), []string{key},
			422, "employees", "is required"},
		{"employees as a string", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["employees"] = "50" })), []string{key},
			400, "employees", "must be a whole number"},
		{"employees with a fraction", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["employees"] = 50.5 })), []string{key},
			400, "employees", "must be a whole number"},
		{"revenue as a number", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["revenue"] = 1200 })), []string{key},
			400, "revenue", "must be a string"},
		{"unknown field", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["size_class"] = "micro" })), []string{key},
			400, "size_class", "is not a known field"},
		{"unknown nested field", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { sub(m, "bank_account")["iban"] = "x" })), []string{key},
			400, "bank_account.iban", "is not a known field"},
		{"field name in other case", "POST", "/v1/enterprises", "admin",
			js(enterpriseBody(func(m map[string]any) { m["NAME"] = m["name"]; delete(m, "name") })), []string{key},
			400, "NAME", "is not a known field"},
		{"empty body", "POST", "/v1/enterprises", "admin", "", []string{key}, 400, "body", "is required"},
		{"not JSON", "POST", "/v1/enterprises", "admin", `{"credit_code": `, []string{key}, 400, "body", "is not valid JSON"},
		{"trailing data", "POST", "/v1/enterprises", "admin", js(enterpriseBody(nil)) + ` {}`, []string{key}, 400, "body", "nothing after it"},
		{"a list instead of an object", "POST", "/v1/enterprises", "admin", `[1, 2]`, []string{key}, 400, "body", "must be an object"},
		{"missing Idempotency-Key", "POST", "/v1/enterprises", "admin", js(enterpriseBody(nil)), nil, 422, "Idempotency-Key", "is required"},
		{"overlong Idempotency-Key", "POST", "/v1/enterprises", "admin", js(enterpriseBody(nil)),
			[]string{"Idempotency-Key: " + strings.Repeat("k", 256)}, 422, "Idempotency-Key", "at most 255"},
		{"applicant registers another enterprise", "POST", "/v1/enterprises", "applicant",
			js(enterpriseBody(func(m map[string]any) { m["credit_code"] = otherCode })), []string{key}, 403, "", ""},
		{"finance registers an enterprise", "POST", "/v1/enterprises", "officer", js(enterpriseBody(nil)), []string{key}, 403, "", ""},
		{"auditor writes", "POST", "/v1/enterprises", "auditor", js(enterpriseBody(nil)), []string{key}, 403, "", ""},
		{"applicant reads another enterprise", "GET", "/v1/enterprises/" + otherCode, "applicant", "", nil, 404, "", ""},
		{"bank account number too short", "PUT", "/v1/enterprises/" + ownCode + "/bank-account", "applicant",
			`{"bank_name": "ABC", "account_name": "Co", "account_number": "123"}`, nil, 422, "account_number", "at least 8 characters"},
		{"applicant changes another's bank account", "PUT", "/v1/enterprises/" + otherCode + "/bank-account", "applicant",
			`{"bank_name": "ABC", "account_name": "Co", "account_number": "12345678"}`, nil, 404, "", ""},
		{"body over 1 MiB", "POST", "/v1/enterprises", "admin", `{"name": "` + strings.Repeat("x", maxBody) + `"}`, []string{key}, 413, "body", "1 MiB"},

		// Programs.
		{"applicant creates a program", "POST", "/v1/programs", "applicant", js(programBody(nil)), []string{key}, 403, "", ""},
		// Every kind is supported now; an interest program refuses another kind's parameters.
		{"interest program with freight params", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["kind"] = "interest" })), []string{key}, 400, "params.product_categories", "is not a known field"},
		{"unknown program kind", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["kind"] = "lottery" })), []string{key}, 422, "kind", "must be one of voucher"},
		{"impossible date", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["period_start"] = "2024-02-30" })), []string{key}, 422, "period_start", `must be a date such as "2024-03-01"`},
		{"period ends before it starts", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["period_end"] = "2023-12-31" })), []string{key}, 422, "period_end", "must be after period_start"},
		{"budget with 3 decimals", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["budget"] = "10.123" })), []string{key}, 422, "budget", "at most 2 decimal places"},
		{"rate above 1", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { sub(m, "params")["rate"] = "1.5" })), []string{key}, 422, "params.rate", "between 0 and 1"},
		{"rate of zero", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { sub(m, "params")["rate"] = "0" })), []string{key}, 422, "params.rate", "greater than 0"},
		{"unknown excluded mode", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { sub(m, "params")["excluded_modes"] = []any{"ship"} })), []string{key}, 422, "params.excluded_modes[0]", "must be one of road"},
		{"no product categories", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { delete(m, "params") })), []string{key}, 422, "params.product_categories", "at least one"},
		{"unknown params field", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { sub(m, "params")["bonus"] = "1" })), []string{key}, 400, "params.bonus", "is not a known field"},
		{"params of the wrong type", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["params"] = "rate=0.5" })), []string{key}, 400, "params", "must be an object"},
		{"deadline of zero days", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["approval"] = map[string]any{"deadline_days": 0} })), []string{key}, 422, "approval.deadline_days", "must be at least 1"},
		{"budget raise of zero", "POST", "/v1/programs/" + fakeProgramID + "/budget", "admin", `{"amount": "0"}`, []string{key}, 422, "amount", "greater than 0"},
		{"applicant raises a budget", "POST", "/v1/programs/" + fakeProgramID + "/budget", "applicant", `{"amount": "10.00"}`, []string{key}, 403, "", ""},

		// Security findings: text and bounds refused at the edge with a field error, never a 500.
		{"NUL in a decision note", "POST", "/v1/claims/" + fakeClaimID + "/request-info", "officer", `{"note": "a\u0000b"}`, nil, 422, "note", "NUL"},
		{"bell in a decision note", "POST", "/v1/claims/" + fakeClaimID + "/reject", "officer", `{"note": "ding\u0007"}`, nil, 422, "note", "control characters"},
		{"right-to-left override in a note", "POST", "/v1/claims/" + fakeClaimID + "/reject", "officer", `{"note": "\u202e05.0001"}`, nil, 422, "note", "invisible"},
		{"invalid UTF-8 in a path id", "GET", "/v1/claims/%ff", "officer", "", nil, 400, "path", "UTF-8"},
		{"NUL in a path id", "GET", "/v1/claims/%00", "officer", "", nil, 400, "path", "NUL"},
		{"NUL in a query parameter", "GET", "/v1/claims?status=%00", "officer", "", nil, 400, "status", "NUL"},
		{"invalid UTF-8 in the cursor", "GET", "/v1/claims?cursor=%ff%fe", "officer", "", nil, 400, "cursor", "UTF-8"},
		{"period starting in year 0", "POST", "/v1/programs", "admin",
			js(programBody(func(m map[string]any) { m["period_start"] = "0000-01-01" })), []string{key}, 422, "period_start", "between 1900-01-01"},
		{"budget raised past what can be stored", "POST", "/v1/programs/" + fakeProgramID + "/budget", "admin",
			`{"amount": "999999999999999999.99"}`, []string{key}, 422, "amount", "largest amount"},
		{"lines whose sum cannot be stored", "POST", "/v1/claims/dry-run", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["amount"] = "999999999999999999.99" }),
				shipment(func(m map[string]any) {
					m["amount"] = "999999999999999999.99"
					m["waybill_no"] = "WB2"
					m["invoice_no"] = "INV2"
				}))),
			nil, 422, "freight", "too large"},

		// Claims.
		{"shipment amount with 3 decimals", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["amount"] = "100.001" }))), []string{key},
			422, "freight.shipments[0].amount", "must have at most 2 decimal places"},
		{"negative shipment amount", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(nil), shipment(func(m map[string]any) { m["amount"] = "-5.00" }))), []string{key},
			422, "freight.shipments[1].amount", "must be greater than 0"},
		{"bad ship date", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["ship_date"] = "01/03/2024" }))), []string{key},
			422, "freight.shipments[0].ship_date", "must be a date"},
		{"bad destination region", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["destination_region"] = "990000" }))), []string{key},
			422, "freight.shipments[0].destination_region", "province code"},
		{"unknown mode", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["mode"] = "ship" }))), []string{key},
			422, "freight.shipments[0].mode", "must be one of road, rail, air, multimodal"},
		{"blank waybill", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["waybill_no"] = "   " }))), []string{key},
			422, "freight.shipments[0].waybill_no", "must not be blank"},
		{"amount as a number", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["amount"] = 100.5 }))), []string{key},
			400, "freight.shipments[0].amount", "must be a string"},
		{"unknown shipment field", "POST", "/v1/claims", "applicant",
			js(claimBody(shipment(func(m map[string]any) { m["weight"] = "5t" }))), []string{key},
			400, "freight.shipments[0].weight", "is not a known field"},
		{"no shipments", "POST", "/v1/claims", "applicant", js(claimBody()), []string{key},
			422, "freight.shipments", "must list at least 1 item"},
		{"501 shipments", "POST", "/v1/claims", "applicant", js(claimBody(many...)), []string{key},
			422, "freight.shipments", "must list at most 500 items"},
		{"unknown program", "POST", "/v1/claims", "applicant",
			js(map[string]any{"program_id": "prg_nope", "freight": map[string]any{"shipments": []any{shipment(nil)}}}), []string{key},
			422, "program_id", "no program has this id"},
		{"no kind object", "POST", "/v1/claims", "applicant", js(map[string]any{"program_id": fakeProgramID}), []string{key},
			422, "freight", "is required"},
		{"admin files a claim", "POST", "/v1/claims", "admin", js(claimBody(shipment(nil))), []string{key}, 403, "", ""},
		{"officer files a claim", "POST", "/v1/claims", "officer", js(claimBody(shipment(nil))), []string{key}, 403, "", ""},

		// Listing and reading.
		{"unknown status filter", "GET", "/v1/claims?status=lost", "officer", "", nil, 422, "status", "must be one of submitted"},
		{"limit of zero", "GET", "/v1/claims?limit=0", "officer", "", nil, 422, "limit", "from 1 to 200"},
		{"limit not a number", "GET", "/v1/claims?limit=ten", "officer", "", nil, 422, "limit", "from 1 to 200"},
		{"escalated not a boolean", "GET", "/v1/claims?escalated=maybe", "officer", "", nil, 422, "escalated", "true or false"},
		{"unknown query parameter", "GET", "/v1/claims?order=amount", "officer", "", nil, 422, "order", "not a known query parameter"},
		{"unknown sort", "GET", "/v1/claims?sort=size", "officer", "", nil, 422, "sort", "must be one of"},
		{"amount range not an amount", "GET", "/v1/claims?min_amount=23%2C456.78", "officer", "", nil, 422, "min_amount", "decimal amount"},
		{"amount bound in exponent form", "GET", "/v1/claims?min_amount=1e40", "officer", "", nil, 422, "min_amount", "decimal amount"},
		{"amount bound past the column", "GET", "/v1/claims?max_amount=99999999999999999999999.99", "officer", "", nil, 422, "max_amount", "18 digits"},
		{"amount bound with three places", "GET", "/v1/claims?max_amount=1.005", "officer", "", nil, 422, "max_amount", "2 decimal places"},
		{"search page zero", "GET", "/v1/claims?page=0", "officer", "", nil, 422, "page", "whole number"},
		{"region not digits", "GET", "/v1/claims?region=Tibet", "officer", "", nil, 422, "region", "digits"},
		{"bad filing date", "GET", "/v1/claims?filed_from=2026-13-01", "officer", "", nil, 422, "filed_from", "a date"},
		{"cursor with a search", "GET", "/v1/claims?cursor=abc&q=x", "officer", "", nil, 422, "cursor", "cannot be combined"},
		{"bad credit code filter", "GET", "/v1/claims?credit_code=123", "officer", "", nil, 422, "credit_code", "18 characters"},
		{"someone else's claim", "GET", "/v1/claims/clm_unknown", "applicant", "", nil, 404, "", ""},
		{"verify audit as applicant", "GET", "/v1/audit/verify", "applicant", "", nil, 403, "", ""},

		// Decisions.
		{"reject without a reason", "POST", "/v1/claims/" + fakeClaimID + "/reject", "officer", `{}`, nil, 422, "note", "is required"},
		{"request-info with a blank question", "POST", "/v1/claims/" + fakeClaimID + "/request-info", "officer", `{"note": "  "}`, nil, 422, "note", "is required"},
		{"respond without a body", "POST", "/v1/claims/" + fakeClaimID + "/respond", "applicant", ``, nil, 422, "note", "is required: give the answer"},
		{"note too long", "POST", "/v1/claims/" + fakeClaimID + "/approve", "officer", js(map[string]string{"note": strings.Repeat("n", 2001)}), nil, 422, "note", "at most 2000"},
		{"note as a number", "POST", "/v1/claims/" + fakeClaimID + "/approve", "officer", `{"note": 5}`, nil, 400, "note", "must be a string"},
		{"applicant approves", "POST", "/v1/claims/" + fakeClaimID + "/approve", "applicant", `{}`, nil, 403, "", ""},
		{"admin approves", "POST", "/v1/claims/" + fakeClaimID + "/approve", "admin", `{}`, nil, 403, "", ""},
		{"officer withdraws", "POST", "/v1/claims/" + fakeClaimID + "/withdraw", "officer", ``, nil, 403, "", ""},
		{"auditor approves", "POST", "/v1/claims/" + fakeClaimID + "/approve", "auditor", `{}`, nil, 403, "", ""},
		{"approve a claim that does not exist", "POST", "/v1/claims/clm_unknown/approve", "officer", `{}`, nil, 404, "", ""},
	}
}

// flip returns another character of the credit-code alphabet than c.
func flip(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// TestMalformedRequests sends each broken request through the whole handler: it must get
// its 4xx with the right field error, store nothing, and never reach the panic handler.
func TestMalformedRequests(t *testing.T) {
	for _, tc := range badRequests() {
		t.Run(tc.name, func(t *testing.T) {
			api := newTestAPI(t)
			rec := api.do(tc.method, tc.path, tc.token, tc.body, tc.headers...)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			doc := assertProblem(t, rec, problemSlugs[tc.status])
			if tc.field != "" {
				fields := fieldsOf(t, doc)
				require.Contains(t, fields, tc.field, rec.Body.String())
				assert.Contains(t, fields[tc.field], tc.message)
			}
			assert.Empty(t, api.store.Writes(), "nothing may be stored")
			assert.NotContains(t, api.log.String(), `"msg":"panic"`)
			assert.NotContains(t, api.log.String(), `"level":"ERROR"`)
		})
	}
}

// TestFieldErrorsAreSorted shows that all problems of a body come back at once, ordered.
func TestFieldErrorsAreSorted(t *testing.T) {
	body := js(enterpriseBody(func(m map[string]any) {
		m["region"], m["revenue"], m["credit_code"] = "x", "1.001", "bad"
	}))
	rec := newTestAPI(t).do("POST", "/v1/enterprises", "admin", body, key)
	require.Equal(t, 422, rec.Code)
	var doc struct{ Errors []fieldError }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	var names []string
	for _, e := range doc.Errors {
		names = append(names, e.Field)
	}
	assert.Equal(t, []string{"credit_code", "region", "revenue"}, names)
}

func fieldsOf(t *testing.T, doc map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	list, _ := doc["errors"].([]any)
	for _, item := range list {
		e := item.(map[string]any)
		out[e["field"].(string)] = e["message"].(string)
	}
	return out
}
