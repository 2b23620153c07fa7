package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/logging"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

const clearAccount = "6222000012345678"

// syncBuffer collects log lines written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		m := map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		out = append(out, m)
	}
	return out
}

// paidClaim files a freight claim for an enterprise with clearAccount and has it paid.
func paidClaim(t *testing.T, e *apptest.Env) string {
	t.Helper()
	prg := e.FreightProgram(t, "100000.00")
	e.Enterprise(t, e.CreditCode, clearAccount)
	r := e.FileFreight(t, "applicant", prg, apptest.Shipment(1, "300.00"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "officer", id, "approve", "", 200)
	e.WaitStatus(t, id, "paid", wait)
	return id
}

// rawHistory reads a claim's history from the server with a client that has no codec:
// what the server's database and anyone at its frontend see.
func rawHistory(t *testing.T, e *apptest.Env, claimID string) *historypb.History {
	t.Helper()
	raw, err := client.Dial(client.Options{HostPort: e.TemporalHostPort, Namespace: "default"})
	require.NoError(t, err)
	defer raw.Close()
	it := raw.GetWorkflowHistory(context.Background(), contract.WorkflowID(claimID), "", false,
		enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	return h
}

// The server stores no bank account number in clear; with the codec the same history
// decodes and shows it, so the search above would have found it.
func TestHistoriesHoldNoAccountNumberInClear(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := paidClaim(t, e)

	h := rawHistory(t, e, id)
	stored, err := proto.Marshal(h)
	require.NoError(t, err)
	require.NotContains(t, string(stored), clearAccount, "account number in clear in the server's history")
	require.Contains(t, string(stored), "binary/encrypted")
	require.Contains(t, string(stored), "encryption-key-id")

	require.NoError(t, proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{
		Visitor: func(_ *proxy.VisitPayloadsContext, p []*commonpb.Payload) ([]*commonpb.Payload, error) {
			return e.Parts.Codec.Decode(p)
		},
	}))
	decoded, err := proto.Marshal(h)
	require.NoError(t, err)
	require.Contains(t, string(decoded), clearAccount, "the codec decodes the history")
}

// firstInput is the encrypted input of the claim's workflow, as the UI would send it to
// the codec endpoint.
func firstInput(t *testing.T, e *apptest.Env, claimID string) []byte {
	t.Helper()
	h := rawHistory(t, e, claimID)
	in := h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	require.NotEmpty(t, in.GetPayloads())
	body, err := protojson.Marshal(in)
	require.NoError(t, err)
	return body
}

func codecCall(t *testing.T, e *apptest.Env, path string, body []byte, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

func TestCodecEndpointDecodesForFinanceAndAuditorsOnly(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := paidClaim(t, e)
	body := firstInput(t, e, id)
	bearer := func(who string) []string { return []string{"Authorization", "Bearer " + e.Tokens[who]} }

	for who, want := range map[string]int{"applicant": 403, "admin": 403, "": 401} {
		var h []string
		if who != "" {
			h = bearer(who)
		}
		resp, out := codecCall(t, e, "/v1/codec/decode", body, h...)
		require.Equal(t, want, resp.StatusCode, "%s: %s", who, out)
		require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		require.NotContains(t, string(out), e.CreditCode)
	}

	resp, out := codecCall(t, e, "/v1/codec/decode", body, bearer("auditor")...)
	require.Equal(t, 200, resp.StatusCode, "%s", out)
	var decoded commonpb.Payloads
	require.NoError(t, protojson.Unmarshal(out, &decoded))
	require.Equal(t, "json/plain", string(decoded.Payloads[0].Metadata["encoding"]))
	require.Contains(t, string(decoded.Payloads[0].Data), id)

	// From the Temporal UI: the browser sends the pages' session cookie and the UI's origin.
	resp, out = codecCall(t, e, "/ui/codec/decode", body, "Cookie", "sf_token="+e.Tokens["officer"],
		"Origin", "http://localhost:8233")
	require.Equal(t, 200, resp.StatusCode, "%s", out)
	require.Equal(t, "http://localhost:8233", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	resp, _ = codecCall(t, e, "/ui/codec/decode", body, "Cookie", "sf_token="+e.Tokens["applicant"])
	require.Equal(t, 403, resp.StatusCode)

	// The preflight needs no credentials; another origin gets no CORS grant.
	req, _ := http.NewRequest(http.MethodOptions, e.URL+"/ui/codec/decode", nil)
	req.Header.Set("Origin", "http://localhost:8233")
	req.Header.Set("Access-Control-Request-Method", "POST")
	pre, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	pre.Body.Close()
	require.Equal(t, 204, pre.StatusCode)
	require.Contains(t, pre.Header.Get("Access-Control-Allow-Headers"), "X-Namespace")
	resp, _ = codecCall(t, e, "/ui/codec/decode", body, append(bearer("auditor"), "Origin", "http://evil.example")...)
	require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))

	// Bad bodies are field errors, not 500s.
	for _, bad := range []string{"", "{", `{"payloads": "x"}`, `{"payloads": [{"metadata": {"encoding": "YmluYXJ5L2VuY3J5cHRlZA==", "encryption-key-id": "bm8="}, "data": "AA=="}]}`} {
		resp, out := codecCall(t, e, "/v1/codec/decode", []byte(bad), bearer("auditor")...)
		require.Equal(t, 422, resp.StatusCode, "%q: %s", bad, out)
		require.Contains(t, string(out), `"field":"payloads"`)
	}
	resp, _ = codecCall(t, e, "/v1/codec/rotate", body, bearer("auditor")...)
	require.Equal(t, 404, resp.StatusCode)
}

func TestTraceLinksEachRunToItsHistoryInTheUI(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	id := paidClaim(t, e)
	claim := e.Do(t, "GET", "/v1/claims/"+id, "auditor", nil)
	require.Equal(t, 200, claim.Status)

	r := e.Do(t, "GET", "/v1/claims/"+id+"/trace", "auditor", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var trace struct {
		Claim struct {
			ID string `json:"id"`
		} `json:"claim"`
		Executions []struct {
			WorkflowID string `json:"workflow_id"`
			RunID      string `json:"run_id"`
			HistoryURL string `json:"history_url"`
		} `json:"executions"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &trace))
	require.Len(t, trace.Executions, 1, "one run from filing to payment: %s", r.Body)
	ex := trace.Executions[0]
	require.Equal(t, "claim/"+id, ex.WorkflowID)
	require.NotEmpty(t, ex.RunID)
	require.Equal(t, "http://localhost:8233/namespaces/default/workflows/claim%2F"+id+"/"+ex.RunID+"/history", ex.HistoryURL)

	// The run is the one the server ran.
	desc, err := e.Temporal.DescribeWorkflowExecution(context.Background(), "claim/"+id, "")
	require.NoError(t, err)
	require.Equal(t, desc.GetWorkflowExecutionInfo().GetExecution().GetRunId(), ex.RunID)
}

// A paid claim moves the product's metrics, and the SDK's own are there beside them.
func TestMetricsMoveWhenAClaimIsPaid(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	metricsSrv := httptest.NewServer(e.Parts.Metrics.Handler())
	t.Cleanup(metricsSrv.Close)
	before := scrape(t, metricsSrv.URL)
	require.Zero(t, sample(before, `subsidyflow_bank_attempts_total{operation="pay",outcome="accepted"}`))

	id := paidClaim(t, e)
	prg := e.Do(t, "GET", "/v1/claims/"+id, "auditor", nil).JSON["program_id"].(string)
	after := scrape(t, metricsSrv.URL)

	require.Equal(t, 1.0, sample(after, `subsidyflow_claims{kind="freight",program="`+prg+`",status="paid"}`))
	require.Equal(t, 150.0, sample(after, `subsidyflow_claims_amount_yuan{kind="freight",program="`+prg+`",status="paid"}`))
	require.Equal(t, 99850.0, sample(after, `subsidyflow_budget_yuan{account="available",kind="freight",program="`+prg+`"}`))
	require.Equal(t, 150.0, sample(after, `subsidyflow_budget_yuan{account="committed",kind="freight",program="`+prg+`"}`))
	require.Equal(t, 1.0, sample(after, `subsidyflow_bank_attempts_total{operation="pay",outcome="accepted"}`))
	require.Equal(t, 1.0, sample(after, `subsidyflow_bank_attempts_total{operation="check",outcome="settled"}`))
	require.Equal(t, 1.0, sample(after, `subsidyflow_payout_amount_yuan_count{kind="freight"}`))
	require.Equal(t, 150.0, sample(after, `subsidyflow_payout_amount_yuan_sum{kind="freight"}`))
	require.Equal(t, 1.0, sample(after, `subsidyflow_approval_latency_seconds_count{kind="freight"}`))
	require.Greater(t, sample(after, "subsidyflow_audit_rows"), sample(before, "subsidyflow_audit_rows"))
	require.Regexp(t, regexp.MustCompile(`(?m)^temporal_\w+`), after, "the SDK's metrics")
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// sample is the value of one series in a scrape (0 when absent).
func sample(text, series string) float64 {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}

// Every line about the claim names it, its workflow and its run; the bank's "not settled
// yet" answers are expected and stay below ERROR.
func TestLogLinesAboutAClaimCarryItsIDs(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	e := apptest.StartWith(t, apptest.Options{Logger: logging.New(&buf, logging.JSON, slog.LevelDebug)})
	id := paidClaim(t, e)

	var aboutClaim, pending int
	for _, l := range buf.lines(t) {
		if strings.Contains(l["msg"].(string), "not yet settled") || strings.Contains(asString(l["error"]), "not yet settled") {
			pending++
			require.Equal(t, "DEBUG", l["level"], "%v", l)
		}
		if l["workflow_id"] != "claim/"+id {
			continue
		}
		aboutClaim++
		require.Equal(t, id, l["claim_id"], "%v", l)
		require.NotEmpty(t, l["run_id"], "%v", l)
		require.NotEqual(t, "ERROR", l["level"], "%v", l)
	}
	require.NotZero(t, aboutClaim, "the workflow and its activities log about the claim")
	t.Logf("%d lines about the claim, %d 'not settled yet' polls", aboutClaim, pending)
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
