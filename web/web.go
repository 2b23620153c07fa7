// Package web is subsidyflow's browser interface: plain server-rendered pages (html/template,
// embedded templates and CSS, no JavaScript framework) for applicants, finance staff and
// auditors, served under /ui/ by the same process as the API. It reads through the store and
// sends decisions through workflows/contract, exactly as the API does, so both interfaces
// are held to the same rules by the same workflow validators.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is what the web pages need from the rest of the program.
type Deps struct {
	Store    *store.Store
	Temporal client.Client
	Logger   *slog.Logger
	// CSRFKey signs the forms' CSRF tokens. When empty a random key is made per process;
	// several processes behind one load balancer need to share a key, or a form rendered by
	// one would be refused by another.
	CSRFKey []byte
	// API is the JSON API's handler; the new-claim form files and previews through it,
	// in-process, so the page holds no rule of its own.
	API http.Handler
	// SecureCookies marks the session cookie Secure: set when the site is served behind TLS
	// (BEHIND_TLS, or a PUBLIC_URL starting with https://), where a terminating proxy makes
	// every request look like plain HTTP to this process.
	SecureCookies bool

	// HistoryUI is the Temporal Web UI the claim page links its workflow runs to.
	HistoryUI historylink.UI

	// Checkpoints verifies the audit chain against its signed checkpoints, as the API does;
	// nil: the audit page checks the chain alone.
	Checkpoints AuditVerifier
}

// AuditVerifier verifies the audit chain against its signed checkpoints.
type AuditVerifier interface {
	Verify(ctx context.Context) (store.AuditReport, error)
}

// server holds what every page handler shares.
type server struct {
	store    *store.Store
	temporal client.Client
	log      *slog.Logger
	csrfKey  []byte
	api      http.Handler
	pages    pages
	audit    AuditVerifier

	secureCookies bool
	history       historylink.UI
}

// New builds the handler of the web pages. It answers / (redirecting to /ui/) and
// everything under /ui/.
func New(d Deps) http.Handler {
	s := &server{store: d.Store, temporal: d.Temporal, log: d.Logger, csrfKey: d.CSRFKey, api: d.API, audit: d.Checkpoints,
		pages: mustParsePages(), secureCookies: d.SecureCookies, history: d.HistoryUI}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.csrfKey) == 0 {
		s.csrfKey = make([]byte, 32)
		_, _ = rand.Read(s.csrfKey) // crypto/rand does not fail on supported platforms
	}
	return s.handler()
}

// handler wires the routes. Every POST also passes the standard library's cross-origin
// protection (Sec-Fetch-Site / Origin), a second line behind the CSRF tokens that also
// covers the sign-in form, which has no session to bind a token to yet.
func (s *server) handler() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", http.RedirectHandler("/ui/", http.StatusSeeOther))
	mux.Handle("GET /ui/{$}", http.RedirectHandler("/ui/claims", http.StatusSeeOther))
	mux.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /ui/signin", s.signInPage)
	mux.HandleFunc("POST /ui/signin", s.signIn)
	mux.HandleFunc("POST /ui/signout", s.authed(s.signOut))
	mux.HandleFunc("GET /ui/claims", s.authed(s.claimList))
	mux.HandleFunc("GET /ui/claims/version", s.authed(s.claimsVersion))
	mux.HandleFunc("POST /ui/claims/bulk-approve", s.authed(s.bulkApprove))
	mux.HandleFunc("GET /ui/claims/new", s.authed(s.newClaimPage))
	mux.HandleFunc("POST /ui/claims/new", s.authed(s.newClaimSubmit))
	mux.HandleFunc("GET /ui/claims/{id}", s.authed(s.claimDetail))
	mux.HandleFunc("POST /ui/claims/{id}/{action}", s.authed(s.decide))
	mux.Handle("/ui/rent/", s.rentRoutes())
	s.mountLoans(mux)
	mux.Handle("/ui/guarantee/", s.guaranteeRoutes())
	mux.HandleFunc("GET /ui/programs", s.authed(s.programList))
	s.mountApplicant(mux) // a program's rules, the enterprise page
	mux.HandleFunc("POST /ui/programs/{id}/apply-voucher", s.authed(s.applyVoucher))
	mux.HandleFunc("POST /ui/vouchers/{id}/{action}", s.authed(s.voucherAction))
	s.mountAudit(mux)
	mux.HandleFunc("GET /ui/reports", s.authed(s.reportsPage))
	mux.HandleFunc("GET /ui/reports/export", s.authed(s.reportExport))
	mux.HandleFunc("/ui/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, nil, http.StatusNotFound, "Page not found")
	})
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// securityHeaders keeps pages out of frames and caches and allows only our own scripts
// and styles, so even a template mistake could not run injected script.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
