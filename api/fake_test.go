package api

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

// The principals of the unit tests, by token.
var (
	ownCode   = mustCode("91540000MA6T12345")
	otherCode = mustCode("91630000MA7T54321")
	tokens    = map[string]access.Principal{
		"admin":     {Subject: "ada", Role: access.Admin},
		"applicant": {Subject: "app", Role: access.Applicant, CreditCode: ownCode},
		"twin":      {Subject: "app", Role: access.Applicant, CreditCode: otherCode}, // same subject, other enterprise
		"officer":   {Subject: "olga", Role: access.FinanceOfficer},
		"auditor":   {Subject: "aud", Role: access.Auditor},
	}
)

func mustCode(first17 string) string {
	c, err := creditcode.Complete(first17)
	if err != nil {
		panic(err)
	}
	return c
}

// fakeStore answers the reads a request needs before it would write, keeps idempotency
// keys in memory, and records every write so tests can prove nothing was stored.
type fakeStore struct {
	mu     sync.Mutex
	writes []string
	keys   map[string]*fakeKey
}

type fakeKey struct {
	hash string
	resp *store.StoredResponse
	// dead: the request that took the key died before answering, having stored resource.
	dead     bool
	resource string
}

func newFakeStore() *fakeStore { return &fakeStore{keys: map[string]*fakeKey{}} }

func (f *fakeStore) wrote(what string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes = append(f.writes, what)
}

func (f *fakeStore) Writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}

func (f *fakeStore) Ping(context.Context) error { return nil }

func (f *fakeStore) Authenticate(_ context.Context, token string) (access.Principal, error) {
	if p, ok := tokens[token]; ok {
		return p, nil
	}
	return access.Principal{}, apperr.New(apperr.Unauthenticated, "unknown or revoked token")
}

func (f *fakeStore) CreateEnterprise(_ context.Context, e enterprise.Enterprise, _ access.Principal) (enterprise.Enterprise, error) {
	f.wrote("CreateEnterprise")
	e.CreatedAt, e.UpdatedAt = time.Unix(0, 0), time.Unix(0, 0)
	return e, nil
}

func (f *fakeStore) GetEnterprise(_ context.Context, code string) (enterprise.Enterprise, error) {
	if code == ownCode {
		return enterprise.Enterprise{CreditCode: code, Industry: "industry", Region: "540100"}, nil
	}
	return enterprise.Enterprise{}, apperr.New(apperr.NotFound, "enterprise %q not found", code)
}

func (f *fakeStore) UpdateBankAccount(context.Context, string, enterprise.BankAccount, access.Principal) (enterprise.Enterprise, error) {
	f.wrote("UpdateBankAccount")
	return enterprise.Enterprise{}, nil
}

func (f *fakeStore) VerifyEnterprise(context.Context, string, time.Time, string, access.Principal) (enterprise.Enterprise, error) {
	f.wrote("VerifyEnterprise")
	return enterprise.Enterprise{}, nil
}

func (f *fakeStore) AccountRef(number string) pii.Account { return pii.NewHasher(nil).Account(number) }

func (f *fakeStore) CreateProgram(_ context.Context, p program.Program, _ access.Principal) (program.Program, error) {
	f.wrote("CreateProgram")
	p.ID = "prg_new"
	return p, nil
}

// The fake knows one freight program.
const fakeProgramID = "prg_freight"

func (f *fakeStore) GetProgram(_ context.Context, id string) (program.Program, error) {
	if id == fakeProgramID {
		return program.Program{ID: id, Kind: program.Freight, Region: "540000", Budget: decimal.RequireFromString("1000.00"),
			Params: []byte(`{"rate": "0.50", "yearly_cap": "500000.00", "product_categories": ["barley"]}`)}, nil
	}
	return program.Program{}, apperr.New(apperr.NotFound, "program %q not found", id)
}

func (f *fakeStore) ListPrograms(context.Context) ([]program.Program, error) { return nil, nil }

