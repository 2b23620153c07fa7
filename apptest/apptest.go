// Package apptest boots the whole of subsidyflow inside a test: a fresh PostgreSQL database,
// an embedded (in-memory) Temporal server, the worker, the simulated bank and the HTTP API on
// an httptest server. End-to-end tests talk to it over HTTP like any client.
package apptest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/app"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/devtemporal"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// Env is a running subsidyflow.
type Env struct {
	URL         string
	DatabaseURL string // the schema owner's URL; the app and the bank log in as their own roles
	Parts       *app.Parts
	Temporal    client.Client
	Tokens      map[string]string // by name: admin, officer, officer2, supervisor, auditor, applicant, other
	CreditCode  string            // the enterprise the "applicant" token acts for
	OtherCode   string            // the enterprise the "other" token acts for
	// TemporalHostPort is the embedded frontend, for tests that read raw histories with a
	// client of their own (one without the codec).
	TemporalHostPort string
}

// Options change how Start boots subsidyflow.
type Options struct {
	// Logger receives every line of the app and the SDK (default: warnings to the test log
	// with -v, nothing otherwise).
	Logger *slog.Logger
}

// Start boots subsidyflow for t and stops it when t ends.
func Start(t testing.TB) *Env { return StartWith(t, Options{}) }

// StartWith boots subsidyflow for t with opts. Its clients and worker encrypt payloads with
// a key of this process (Parts.Codec), as every process of subsidyflow does.
func StartWith(t testing.TB, opts Options) *Env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
	}
	seed := make([]byte, ed25519.SeedSize)
	_, _ = rand.Read(seed)
	cfg, err := app.Config{SettleDelay: 300 * time.Millisecond, UIURL: "http://localhost:8233", Namespace: "default",
		AuditSigningKey: base64.StdEncoding.EncodeToString(seed), // random per test
		CheckpointFile:  filepath.Join(t.TempDir(), "audit-checkpoints.jsonl"),
	}.WithDatabase(pgtest.NewDatabase(t, "app"))
	if err != nil {
		t.Fatalf("apptest: config: %v", err)
	}
	if err := app.Migrate(ctx, cfg); err != nil {
		t.Fatalf("apptest: migrate: %v", err)
	}
	parts, err := app.Open(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("apptest: open: %v", err)
	}
	// Checkpoints are signed when a test asks (POST /v1/audit/checkpoints), not on a timer.
	if err := parts.KeepCheckpoints(cfg, false); err != nil {
		t.Fatalf("apptest: checkpoints: %v", err)
	}
	srv, err := devtemporal.Start(ctx, devtemporal.Config{})
	if err != nil {
		t.Fatalf("apptest: temporal: %v", err)
	}
	c, err := srv.NewClient(ctx, parts.ClientOptions())
	if err != nil {
		t.Fatalf("apptest: client: %v", err)
	}
	w, err := parts.StartWorker(c)
	if err != nil {
		t.Fatalf("apptest: worker: %v", err)
	}
	go func() { _ = parts.Bank.Run(ctx) }()
	hs := httptest.NewServer(parts.Handler(c))
	t.Cleanup(func() {
		hs.Close()
		w.Stop()
		c.Close()
		_ = srv.Stop()
		cancel()
		parts.Close()
	})
	e := &Env{URL: hs.URL, DatabaseURL: cfg.DatabaseURL, Parts: parts, Temporal: c, Tokens: map[string]string{},
		TemporalHostPort: srv.HostPort()}
	e.CreditCode = MustCode("91540100MA6T00001")
	e.OtherCode = MustCode("91540100MA6T00002")
	e.token(t, "admin", access.Principal{Subject: "admin-1", Role: access.Admin})
	e.token(t, "officer", access.Principal{Subject: "officer-li", Role: access.FinanceOfficer})
	e.token(t, "officer2", access.Principal{Subject: "officer-wang", Role: access.FinanceOfficer})
	e.token(t, "supervisor", access.Principal{Subject: "supervisor-zhao", Role: access.FinanceSupervisor})
	e.token(t, "auditor", access.Principal{Subject: "auditor-sun", Role: access.Auditor})
	e.token(t, "applicant", access.Principal{Subject: "ent-1", Role: access.Applicant, CreditCode: e.CreditCode})
	e.token(t, "other", access.Principal{Subject: "ent-2", Role: access.Applicant, CreditCode: e.OtherCode})
	return e
}

func (e *Env) token(t testing.TB, name string, p access.Principal) {
	tok, err := e.Parts.Store.CreateToken(context.Background(), p)
	if err != nil {
		t.Fatalf("apptest: token: %v", err)
	}
	e.Tokens[name] = tok
}

// MustCode completes the first 17 characters of a credit code with its check character.
func MustCode(first17 string) string {
	c, err := creditcode.Complete(first17)
	if err != nil {
		panic(err)
	}
	return c
}

// Response is an HTTP answer with its body decoded when it is JSON.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// Do sends a request as the named token ("" for none). body is marshalled unless it is a
// string or []byte, which are sent as they are. headers are name, value pairs.
func (e *Env) Do(t testing.TB, method, path, who string, body any, headers ...string) *Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewBuffer(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("apptest: marshal: %v", err)
		}
		rd = bytes.NewBuffer(raw)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatalf("apptest: request: %v", err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.Tokens[who])
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	_ = json.Unmarshal(raw, &r.JSON)
	return r
}

// WaitStatus polls a claim until it reaches status, failing t after timeout.
func (e *Env) WaitStatus(t testing.TB, claimID, status string, timeout time.Duration) *Response {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last *Response
	for time.Now().Before(deadline) {
		last = e.Do(t, "GET", "/v1/claims/"+claimID, "auditor", nil)
		if last.JSON["status"] == status {
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("apptest: claim %s did not reach %s within %s; last: %d %s", claimID, status, timeout, last.Status, last.Body)
	return nil
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
