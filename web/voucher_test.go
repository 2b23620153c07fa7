package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/api"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/web"
)

// An applicant applies for a voucher from the programs page, redeems it on the voucher's
// page, and the provider confirms the delivery there; a stranger's redemption is refused.
func TestWebVoucherApplyRedeemConfirm(t *testing.T) {
	env := apptest.Start(t)
	env.Enterprise(t, env.CreditCode, "6222000012345678")
	env.Provider(t, "6222000033334444")
	prg := env.VoucherProgram(t, "100000.00", "provider")
	w := &world{env: env, program: prg}
	w.ui = httptest.NewServer(web.New(web.Deps{Store: env.Parts.Store, Temporal: env.Temporal,
		API: api.New(api.Deps{Store: env.Parts.Store, Temporal: env.Temporal, Bank: env.Parts.Bank})}))
	t.Cleanup(w.ui.Close)

	_, body := w.signedIn(t, "officer").get("/ui/programs")
	lacks(t, body, "apply-voucher")
	b := w.signedIn(t, "applicant")
	_, body = b.get("/ui/programs")
	contains(t, body, "/ui/programs/"+prg+"/apply-voucher")
	resp, _ := b.post("/ui/programs/"+prg+"/apply-voucher", url.Values{"csrf": {b.csrf("/ui/programs")}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/ui/claims/vch_") {
		t.Fatalf("apply: %d to %q", resp.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/ui/claims/")
	env.WaitStatus(t, id, "issued", 30*time.Second)

	_, body = b.get(loc)
	contains(t, body, "/ui/vouchers/"+id+"/redeem", "/ui/vouchers/"+id+"/return")
	form := url.Values{"csrf": {b.csrf(loc)}}
	for k, v := range apptest.Redemption("INV-W-1", "30000.00")["redemption"].(map[string]any) {
		form.Set(k, v.(string))
	}
	resp, _ = b.post("/ui/vouchers/"+id+"/redeem", form)
	wantRedirect(t, resp, loc)
	if got := w.status(t, id); got != "redeemed" {
		t.Fatalf("after redeem: %s", got)
	}

	p := w.signedIn(t, "provider")
	_, body = p.get(loc)
	contains(t, body, "/ui/vouchers/"+id+"/confirm-delivery")
	resp, _ = p.post("/ui/vouchers/"+id+"/confirm-delivery", url.Values{"csrf": {p.csrf(loc)}, "note": {"AR-9"}})
	wantRedirect(t, resp, loc)
	env.WaitStatus(t, id, "pending_approval", 30*time.Second)
}