func (f *fakeStore) RaiseBudget(context.Context, string, decimal.Decimal, access.Principal) (program.Program, []string, error) {
	f.wrote("RaiseBudget")
	return program.Program{}, nil, nil
}

func (f *fakeStore) UpdateProgramParams(context.Context, string, []byte, access.Principal) (program.Program, error) {
	f.wrote("UpdateProgramParams")
	return program.Program{}, nil
}

func (f *fakeStore) InsertClaim(context.Context, claim.Claim, store.Meta) error {
	f.wrote("InsertClaim")
	return nil
}

func (f *fakeStore) DeleteClaim(context.Context, string, store.Meta) error {
	f.wrote("DeleteClaim")
	return nil
}

// The fake knows one claim, filed by ownCode.
const fakeClaimID = "clm_own"

func (f *fakeStore) GetClaim(_ context.Context, id string) (claim.Claim, error) {
	if id == fakeClaimID {
		return claim.Claim{ID: id, ProgramID: fakeProgramID, Kind: program.Freight, CreditCode: ownCode,
			Status: "pending_approval"}, nil
	}
	return claim.Claim{}, apperr.New(apperr.NotFound, "claim %q not found", id)
}

func (f *fakeStore) ListClaims(context.Context, store.ClaimFilter) ([]claim.Claim, string, error) {
	return nil, "", nil
}

func (f *fakeStore) SearchClaims(_ context.Context, q store.ClaimSearch) (store.ClaimPage, error) {
	return store.ClaimPage{Page: max(q.Page, 1), Pages: 1}, nil
}

func (f *fakeStore) ClaimTrail(context.Context, string) ([]audit.Entry, error) { return nil, nil }
func (f *fakeStore) SearchAudit(context.Context, store.AuditFilter) ([]audit.Entry, string, error) {
	return nil, "", nil
}
func (f *fakeStore) AuditHead(context.Context) (audit.Anchor, error) { return audit.Anchor{}, nil }
func (f *fakeStore) VerifyAuditRange(context.Context, int64, int64) (store.AuditReport, error) {
	return store.AuditReport{OK: true}, nil
}

func (f *fakeStore) VerifyAudit(context.Context) (store.AuditReport, error) {
	return store.AuditReport{OK: true, Rows: 3}, nil
}

func (f *fakeStore) BeginIdempotent(_ context.Context, scope, key, hash string) (*store.StoredResponse, *store.KeyHold, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keys[scope+"\x00"+key]
	switch {
	case !ok:
		f.keys[scope+"\x00"+key] = &fakeKey{hash: hash}
		return nil, &store.KeyHold{}, nil
	case k.hash != hash:
		return nil, nil, apperr.New(apperr.Conflict, "Idempotency-Key reused with a different request")
	case k.resp == nil && k.dead:
		k.dead = false
		return nil, &store.KeyHold{Resource: k.resource}, nil
	case k.resp == nil:
		return nil, nil, apperr.New(apperr.Conflict, "a request with this Idempotency-Key is still in progress")
	}
	return k.resp, nil, nil
}

func (f *fakeStore) FinishIdempotent(_ context.Context, scope, key string, status int, body []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[scope+"\x00"+key].resp = &store.StoredResponse{Status: status, Body: body}
	return nil
}

func (f *fakeStore) AbortIdempotent(_ context.Context, scope, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.keys[scope+"\x00"+key]; ok && k.resp == nil {
		delete(f.keys, scope+"\x00"+key)
	}
	return nil
}

// testAPI is the API over a fake store and no Temporal, with its log captured.
type testAPI struct {
	t     *testing.T
	s     *server
	h     http.Handler
	store *fakeStore
	log   *syncBuffer
}

func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	buf := &syncBuffer{}
	st := newFakeStore()
	logger := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newServer(Deps{Logger: logger, Now: func() time.Time { return time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC) }}, st)
	return &testAPI{t: t, s: s, h: s.handler(), store: st, log: buf}
}

func (a *testAPI) serverForTest() *server { return a.s }

// do sends a request with the given token ("" for none) and headers as "Name: value".
func (a *testAPI) do(method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
