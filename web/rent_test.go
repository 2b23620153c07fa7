package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// rentWorld adds a rent-waiver program to the shared world: its listed landlord (token
// "landlord"), a landlord of other premises (token "landlord2"), and the claim the filing
// subtest files through the page, which later subtests act on.
type rentWorld struct {
	*world
	program  string
	landlord string
	claim    string
}

// TestRentPages is its own environment: TestWeb's list of subtests lives in web_test.go.
func TestRentPages(t *testing.T) {
	w := &rentWorld{world: setup(t), landlord: apptest.MustCode("11540100MB0000001")}
	w.env.Token(t, "landlord", access.Principal{Subject: "landlord-zhou", Role: access.Landlord, CreditCode: w.landlord})
	w.env.Token(t, "landlord2", access.Principal{Subject: "landlord-qian", Role: access.Landlord,
		CreditCode: apptest.MustCode("11540100MB0000002")})
	// Chengguan (540102), where apptest.Lease's premises are, is a risk county: 6 months.
	w.program = w.env.RentProgram(t, "100000.00", map[string]any{
		"landlords": []string{w.landlord}, "risk_counties": []string{"540102"}})
	t.Run("applicants get the rent form, from the menu", w.testRentFormAccess)
	t.Run("applicant previews and files a lease and lands on its claim", w.testRentPreviewAndFile)
	t.Run("bad lease fields are shown beside their inputs and nothing is stored", w.testRentBadInput)
	t.Run("a landlord of other premises gets 404 on the claim", w.testRentOtherLandlord)
	t.Run("the landlord confirms with a refund through the claim page", w.testRentLandlordConfirms)
	t.Run("an administrator cancels a pending rent claim, with a note", w.testRentAdminCancels)
}

// rentForm opens the rent form for the world's program and fills it with lease.
func (w *rentWorld) rentForm(t *testing.T, b *browser, action string, lease map[string]any) url.Values {
	t.Helper()
	resp, body := b.get("/ui/rent/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	csrf, key := csrfField.FindStringSubmatch(body), formKeyField.FindStringSubmatch(body)
	if csrf == nil || key == nil {
		t.Fatalf("form lacks csrf or form_key:\n%s", body)
	}
	f := url.Values{"csrf": {csrf[1]}, "form_key": {key[1]}, "program_id": {w.program}, "action": {action}}
	for k, v := range lease {
		f.Set(k, v.(string))
	}
	return f
}

func (w *rentWorld) testRentFormAccess(t *testing.T) {
	b := w.signedIn(t, "applicant")
	_, body := b.get("/ui/claims")
	contains(t, body, `href="/ui/rent/new"`, "房租减免")
	resp, body := b.get("/ui/rent/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `value="`+w.program+`" selected>`, `name="monthly_rent"`, `name="lease_end"`,
		"试算", "提交")
	lacks(t, body, `<option value="`+w.world.program+`"`) // the freight program is not offered
	for _, who := range []string{"officer", "landlord", "admin"} {
		b := w.signedIn(t, who)
		_, body := b.get("/ui/claims")
		lacks(t, body, `href="/ui/rent/new"`)
		resp, body := b.get("/ui/rent/new")
		wantStatus(t, resp, body, http.StatusForbidden)
		resp, body = b.post("/ui/rent/new", url.Values{"csrf": {b.csrf("/ui/claims")}, "action": {"file"}})
		wantStatus(t, resp, body, http.StatusForbidden)
	}
}

func (w *rentWorld) testRentPreviewAndFile(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	lease := apptest.Lease("ZL-WEB-001", w.landlord, "3000.00")
	resp, body := b.post("/ui/rent/new", w.rentForm(t, b, "preview", lease))
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "符合", `id="preview-months-in-year">12<`, `id="preview-months-waived">6<`,
		`id="preview-waiver">18,000.00<`, `value="ZL-WEB-001"`, `value="3000.00"`)
	// A landlord not on the program's list: the refusal and its reason, nothing waived.
	other := apptest.Lease("ZL-WEB-002", apptest.MustCode("11540100MB0000002"), "3000.00")
	_, body = b.post("/ui/rent/new", w.rentForm(t, b, "preview", other))
	contains(t, body, "不符合", "<code>landlord_not_listed</code>", `id="preview-months-waived">0<`,
		`id="preview-waiver">0.00<`)
	if got := w.claimCount(t); got != before {
		t.Fatalf("a preview stored a claim: %d claims, had %d", got, before)
	}

	resp, _ = b.post("/ui/rent/new", w.rentForm(t, b, "file", lease))
	w.claim = filedID(t, resp)
	resp, body = b.get("/ui/claims/" + w.claim)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "已提交，待出租方确认", "ZL-WEB-001", w.landlord, "Beijing Middle Road 12, Lhasa", "540102",
		"3,000.00", "2022-07-01 – 2024-06-30", "房租减免")
	w.env.WaitStatus(t, w.claim, "pending_landlord", 30*time.Second)
	_, body = b.get("/ui/claims/" + w.claim)
	contains(t, body, ">待出租方确认<", "18,000.00")
	lacks(t, body, ">确认租赁事实<") // the tenant does not confirm its own lease
	if got := w.claimCount(t); got != before+1 {
		t.Fatalf("%d claims after filing one, had %d", got, before)
	}
}

