package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/store"
)

var formKeyField = regexp.MustCompile(`name="form_key" value="([^"]+)"`)

// claimForm opens the new-claim form for the world's program and returns the form's
// hidden fields; rows fill the shipment rows in order (nil leaves a row empty).
func (w *world) claimForm(t *testing.T, b *browser, action string, rows ...map[string]any) url.Values {
	t.Helper()
	resp, body := b.get("/ui/claims/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	csrf, key := csrfField.FindStringSubmatch(body), formKeyField.FindStringSubmatch(body)
	if csrf == nil || key == nil {
		t.Fatalf("form lacks csrf or form_key:\n%s", body)
	}
	f := url.Values{"csrf": {csrf[1]}, "form_key": {key[1]}, "program_id": {w.program}, "action": {action}}
	for i, row := range rows {
		for k, v := range row {
			f.Set(fmt.Sprintf("%s_%d", k, i+1), fmt.Sprint(v))
		}
	}
	return f
}

// claimCount counts the applicant's stored claims.
func (w *world) claimCount(t *testing.T) int {
	t.Helper()
	cs, _, err := w.env.Parts.Store.ListClaims(context.Background(),
		store.ClaimFilter{CreditCode: w.env.CreditCode, Limit: store.MaxClaimLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

func (w *world) testNewClaimLink(t *testing.T) {
	_, body := w.signedIn(t, "applicant").get("/ui/claims")
	contains(t, body, `href="/ui/claims/new"`, ">新申请<")
	_, body = w.signedIn(t, "officer").get("/ui/claims")
	lacks(t, body, `href="/ui/claims/new"`)
}

func (w *world) testNewClaimPreview(t *testing.T) {
	b := w.signedIn(t, "applicant")
	resp, body := b.get("/ui/claims/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "试算", "提交", `<option value="yak-dairy"`, `<option value="multimodal"`)
	before := w.claimCount(t)
	resp, body = b.post("/ui/claims/new", w.claimForm(t, b, "preview", nil, apptest.Shipment(101, "1000.00")))
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `id="preview-amount">500.00<`, "符合", `value="WB-000101"`)
	if got := w.claimCount(t); got != before {
		t.Fatalf("a preview stored a claim: %d claims, had %d", got, before)
	}
}

func (w *world) testNewClaimFile(t *testing.T) {
	b := w.signedIn(t, "applicant")
	resp, _ := b.post("/ui/claims/new", w.claimForm(t, b, "file", apptest.Shipment(102, "800.00")))
	id := filedID(t, resp)
	resp, body := b.get("/ui/claims/" + id)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "申请已提交", id)
	w.env.WaitStatus(t, id, "pending_approval", 30*time.Second)
}

func (w *world) testNewClaimDoubleSubmit(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	form := w.claimForm(t, b, "file", apptest.Shipment(103, "600.00"))
	resp, _ := b.post("/ui/claims/new", form)
	first := filedID(t, resp)
	resp, _ = b.post("/ui/claims/new", form)
	if second := filedID(t, resp); second != first {
		t.Fatalf("the second submit filed %s, the first %s", second, first)
	}
	// a real double click: both requests at once, the second while the first still files
	form = w.claimForm(t, b, "file", apptest.Shipment(108, "700.00"))
	locs := make(chan string, 2)
	for range 2 {
		go func() {
			resp, err := b.c.PostForm(b.base+"/ui/claims/new", form)
			if err != nil {
				locs <- err.Error()
				return
			}
			resp.Body.Close()
			locs <- fmt.Sprint(resp.StatusCode, " ", resp.Header.Get("Location"))
		}()
	}
	if a, c := <-locs, <-locs; a != c || !strings.HasPrefix(a, "303 /ui/claims/clm_") {
		t.Fatalf("concurrent submits answered %q and %q, want one 303 to the same claim", a, c)
	}
	if got := w.claimCount(t); got != before+2 {
		t.Fatalf("%d claims after two double submits, had %d", got, before)
	}
}

func (w *world) testNewClaimBadAmount(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	for _, action := range []string{"file", "preview"} {
		resp, body := b.post("/ui/claims/new", w.claimForm(t, b, action, apptest.Shipment(104, "1.234")))
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		contains(t, body, `name="amount_1" value="1.234"`, `aria-invalid="true">`+"\n"+`<small class="field-error" id="err-amount_1">`)
		lacks(t, body, "freight.shipments[0].amount")
	}
	// rows are numbered as on the form, not as sent: empty rows are skipped
	resp, body := b.post("/ui/claims/new", w.claimForm(t, b, "file",
		apptest.Shipment(105, "10.00"), nil, apptest.Shipment(106, "1.234")))
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	contains(t, body, `id="err-amount_3"`)
	lacks(t, body, `id="err-amount_1"`, `id="err-amount_2"`)
	if got := w.claimCount(t); got != before {
		t.Fatalf("refused forms stored claims: %d claims, had %d", got, before)
	}
}

func (w *world) testNewClaimOfficer(t *testing.T) {
	b := w.signedIn(t, "officer")
	resp, body := b.get("/ui/claims/new")
	wantStatus(t, resp, body, http.StatusForbidden)
	resp, body = b.post("/ui/claims/new", url.Values{"csrf": {b.csrf("/ui/claims")}, "action": {"file"}})
	wantStatus(t, resp, body, http.StatusForbidden)
}

func (w *world) testNewClaimCSRF(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	form := w.claimForm(t, b, "file", apptest.Shipment(107, "100.00"))
	for _, csrf := range []string{"", "forged"} {
		form.Set("csrf", csrf)
		resp, body := b.post("/ui/claims/new", form)
		wantStatus(t, resp, body, http.StatusForbidden)
	}
	if got := w.claimCount(t); got != before {
		t.Fatalf("a POST without CSRF token stored a claim")
	}
}

// filedID reads the claim id from the redirect that answers a filed form.
func filedID(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/ui/claims/clm_") {
		t.Fatalf("got %d to %q, want 303 to a claim", resp.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, "/ui/claims/")
}
