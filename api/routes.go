// Package api is subsidyflow's HTTP interface: JSON over net/http, bearer tokens, problem
// documents (RFC 9457) for every failure. Handlers check who may do what, validate input
// completely before anything is stored, and talk to claim workflows only through
// workflows/contract.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/lpr"
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

// Deps is what the API needs from the rest of the program.
type Deps struct {
	Store    *store.Store
	Temporal client.Client
	Logger   *slog.Logger
	Now      func() time.Time
	Bank     bank.Bank // nil: the settlement and reconciliation endpoints answer 503
	// Checkpoints anchors the audit chain; nil: verification checks the chain alone and the
	// checkpoint endpoints answer 503.
	Checkpoints Checkpoints
	// HistoryUI is the Temporal Web UI a claim's trace links its workflow runs to.
	HistoryUI historylink.UI
}

// dataStore is the part of *store.Store the API uses; unit tests replace it with a fake
// that proves malformed requests never reach it.
type dataStore interface {
	Ping(ctx context.Context) error
	Authenticate(ctx context.Context, token string) (access.Principal, error)

	CreateEnterprise(ctx context.Context, e enterprise.Enterprise, by access.Principal) (enterprise.Enterprise, error)
	GetEnterprise(ctx context.Context, code string) (enterprise.Enterprise, error)
	UpdateBankAccount(ctx context.Context, code string, acct enterprise.BankAccount, by access.Principal) (enterprise.Enterprise, error)
	VerifyEnterprise(ctx context.Context, code string, declaredAt time.Time, note string, by access.Principal) (enterprise.Enterprise, error)
	AccountRef(number string) pii.Account

	CreateProgram(ctx context.Context, p program.Program, by access.Principal) (program.Program, error)
	GetProgram(ctx context.Context, id string) (program.Program, error)
	ListPrograms(ctx context.Context) ([]program.Program, error)
	RaiseBudget(ctx context.Context, programID string, amount decimal.Decimal, by access.Principal) (program.Program, []string, error)
	UpdateProgramParams(ctx context.Context, id string, params []byte, by access.Principal) (program.Program, error)

	InsertClaim(ctx context.Context, c claim.Claim, m store.Meta) error
	DeleteClaim(ctx context.Context, id string, m store.Meta) error
	GetClaim(ctx context.Context, id string) (claim.Claim, error)
	ListClaims(ctx context.Context, f store.ClaimFilter) ([]claim.Claim, string, error)
	SearchClaims(ctx context.Context, q store.ClaimSearch) (store.ClaimPage, error)
	ClaimTrail(ctx context.Context, claimID string) ([]audit.Entry, error)
	VerifyAudit(ctx context.Context) (store.AuditReport, error)
	VerifyAuditRange(ctx context.Context, from, to int64) (store.AuditReport, error)
	SearchAudit(ctx context.Context, f store.AuditFilter) ([]audit.Entry, string, error)
	AuditHead(ctx context.Context) (audit.Anchor, error)

	EvidenceHolders(ctx context.Context, items []store.EvidenceItem) (map[int]string, error)
	BudgetOutlook(ctx context.Context, programID, creditCode string) (store.BudgetOutlook, error)
	PaidSettledBetween(ctx context.Context, from, to time.Time) ([]store.PaymentRecord, error)
	PaymentRecords(ctx context.Context, ids, keys []string) ([]store.PaymentRecord, error)

	LPRTable(ctx context.Context) (lpr.Table, error)
	AddLPRFixing(ctx context.Context, f lpr.Fixing, today time.Time, by access.Principal) (lpr.Table, error)

	InsertLoan(ctx context.Context, l store.Loan, m store.Meta) error
	DeleteLoan(ctx context.Context, id string, m store.Meta) error
	GetLoan(ctx context.Context, id string) (store.Loan, error)
	ListLoans(ctx context.Context, f store.LoanFilter) ([]store.Loan, error)

	BeginIdempotent(ctx context.Context, scope, key, requestHash string) (*store.StoredResponse, *store.KeyHold, error)
	FinishIdempotent(ctx context.Context, scope, key string, status int, body []byte) error
	AbortIdempotent(ctx context.Context, scope, key string) error
}

// server holds the dependencies every handler shares.
type server struct {
	store     dataStore
	temporal  client.Client
	log       *slog.Logger
	now       func() time.Time
	bank      bank.Bank
	historyUI historylink.UI

	checkpoints Checkpoints
}

// handler is an http.HandlerFunc that returns its failure instead of writing it, so that
// exactly one place (writeError) turns failures into answers.
type handler func(w http.ResponseWriter, r *http.Request) error

// route is one endpoint. Public routes need no token; idempotent ones create something
// and need an Idempotency-Key, and resume answers a retry of one that died after storing
// what it creates (nil: the handler itself is safe to run again).
type route struct {
	method     string
	pattern    string
	public     bool
	idempotent bool
	// reads: a POST that changes nothing (its body carries what must not sit in a URL, such
	// as an account number), so auditors may use it.
	reads  bool
	h      handler
	resume resumer
}

