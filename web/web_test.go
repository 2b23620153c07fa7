package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/api"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/web"
)

// world is one running subsidyflow shared by every test of the package (booting
// PostgreSQL, Temporal and the worker is the expensive part), with the web pages on their
// own test server.
type world struct {
	env     *apptest.Env
	ui      *httptest.Server
	program string
	mine    string // a claim of the "applicant" enterprise, pending approval
	theirs  string // a claim of the "other" enterprise, pending approval
}

// TestWeb runs every web test as a subtest of one environment.
func TestWeb(t *testing.T) {
	w := setup(t)
	t.Run("root redirects to the UI", w.testRootRedirect)
	t.Run("the app serves the pages beside the API", w.testMounted)
	t.Run("signed-out requests go to sign-in", w.testUnauthenticated)
	t.Run("sign-in sets an HttpOnly SameSite=Strict cookie", w.testSignIn)
	t.Run("a wrong token is refused on the form", w.testBadToken)
	t.Run("sign-out closes the session: a replayed cookie is refused", w.testSignOut)
	t.Run("behind TLS the session cookie is Secure", w.testSecureCookie)
	t.Run("claim page: account masked except for finance approving; verification shown", w.testAccountOnClaimPage)
	t.Run("applicant lists only its own claims", w.testApplicantList)
	t.Run("another applicant gets 404 on a claim", w.testOtherApplicant404)
	t.Run("applicant sees withdraw, not approve", w.testApplicantActions)
	t.Run("POST without a valid CSRF token is refused", w.testCSRF)
	t.Run("cross-site POSTs are refused", w.testCrossSite)
	t.Run("a form value that is not UTF-8 is refused and changes nothing", w.testInvalidUTF8Form)
	t.Run("four-eyes refusal is shown on the page", w.testFourEyes)
	t.Run("officer approves through the form and the claim is paid", w.testApprove)
	t.Run("programs page shows the fund with two decimals", w.testPrograms)
	t.Run("audit page for auditors only", w.testAudit)
	t.Run("claims list links applicants to the new-claim form", w.testNewClaimLink)
	t.Run("applicant previews a claim on the form", w.testNewClaimPreview)
	t.Run("applicant files a claim on the form", w.testNewClaimFile)
	t.Run("a double submit of one form files once", w.testNewClaimDoubleSubmit)
	t.Run("a bad amount is shown beside its field and nothing is stored", w.testNewClaimBadAmount)
	t.Run("only applicants get the new-claim form", w.testNewClaimOfficer)
	t.Run("new-claim POST without CSRF token is refused", w.testNewClaimCSRF)
	t.Run("staff get the claim's workflow history linked to the Temporal UI", w.testHistoryLinks)
	// Last: it changes the applicant's bank account.
	t.Run("an account changed after approval is shown to the approvers", w.testAccountChangeShown)
}

// The approvers see whom they approve paying, and when the payee's account changed after
// an approval, the page says so and shows the account that will now be paid.
func (w *world) testAccountChangeShown(t *testing.T) {
	id := w.file(t, "applicant", apptest.Shipment(7, "1000.00"))
	w.env.WaitStatus(t, id, "pending_approval", 30*time.Second)
	b := w.signedIn(t, "officer2")
	_, body := b.get("/ui/claims/" + id)
	if !strings.Contains(body, `id="payee"`) || !strings.Contains(body, "6222000012345678") {
		t.Fatalf("the approver does not see the payee's account:\n%s", body)
	}
	if strings.Contains(body, `id="account-changed"`) {
		t.Fatal("a change is announced before any")
	}
	r := w.env.Do(t, "PUT", "/v1/enterprises/"+w.env.CreditCode+"/bank-account", "applicant", map[string]any{
		"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods", "account_number": "6222000012349999"})
	if r.Status != http.StatusOK {
		t.Fatalf("account change: %d %s", r.Status, r.Body)
	}
	if r := w.env.Do(t, "POST", "/v1/claims/"+id+"/approve", "officer", map[string]any{"note": "checked"}); r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(body, `id="account-changed"`) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		_, body = b.get("/ui/claims/" + id)
	}
	for _, want := range []string{`id="account-changed"`, "****5678", "****9999", "6222000012349999"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the page lacks %q after the account changed:\n%s", want, body)
		}
	}
}

func setup(t *testing.T) *world {
	env := apptest.Start(t)
	env.Enterprise(t, env.CreditCode, "6222000012345678")
	env.Enterprise(t, env.OtherCode, "6222000012345679")
	w := &world{env: env, program: env.FreightProgram(t, "1000000.00")}
	w.mine = w.file(t, "applicant", apptest.Shipment(1, "1000.00"))
	w.theirs = w.file(t, "other", apptest.Shipment(2, "2000.00"))
	w.ui = httptest.NewServer(web.New(web.Deps{Store: env.Parts.Store, Temporal: env.Temporal,
		API: api.New(api.Deps{Store: env.Parts.Store, Temporal: env.Temporal, Bank: env.Parts.Bank})}))
	t.Cleanup(w.ui.Close)
	return w
}

// file files a claim as who and waits until it awaits approval.
func (w *world) file(t *testing.T, who string, shipments ...map[string]any) string {
	t.Helper()
	r := w.env.FileFreight(t, who, w.program, shipments...)
	if r.Status != http.StatusCreated {
		t.Fatalf("file claim: %d %s", r.Status, r.Body)
	}
	id := r.JSON["id"].(string)
	w.env.WaitStatus(t, id, "pending_approval", 30*time.Second)
	return id
}

// browser is a cookie-keeping client that does not follow redirects, so tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (w *world) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: w.ui.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedIn is a browser signed in with the named token.
func (w *world) signedIn(t *testing.T, who string) *browser {
	b := w.browser(t)
	resp, _ := b.post("/ui/signin", url.Values{"token": {w.env.Tokens[who]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", who, resp.StatusCode)
	}
	return b
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	return b.read(resp, err)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	return b.read(resp, err)
}

func (b *browser) read(resp *http.Response, err error) (*http.Response, string) {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's forms.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

func wantRedirect(t *testing.T, resp *http.Response, to string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != to {
		t.Fatalf("got %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), to)
	}
}

func wantStatus(t *testing.T, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("got %d, want %d; body:\n%s", resp.StatusCode, status, body)
	}
}

// status reads a claim's status from the store, bypassing every page.
func (w *world) status(t *testing.T, id string) string {
	t.Helper()
	c, err := w.env.Parts.Store.GetClaim(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return string(c.Status)
}

func contains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func lacks(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("page shows %q", u)
		}
	}
}
