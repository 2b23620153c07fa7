package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/web"
)

func (w *world) testRootRedirect(t *testing.T) {
	resp, _ := w.browser(t).get("/")
	wantRedirect(t, resp, "/ui/")
}

// testMounted checks app.Parts.Handler (which apptest serves) routes / and /ui/ to the
// pages and everything else to the API.
func (w *world) testMounted(t *testing.T) {
	b := w.browser(t)
	b.base = w.env.URL
	resp, _ := b.get("/")
	wantRedirect(t, resp, "/ui/")
	resp, body := b.get("/ui/signin")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `name="token"`)
	if r := w.env.Do(t, "GET", "/v1/programs", "auditor", nil); r.Status != http.StatusOK {
		t.Fatalf("API behind the pages: %d %s", r.Status, r.Body)
	}
}

func (w *world) testUnauthenticated(t *testing.T) {
	for _, path := range []string{"/ui/claims", "/ui/claims/" + w.mine, "/ui/programs", "/ui/audit"} {
		resp, _ := w.browser(t).get(path)
		wantRedirect(t, resp, "/ui/signin")
	}
	b := w.browser(t)
	u, _ := url.Parse(w.ui.URL + "/ui/")
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "sf_token", Value: "sf_not-a-token"}})
	resp, _ := b.get("/ui/claims")
	wantRedirect(t, resp, "/ui/signin")
	resp, _ = b.post("/ui/claims/"+w.mine+"/approve", url.Values{"csrf": {"x"}})
	wantRedirect(t, resp, "/ui/signin")
}

func (w *world) testSignIn(t *testing.T) {
	b := w.browser(t)
	resp, _ := b.post("/ui/signin", url.Values{"token": {w.env.Tokens["officer"]}})
	wantRedirect(t, resp, "/ui/claims")
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "sf_token" {
			c = k
		}
	}
	if c == nil || !strings.HasPrefix(c.Value, "sfs_") || c.Value == w.env.Tokens["officer"] || !c.HttpOnly ||
		c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Fatalf("sf_token cookie = %+v, want a session id (not the API token), HttpOnly, SameSite=Strict, not Secure over plain HTTP", c)
	}
	resp, body := b.get("/ui/claims")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "officer-li", "财政经办")
}

func (w *world) testBadToken(t *testing.T) {
	resp, body := w.browser(t).post("/ui/signin", url.Values{"token": {"sf_wrong"}})
	wantStatus(t, resp, body, http.StatusUnauthorized)
	contains(t, body, "令牌无效或已吊销")
	if len(resp.Cookies()) != 0 {
		t.Errorf("a refused sign-in set cookies: %v", resp.Cookies())
	}
}

// testSignOut: signing out closes the session on the server. A copy of the cookie taken
// before (a shared computer, a stolen cookie) no longer works, while the user's API token
// does.
func (w *world) testSignOut(t *testing.T) {
	b := w.signedIn(t, "auditor")
	u, _ := url.Parse(w.ui.URL + "/ui/")
	stolen := b.c.Jar.Cookies(u)
	resp, _ := b.post("/ui/signout", url.Values{"csrf": {b.csrf("/ui/claims")}})
	wantRedirect(t, resp, "/ui/signin")
	resp, _ = b.get("/ui/claims")
	wantRedirect(t, resp, "/ui/signin")

	replay := w.browser(t)
	replay.c.Jar.SetCookies(u, stolen)
	resp, _ = replay.get("/ui/claims")
	wantRedirect(t, resp, "/ui/signin")
	for _, c := range stolen {
		if c.Name == "sf_token" {
			r := w.env.Do(t, "GET", "/v1/claims", "", nil, "Authorization", "Bearer "+c.Value)
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("the closed session as a bearer token: %d, want 401", r.Status)
			}
		}
	}
	if r := w.env.Do(t, "GET", "/v1/claims", "auditor", nil); r.Status != http.StatusOK {
		t.Fatalf("the API token after sign-out: %d, want 200", r.Status)
	}
}

// testSecureCookie: behind TLS (a proxy terminates it, so this process sees plain HTTP)
// the session cookie is Secure.
func (w *world) testSecureCookie(t *testing.T) {
	ui := httptest.NewServer(web.New(web.Deps{Store: w.env.Parts.Store, Temporal: w.env.Temporal, SecureCookies: true}))
	defer ui.Close()
	b := w.browser(t)
	b.base = ui.URL
	resp, _ := b.post("/ui/signin", url.Values{"token": {w.env.Tokens["auditor"]}})
	wantRedirect(t, resp, "/ui/claims")
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "sf_token" {
			c = k
		}
	}
	if c == nil || !c.Secure || !c.HttpOnly {
		t.Fatalf("sf_token cookie behind TLS = %+v, want Secure and HttpOnly", c)
	}
}

func (w *world) testApplicantList(t *testing.T) {
	b := w.signedIn(t, "applicant")
	resp, body := b.get("/ui/claims")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, w.mine, ">待审批<", "500.00")
	lacks(t, body, w.theirs)
	// Even a filter naming nothing in particular never widens an applicant's view.
	_, body = b.get("/ui/claims?status=pending_approval&program=" + w.program)
	contains(t, body, w.mine)
	lacks(t, body, w.theirs)
	// Staff see both.
	_, body = w.signedIn(t, "auditor").get("/ui/claims")
	contains(t, body, w.mine, w.theirs)
}