// routes lists every endpoint; openapi.json documents exactly these (a test checks it).
func (s *server) routes() []route {
	return []route{
		{method: "GET", pattern: "/healthz", public: true, h: s.healthz},
		{method: "GET", pattern: "/readyz", public: true, h: s.readyz},
		{method: "GET", pattern: "/openapi.json", public: true, h: s.openAPI},

		{method: "POST", pattern: "/v1/enterprises", idempotent: true, h: s.createEnterprise, resume: s.resumeEnterprise},
		{method: "GET", pattern: "/v1/enterprises/{credit_code}", h: s.getEnterprise},
		{method: "PUT", pattern: "/v1/enterprises/{credit_code}/bank-account", h: s.updateBankAccount},
		{method: "POST", pattern: "/v1/enterprises/{credit_code}/verify", h: s.verifyEnterprise},

		{method: "POST", pattern: "/v1/programs", idempotent: true, h: s.createProgram, resume: s.resumeProgram(http.StatusCreated)},
		{method: "GET", pattern: "/v1/programs", h: s.listPrograms},
		{method: "GET", pattern: "/v1/programs/{id}", h: s.getProgram},
		{method: "POST", pattern: "/v1/programs/{id}/budget", idempotent: true, h: s.raiseBudget, resume: s.resumeProgram(http.StatusOK)},
		{method: "PATCH", pattern: "/v1/programs/{id}/params", h: s.updateProgramParams},

		{method: "POST", pattern: "/v1/claims", idempotent: true, h: s.createClaim, resume: s.resumeClaim},
		{method: "POST", pattern: "/v1/claims/dry-run", h: s.dryRunClaim},
		{method: "GET", pattern: "/v1/claims", h: s.listClaims},
		{method: "GET", pattern: "/v1/claims/{id}", h: s.getClaim},
		{method: "GET", pattern: "/v1/claims/{id}/trace", h: s.traceClaim},
		{method: "POST", pattern: "/v1/claims/{id}/approve", h: s.decide(approve)},
		{method: "POST", pattern: "/v1/claims/{id}/reject", h: s.decide(reject)},
		{method: "POST", pattern: "/v1/claims/{id}/request-info", h: s.decide(requestInfo)},
		{method: "POST", pattern: "/v1/claims/{id}/respond", h: s.decide(respond)},
		{method: "POST", pattern: "/v1/claims/{id}/withdraw", h: s.decide(withdraw)},
		{method: "POST", pattern: "/v1/claims/{id}/cancel", h: s.decide(cancel)},
		{method: "POST", pattern: "/v1/claims/{id}/confirm", h: s.decide(confirm)},
		{method: "POST", pattern: "/v1/claims/{id}/dispute", h: s.decide(dispute)},

		{method: "POST", pattern: "/v1/vouchers", idempotent: true, h: s.applyVoucher, resume: s.resumeClaim},
		{method: "POST", pattern: "/v1/vouchers/{id}/redeem", h: s.redeemVoucher},
		{method: "POST", pattern: "/v1/vouchers/{id}/confirm-delivery", h: s.voucherDecision(confirmDelivery)},
		{method: "POST", pattern: "/v1/vouchers/{id}/return", h: s.voucherDecision(returnVoucher)},
		{method: "POST", pattern: "/v1/vouchers/{id}/cancel", h: s.voucherDecision(cancelVoucher)},

		{method: "GET", pattern: "/v1/lpr", h: s.getLPR},
		{method: "POST", pattern: "/v1/lpr", idempotent: true, h: s.addLPR},

		{method: "POST", pattern: "/v1/loans", idempotent: true, h: s.registerLoan, resume: s.resumeLoan},
		{method: "GET", pattern: "/v1/loans", h: s.listLoans},
		{method: "GET", pattern: "/v1/loans/{id}", h: s.getLoan},
		{method: "POST", pattern: "/v1/loans/{id}/periods/{n}/report", h: s.reportPeriod},
		{method: "POST", pattern: "/v1/loans/{id}/repaid", h: s.repaidLoan},

		{method: "GET", pattern: "/v1/audit/verify", h: s.verifyAudit},
		{method: "GET", pattern: "/v1/audit/log", h: s.auditLog},
		{method: "GET", pattern: "/v1/audit/checkpoints", h: s.listCheckpoints},
		{method: "POST", pattern: "/v1/audit/checkpoints", h: s.createCheckpoint},
		{method: "POST", pattern: "/v1/audit/account-hash", reads: true, h: s.accountHash},

		{method: "GET", pattern: "/v1/claims/{id}/dossier", h: s.claimDossier},

		{method: "GET", pattern: "/v1/bank/settlements", h: s.bankSettlements},
		{method: "GET", pattern: "/v1/reconciliation", h: s.reconciliation},

		{method: "GET", pattern: "/v1/reports/claims", h: s.claimsReport},
		{method: "GET", pattern: "/v1/reports/budget", h: s.budgetReport},
		{method: "GET", pattern: "/v1/reports/timing", h: s.timingReport},
	}
}

// New builds the HTTP handler of the API.
func New(d Deps) http.Handler {
	var st dataStore
	if d.Store != nil {
		st = d.Store
	}
	return newServer(d, st).handler()
}

// newServer fills in defaults; st is passed separately so tests can use a fake store.
func newServer(d Deps, st dataStore) *server {
	s := &server{store: st, temporal: d.Temporal, log: d.Logger, now: d.Now, bank: d.Bank, checkpoints: d.Checkpoints,
		historyUI: d.HistoryUI}
	if s.log == nil {
		s.log = logDiscard
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// handler wires the routes into a ServeMux behind the middleware every request passes:
// request id, access log, panic recovery, problem documents for unknown routes.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		h := rt.h
		if rt.idempotent {
			h = s.idempotent(h, rt.resume)
		}
		if !rt.public {
			h = s.authenticate(h, rt.reads)
		}
		mux.Handle(rt.method+" "+rt.pattern, s.serve(h))
	}
	return s.withRequestID(s.logRequests(s.recoverPanics(s.cleanURL(s.unmatched(mux)))))
}

// serve adapts a handler to net/http, writing its failure as a problem document.
func (s *server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
