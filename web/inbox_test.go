package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

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
}

// signedInAs is the layout's line naming the signed-in user; the layout (not this area's)
// shows the token's subject without translate="no", so the check leaves it out.
var signedInAs = regexp.MustCompile(`<span>[^<]* · [^<]*</span>`)

func withoutUser(body string) string { return signedInAs.ReplaceAllString(body, "") }
