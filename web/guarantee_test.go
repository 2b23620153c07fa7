package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/store"
)

// guaranteeWorld adds a guarantee-fee program to a world of its own, with a guarantee
// institution (token "institution") listed by the program.
type guaranteeWorld struct {
	*world
	program     string
	institution string
}

func TestGuaranteePages(t *testing.T) {
	w := &guaranteeWorld{world: setup(t), institution: apptest.MustCode("91540100MA6T00005")}
	w.env.Enterprise(t, w.institution, "6222000011110101") // the institution is paid: registered with an account
	w.env.Token(t, "institution", access.Principal{Subject: "inst_ma", Role: access.Institution, CreditCode: w.institution})
	w.program = w.env.GuaranteeProgram(t, "1000000.00", w.institution, nil)
	t.Run("institutions get the guarantee form, from the menu; applicants get 403", w.testGuaranteeAccess)
	t.Run("institution previews and files two contracts and lands on its claim", w.testGuaranteePreviewAndFile)
	t.Run("a bad fee rate is shown beside its input and nothing is stored", w.testGuaranteeBadInput)
}

// guaranteeForm opens the form for the world's program and fills its rows with contracts.
func (w *guaranteeWorld) guaranteeForm(t *testing.T, b *browser, action string, contracts ...map[string]any) url.Values {
	t.Helper()
	resp, body := b.get("/ui/guarantee/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	csrf, key := csrfField.FindStringSubmatch(body), formKeyField.FindStringSubmatch(body)
	if csrf == nil || key == nil {
		t.Fatalf("form lacks csrf or form_key:\n%s", body)
	}
	f := url.Values{"csrf": {csrf[1]}, "form_key": {key[1]}, "program_id": {w.program}, "action": {action}}
	for i, c := range contracts {
		n := "_" + string(rune('1'+i))
		for k, v := range c {
			switch v := v.(type) {
			case string:
				f.Set(k+n, v)
			case bool:
				if v {
					f.Set(k+n, "true")
				}
			}
		}
	}
	return f
}

// institutionClaims counts the institution's stored claims.
func (w *guaranteeWorld) institutionClaims(t *testing.T) int {
	t.Helper()
	cs, _, err := w.env.Parts.Store.ListClaims(context.Background(),
		store.ClaimFilter{CreditCode: w.institution, Limit: store.MaxClaimLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

func (w *guaranteeWorld) contracts() []map[string]any {
	dear := apptest.Guarantee("G-WEB-2", w.env.OtherCode, "small")
	dear["fee_rate"] = "0.012"
	return []map[string]any{apptest.Guarantee("G-WEB-1", w.env.CreditCode, "medium"), dear}
}

func (w *guaranteeWorld) testGuaranteeAccess(t *testing.T) {
	b := w.signedIn(t, "institution")
	_, body := b.get("/ui/claims")
	contains(t, body, `href="/ui/guarantee/new"`, "担保费补贴")
	resp, body := b.get("/ui/guarantee/new?program=" + w.program)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, `value="`+w.program+`" selected>`, `name="fee_rate_5"`, `name="counter_guarantee_1"`,
		`name="borrower_size_class_1"`, "试算", "提交")
	lacks(t, body, `<option value="`+w.world.program+`"`) // the freight program is not offered
	for _, who := range []string{"applicant", "officer"} {
		b := w.signedIn(t, who)
		_, body := b.get("/ui/claims")
		lacks(t, body, `href="/ui/guarantee/new"`)
		resp, body := b.get("/ui/guarantee/new")
		wantStatus(t, resp, body, http.StatusForbidden)
		resp, body = b.post("/ui/guarantee/new", url.Values{"csrf": {b.csrf("/ui/claims")}, "action": {"file"}})
		wantStatus(t, resp, body, http.StatusForbidden)
	}
}

func (w *guaranteeWorld) testGuaranteePreviewAndFile(t *testing.T) {
	b := w.signedIn(t, "institution")
	before := w.institutionClaims(t)
	form := w.guaranteeForm(t, b, "preview", w.contracts()...)
	i18n.ResetMissing() // only this page's texts count (the claim pages are another area)
	resp, body := b.post("/ui/guarantee/new", form)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "试算", "符合", "registry says small, claim says medium",
		"不符合", "<code>fee_rate_above_max</code>", `id="preview-amount">5,000.00<`, "未封顶",
		`value="G-WEB-1"`, `value="0.012"`, `<option value="medium" selected>`)
	assertChinese(t, "/ui/guarantee/new (preview)", body)
	if got := w.institutionClaims(t); got != before {
		t.Fatalf("a preview stored a claim: %d claims, had %d", got, before)
	}

	resp, _ = b.post("/ui/guarantee/new", w.guaranteeForm(t, b, "file", w.contracts()...))
	id := filedID(t, resp)
	resp, body = b.get("/ui/claims/" + id)
	wantStatus(t, resp, body, http.StatusOK)
	contains(t, body, "担保费补贴申请已提交", "担保费补贴", "G-WEB-1", "G-WEB-2",
		w.env.CreditCode, w.env.OtherCode, "0.012", "8,000.00", "1,000,000.00")
	w.env.WaitStatus(t, id, "pending_approval", 30*time.Second)
	_, body = b.get("/ui/claims/" + id)
	contains(t, body, "medium / small", "registry says small, claim says medium", "fee_rate_above_max", "5,000.00")
	if got := w.institutionClaims(t); got != before+1 {
		t.Fatalf("%d claims after filing one, had %d", got, before)
	}
}

func (w *guaranteeWorld) testGuaranteeBadInput(t *testing.T) {
	b := w.signedIn(t, "institution")
	before := w.institutionClaims(t)
	bad := apptest.Guarantee("G-WEB-3", w.env.CreditCode, "small")
	bad["fee_rate"] = "abc"
	for _, action := range []string{"preview", "file"} {
		form := w.guaranteeForm(t, b, action, bad)
		i18n.ResetMissing()
		resp, body := b.post("/ui/guarantee/new", form)
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		contains(t, body, `name="fee_rate_1" value="abc" aria-label="第 1 行 担保费率" aria-invalid="true"`,
			`id="err-fee_rate_1"`, `value="G-WEB-3" aria-label="第 1 行 合同编号">`) // what was right is kept, unmarked
		lacks(t, body, "guarantee.contracts[0].fee_rate", `id="err-contract_no_1"`, "preview-amount")
		assertChinese(t, "/ui/guarantee/new (refused)", body)
	}
	if got := w.institutionClaims(t); got != before {
		t.Fatalf("refused forms stored claims: %d claims, had %d", got, before)
	}
}
