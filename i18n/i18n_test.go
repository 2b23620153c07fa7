package i18n

import (
	"net/http/httptest"
	"testing"
)

func TestNegotiate(t *testing.T) {
	for h, want := range map[string]Lang{"": ZH, "en-US,en;q=0.9": EN, "zh-CN,zh;q=0.9,en;q=0.8": ZH,
		"fr-FR, en;q=0.5": EN, "de": ZH, "en;q=0.2, zh;q=0.7": ZH, "en;q=0": ZH, "en;q=abc": ZH} {
		if got := Negotiate(h); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", h, got, want)
		}
	}
	r := httptest.NewRequest("GET", "/ui/claims?lang=en", nil)
	r.Header.Set("Accept-Language", "zh-CN")
	if FromRequest(r) != EN {
		t.Error("the switch (?lang=en) must win over Accept-Language")
	}
}

func TestMessageTranslatesFormattedErrors(t *testing.T) {
	Register(map[string]string{
		"claim %s is not pending approval": "申请 %s 不在待审批状态",
		"must be at most %s":               "不得超过 %s",
		"amount":                           "金额",
		"pending approval":                 "待审批",
		"%s is %s":                         "%s 为 %s",
	})
	ResetMissing()
	if got := ZH.Message("claim clm_12 is not pending approval"); got != "申请 clm_12 不在待审批状态" {
		t.Errorf("got %q", got)
	}
	if got := ZH.Message("must be at most 50000.00"); got != "不得超过 50000.00" {
		t.Errorf("got %q", got)
	}
	if got := ZH.Message("amount: must be at most 9"); got != "金额：不得超过 9" {
		t.Errorf("wrapped: got %q", got)
	}
	if got := ZH.Message("amount is pending approval"); got != "金额 为 待审批" {
		t.Errorf("captured words are translated too: got %q", got)
	}
	if got := ZH.Message("amount is pending approval; lines[0].amount: must be at most 9"); got != "金额 为 待审批；lines[0].amount：不得超过 9" {
		t.Errorf("a list of messages with a field path: got %q", got)
	}
	if got := EN.Message("claim clm_12 is not pending approval"); got != "claim clm_12 is not pending approval" {
		t.Errorf("English is the source: got %q", got)
	}
	if m := Missing(); len(m) != 0 {
		t.Errorf("missing %v", m)
	}
	ZH.Message("nothing like this is registered")
	if m := Missing(); len(m) != 1 {
		t.Errorf("an unknown message must be noted as missing: %v", m)
	}
}
