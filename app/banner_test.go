package app

import (
	"strings"
	"testing"
)

func TestDevBannerShowsTheConsoleAndATokenPerRole(t *testing.T) {
	cfg := Config{HTTPAddr: ":8080", UIPort: 8233, UIURL: "http://localhost:8233", DataDir: ".data"}
	var tokens []demoToken
	for i, d := range demoPrincipals {
		tokens = append(tokens, demoToken{env: d.env, label: d.label, token: "tok" + string(rune('A'+i))})
	}
	b := devBanner(cfg, tokens)
	for _, want := range []string{
		"http://localhost:8080/ui/", "http://localhost:8080/v1/", "http://localhost:8233",
		"administrator", "applicant (enterprise " + DemoCreditCode + ")", "finance officer",
		"finance supervisor", "auditor", "tokA", "tokE", "source .data/demo-tokens.env",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("banner lacks %q:\n%s", want, b)
		}
	}
	t.Log(b)
}