func (w *world) testOtherApplicant404(t *testing.T) {
	b := w.signedIn(t, "other")
	resp, body := b.get("/ui/claims/" + w.mine)
	wantStatus(t, resp, body, http.StatusNotFound)
	lacks(t, body, "1000.00")
	resp, body = b.post("/ui/claims/"+w.mine+"/withdraw", url.Values{"csrf": {b.csrf("/ui/claims")}})
	wantStatus(t, resp, body, http.StatusNotFound)
	if got := w.status(t, w.mine); got != "pending_approval" {
		t.Fatalf("status = %s after another enterprise's withdraw", got)
	}
}

func (w *world) testApplicantActions(t *testing.T) {
	resp, body := w.signedIn(t, "applicant").get("/ui/claims/" + w.mine)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, ">撤回申请<", "1,000.00", "500.00", "WB-000001", "claim.submitted")
	lacks(t, body, "/approve\"")
	_, body = w.signedIn(t, "auditor").get("/ui/claims/" + w.mine)
	lacks(t, body, "/approve\"", ">撤回申请<")
}

func (w *world) testCSRF(t *testing.T) {
	b := w.signedIn(t, "officer")
	path := "/ui/claims/" + w.mine + "/approve"
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}, {"csrf": {w.signedIn(t, "officer2").csrf("/ui/claims")}}} {
		resp, body := b.post(path, form)
		wantStatus(t, resp, body, http.StatusForbidden)
	}
	if got := w.status(t, w.mine); got != "pending_approval" {
		t.Fatalf("status = %s after refused POSTs", got)
	}
}

// testInvalidUTF8Form: a form value that is not UTF-8 is refused before any page acts on it
// (the pages pass values on as JSON, whose encoder would turn the bytes into U+FFFD).
func (w *world) testInvalidUTF8Form(t *testing.T) {
	b := w.signedIn(t, "officer")
	csrf := b.csrf("/ui/claims")
	resp, body := b.post("/ui/claims/"+w.mine+"/approve", url.Values{"csrf": {csrf}, "note": {"checked \xff\xfe"}})
	wantStatus(t, resp, body, http.StatusBadRequest)
	contains(t, body, "表单字段 note 不是有效的 UTF-8 文本")
	if got := w.status(t, w.mine); got != "pending_approval" {
		t.Fatalf("status = %s after a refused form", got)
	}
}

// testCrossSite: a browser marks a form posted from another site, and even sign-in (which
// has no session to bind a CSRF token to) refuses it.
func (w *world) testCrossSite(t *testing.T) {
	req, _ := http.NewRequest("POST", w.ui.URL+"/ui/signin", strings.NewReader(url.Values{"token": {w.env.Tokens["admin"]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	b := w.browser(t)
	resp, body := b.read(b.c.Do(req))
	wantStatus(t, resp, body, http.StatusForbidden)
}

func (w *world) testFourEyes(t *testing.T) {
	big := w.file(t, "applicant", apptest.Shipment(3, "250000.00")) // 125000.00 ≥ 100000.00
	page := "/ui/claims/" + big
	officer := w.signedIn(t, "officer")
	resp, _ := officer.post(page+"/approve", url.Values{"csrf": {officer.csrf(page)}, "note": {"checked"}})
	wantRedirect(t, resp, page)
	_, body := officer.get(page)
	contains(t, body, "已批准。", "officer-li", "四眼原则", `id="four-eyes"`, "第二次审批")
	officer2 := w.signedIn(t, "officer2")
	resp, _ = officer2.post(page+"/approve", url.Values{"csrf": {officer2.csrf(page)}})
	wantRedirect(t, resp, page)
	_, body = officer2.get(page)
	contains(t, body, `class="flash error"`, "四眼原则：金额 100000.00 元及以上的第二次审批须由财政主管作出")
	_, body = officer2.get(page)
	lacks(t, body, "flash error") // shown once
	if got := w.status(t, big); got != "pending_approval" {
		t.Fatalf("status = %s after a refused second approval", got)
	}
}

func (w *world) testApprove(t *testing.T) {
	b := w.signedIn(t, "officer")
	page := "/ui/claims/" + w.mine
	resp, _ := b.post(page+"/approve", url.Values{"csrf": {b.csrf(page)}, "note": {"waybill & invoice <checked>"}})
	wantRedirect(t, resp, page)
	w.env.WaitStatus(t, w.mine, "paid", 30*time.Second)
	resp, body := b.get(page)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, ">已支付<", "waybill &amp; invoice &lt;checked&gt;", "settled")
	lacks(t, body, "<checked>")
}

func (w *world) testPrograms(t *testing.T) {
	resp, body := w.signedIn(t, "applicant").get("/ui/programs")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "Lhasa freight 2023", "1,000,000.00", "2023-01-01", "运费补贴")
}

func (w *world) testAudit(t *testing.T) {
	resp, body := w.signedIn(t, "auditor").get("/ui/audit?verify=1")
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "完整")
	resp, body = w.signedIn(t, "applicant").get("/ui/audit")
	wantStatus(t, resp, body, http.StatusForbidden)
	if strings.Contains(body, "完整") {
		t.Error("an applicant saw the audit result")
	}
}