func (w *rentWorld) testRentBadInput(t *testing.T) {
	b := w.signedIn(t, "applicant")
	before := w.claimCount(t)
	lease := apptest.Lease("", w.landlord, "12.345")
	for _, action := range []string{"preview", "file"} {
		resp, body := b.post("/ui/rent/new", w.rentForm(t, b, action, lease))
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		contains(t, body, `name="monthly_rent" value="12.345" aria-invalid="true"`, `id="err-monthly_rent"`,
			`name="contract_no" value="" aria-invalid="true"`, `id="err-contract_no"`,
			`value="Beijing Middle Road 12, Lhasa">`) // what was right is kept, unmarked
		lacks(t, body, "rent.lease.monthly_rent", "rent.lease.contract_no", `id="err-county"`, "preview-waiver")
	}
	if got := w.claimCount(t); got != before {
		t.Fatalf("refused forms stored claims: %d claims, had %d", got, before)
	}
}

func (w *rentWorld) testRentOtherLandlord(t *testing.T) {
	if w.claim == "" {
		t.Fatal("needs the claim filed through the page")
	}
	b := w.signedIn(t, "landlord2")
	page := "/ui/claims/" + w.claim
	resp, body := b.get(page)
	wantStatus(t, resp, body, http.StatusNotFound)
	lacks(t, body, "ZL-WEB-001", "18000.00")
	_, body = b.get("/ui/claims")
	lacks(t, body, w.claim)
	resp, body = b.post(page+"/confirm", url.Values{"csrf": {b.csrf("/ui/claims")}, "mode": {"offset"}})
	wantStatus(t, resp, body, http.StatusNotFound)
	if got := w.status(t, w.claim); got != "pending_landlord" {
		t.Fatalf("status = %s after another landlord's confirmation", got)
	}
}

func (w *rentWorld) testRentLandlordConfirms(t *testing.T) {
	if w.claim == "" {
		t.Fatal("needs the claim filed through the page")
	}
	b := w.signedIn(t, "landlord")
	_, body := b.get("/ui/claims")
	contains(t, body, w.claim)
	lacks(t, body, w.mine, w.theirs) // freight claims are no landlord's business
	page := "/ui/claims/" + w.claim
	resp, body := b.get(page)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, ">确认租赁事实<", ">提出异议<", "ZL-WEB-001")
	lacks(t, body, "/approve\"", ">撤销申请<")

	resp, _ = b.post(page+"/confirm", url.Values{"csrf": {b.csrf(page)}, "mode": {"refund"}})
	wantRedirect(t, resp, page)
	w.env.WaitStatus(t, w.claim, "pending_approval", 30*time.Second)
	_, body = b.get(page)
	contains(t, body, "已确认。", "出租方确认", "退还已付租金",
		"landlord-zhou", "待审批")
	lacks(t, body, ">确认租赁事实<", "出租方异议")
	c, err := w.env.Parts.Store.GetClaim(context.Background(), w.claim)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirmation == nil || c.Confirmation.Mode != "refund" || c.Confirmation.Party != w.landlord {
		t.Fatalf("stored confirmation = %+v, want a refund by %s", c.Confirmation, w.landlord)
	}
	// finance now sees what the landlord answered, and may approve
	_, body = w.signedIn(t, "officer").get(page)
	contains(t, body, "退还已付租金", ">批准<")
}

func (w *rentWorld) testRentAdminCancels(t *testing.T) {
	r := w.env.FileRent(t, "applicant", w.program, apptest.Lease("ZL-WEB-003", w.landlord, "1500.00"))
	if r.Status != http.StatusCreated {
		t.Fatalf("file rent claim: %d %s", r.Status, r.Body)
	}
	id := r.JSON["id"].(string)
	w.env.WaitStatus(t, id, "pending_landlord", 30*time.Second)
	b := w.signedIn(t, "admin")
	page := "/ui/claims/" + id
	_, body := b.get(page)
	contains(t, body, ">撤销申请<", `action="/ui/claims/`+id+`/cancel"`)

	resp, _ := b.post(page+"/cancel", url.Values{"csrf": {b.csrf(page)}, "note": {"  "}})
	wantRedirect(t, resp, page)
	_, body = b.get(page)
	contains(t, body, `class="flash error"`, "请填写撤销理由。")
	if got := w.status(t, id); got != "pending_landlord" {
		t.Fatalf("status = %s after a cancellation without a note", got)
	}

	resp, _ = b.post(page+"/cancel", url.Values{"csrf": {b.csrf(page)}, "note": {"lease registered twice"}})
	wantRedirect(t, resp, page)
	w.env.WaitStatus(t, id, "cancelled", 30*time.Second)
	_, body = b.get(page)
	contains(t, body, "已撤销。", "lease registered twice")
	lacks(t, body, ">撤销申请<")
	_, body = w.signedIn(t, "landlord").get(page)
	lacks(t, body, ">确认租赁事实<") // nothing left to confirm
}
