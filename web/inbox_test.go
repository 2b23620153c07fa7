package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/i18n"
)

// TestInbox covers the finance inbox and the claim page: both wholly in Chinese by default
// and in English on the switch, the four-eyes state and the next step.
func TestInbox(t *testing.T) {
	w := setup(t)
	i18n.ResetMissing()
	officer := w.signedIn(t, "officer")

	t.Run("claim list and claim page are Chinese", func(t *testing.T) {
		for _, who := range []string{"officer", "applicant", "auditor"} {
			b := w.signedIn(t, who)
			for _, path := range []string{"/ui/claims", "/ui/claims/" + w.mine} {
				resp, body := b.get(path)
				wantStatus(t, resp, body, http.StatusOK)
				assertChinese(t, who+" "+path, withoutUser(body))
			}
		}
		_, body := officer.get("/ui/claims/" + w.mine)
		contains(t, body, "待审批", "1,000.00", "500.00", "西藏自治区拉萨市城关区", "公路", "符合条件的运费",
			"补贴（四舍五入）", "共 1 行，其中 1 行符合", "财政部门须于", `data-confirm="确定批准支付 500.00 元？`, `<td>1</td>`)
	})

	t.Run("English on the switch", func(t *testing.T) {
		_, body := officer.get("/ui/claims/" + w.mine + "?lang=en")
		contains(t, body, `<html lang="en"`, "Summary", "Requested", "eligible freight", "Approve paying 500.00?",
			"Finance decides by")
		_, body = officer.get("/ui/claims?lang=en")
		contains(t, body, "Claim ID", "Pending approval")
	})

	t.Run("four-eyes state on the page", func(t *testing.T) {
		big := w.file(t, "applicant", apptest.Shipment(3, "250000.00")) // 125,000.00 ≥ 100,000.00
		page := "/ui/claims/" + big
		officer := w.signedIn(t, "officer") // in Chinese: the other one switched to English
		resp, _ := officer.post(page+"/approve", url.Values{"csrf": {officer.csrf(page)}, "note": {"checked"}})
		wantRedirect(t, resp, page)
		_, body := officer.get(page)
		contains(t, body, `id="four-eyes"`, "两级", "officer-li", "第二次审批", "125,000.00")
		assertChinese(t, page, withoutUser(body))
		if !strings.Contains(body, "四眼原则") {
			t.Fatalf("no four-eyes badge:\n%s", body)
		}
	})
	t.Run("search, filters, sort and totals of the whole set", func(t *testing.T) {
		b := w.signedIn(t, "officer")
		a := w.file(t, "applicant", apptest.Shipment(11, "3000.00")) // 1,500.00
		c := w.file(t, "applicant", apptest.Shipment(12, "5000.00")) // 2,500.00
		_, body := b.get("/ui/claims?q=WB-000011")
		contains(t, body, a, "共 1 笔申请")
		lacks(t, body, c+"\"")
		r := w.env.Do(t, "GET", "/v1/claims?q=WB-000011&sort=-amount", "officer", nil)
		if r.Status != http.StatusOK || r.JSON["total"] != float64(1) || r.JSON["amount_total"] != "1500.00" {
			t.Fatalf("API search: %d %s", r.Status, r.Body)
		}
		if r := w.env.Do(t, "GET", "/v1/claims?min_amount=abc", "officer", nil); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("API search with a bad amount: %d %s", r.Status, r.Body)
		}
		if r := w.env.Do(t, "GET", "/v1/claims?q=WB-000011", "other", nil); r.JSON["total"] != float64(0) {
			t.Fatalf("another applicant finds the claim: %s", r.Body)
		}
		_, body = b.get("/ui/claims?q=" + a)
		contains(t, body, a)
		_, body = b.get("/ui/claims?min=1%2C500.00&max=2%2C500.00&sort=amount&status=pending_approval")
		contains(t, body, "共 2 笔申请", "补贴合计 4,000.00 元")
		if strings.Index(body, a) > strings.Index(body, c) {
			t.Error("sort=amount does not put the smaller claim first")
		}
		_, body = b.get("/ui/claims?region=54&size=micro")
		assertChinese(t, "/ui/claims filtered", withoutUser(body))
		resp, body := b.get("/ui/claims?min=abc")
		wantStatus(t, resp, body, http.StatusBadRequest)
		contains(t, body, "金额范围须为金额")
		for _, bad := range []string{"min=1e40", "max=99999999999999999999999", "max=1.005", "min=-1"} {
			resp, body = b.get("/ui/claims?" + bad)
			wantStatus(t, resp, body, http.StatusBadRequest)
		}
		resp, body = b.get("/ui/claims?region=xx")
		wantStatus(t, resp, body, http.StatusBadRequest)
		_, body = b.get("/ui/claims?status=pending_approval")
		contains(t, body, "第 1 页，共 1 页")
		_, body = b.get("/ui/claims?q=no-such-claim-anywhere")
		contains(t, body, "共 0 笔申请", "没有符合条件的申请")
	})

	t.Run("version endpoint changes when a claim changes", func(t *testing.T) {
		b := w.signedIn(t, "officer")
		_, v1 := b.get("/ui/claims/version")
		if v1 == "" {
			t.Fatal("empty version")
		}
		w.file(t, "other", apptest.Shipment(21, "100.00"))
		_, v2 := b.get("/ui/claims/version")
		if v1 == v2 {
			t.Fatalf("version did not change: %s", v2)
		}
	})

	t.Run("bulk approval approves each, refuses a second four-eyes approval", func(t *testing.T) {
		x := w.file(t, "applicant", apptest.Shipment(31, "800.00"))
		y := w.file(t, "other", apptest.Shipment(32, "900.00"))
		big := w.file(t, "applicant", apptest.Shipment(33, "260000.00"))
		if r := w.env.Do(t, "POST", "/v1/claims/"+big+"/approve", "officer", map[string]any{"note": "first"}); r.Status != http.StatusOK {
			t.Fatalf("first approval: %d %s", r.Status, r.Body)
		}
		r := w.env.Do(t, "GET", "/v1/claims/"+big, "officer", nil)
		ap, _ := r.JSON["approval"].(map[string]any)
		if ap == nil || ap["four_eyes"] != true || ap["awaiting"] != "second" || len(ap["approvals"].([]any)) != 1 {
			t.Fatalf("approval state = %v", r.JSON["approval"])
		}
		b := w.signedIn(t, "supervisor")
		resp, _ := b.post("/ui/claims/bulk-approve", url.Values{"csrf": {b.csrf("/ui/claims")},
			"claim": {x, y, big, w.mine}, "note": {"batch"}})
		wantRedirect(t, resp, "/ui/claims")
		_, body := b.get("/ui/claims")
		contains(t, body, "已批准 3 笔（共选 4 笔）", big+"(awaiting_second_approval)")
		for _, id := range []string{x, y} {
			w.env.WaitStatus(t, id, "paid", 30*time.Second)
		}
		if got := w.status(t, big); got != "pending_approval" {
			t.Fatalf("four-eyes claim is %s after the bulk approval", got)
		}
		r = w.env.Do(t, "GET", "/v1/claims/"+x, "officer", nil)
		if ap, _ := r.JSON["approval"].(map[string]any); ap == nil || ap["four_eyes"] != false || ap["awaiting"] != nil {
			t.Fatalf("approval state of a paid small claim = %v", r.JSON["approval"])
		}
	})
}

// signedInAs is the layout's line naming the signed-in user; the layout (not this area's)
// shows the token's subject without translate="no", so the check leaves it out.
var signedInAs = regexp.MustCompile(`<span>[^<]* · [^<]*</span>`)

func withoutUser(body string) string { return signedInAs.ReplaceAllString(body, "") }
