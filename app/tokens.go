package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/store"
)

// DemoCreditCode is the enterprise the demo applicant token acts for (a valid GB 32100 code;
// the README's walk-through registers it).
const DemoCreditCode = "91540100MA6T000019"

// demoPrincipals are the people `make dev` hands tokens to, one per role.
var demoPrincipals = []struct {
	env   string
	label string // for the dev banner
	p     access.Principal
}{
	{"ADMIN_TOKEN", "administrator", access.Principal{Subject: "demo-admin", Role: access.Admin}},
	{"APPLICANT_TOKEN", "applicant (enterprise " + DemoCreditCode + ")", access.Principal{Subject: "demo-applicant", Role: access.Applicant, CreditCode: DemoCreditCode}},
	{"OFFICER_TOKEN", "finance officer", access.Principal{Subject: "demo-officer", Role: access.FinanceOfficer}},
	{"SUPERVISOR_TOKEN", "finance supervisor", access.Principal{Subject: "demo-supervisor", Role: access.FinanceSupervisor}},
	{"AUDITOR_TOKEN", "auditor", access.Principal{Subject: "demo-auditor", Role: access.Auditor}},
}

// demoToken is one minted demo token, for the banner.
type demoToken struct{ env, label, token string }

// printDemoTokens creates a fresh token per demo role, writes them to
// DataDir/demo-tokens.env so the README's walk-through can `source` them, and prints them
// as that file reads when print (dev prints its banner instead, once the port is bound).
func printDemoTokens(ctx context.Context, st *store.Store, dataDir string, print bool) ([]demoToken, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "export CREDIT_CODE=%s\n", DemoCreditCode)
	var out []demoToken
	for _, d := range demoPrincipals {
		tok, err := st.CreateToken(ctx, d.p)
		if err != nil {
			return nil, fmt.Errorf("demo token: %w", err)
		}
		fmt.Fprintf(&b, "export %s=%s\n", d.env, tok)
		out = append(out, demoToken{env: d.env, label: d.label, token: tok})
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	path := demoTokensPath(dataDir)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return nil, err
	}
	if print {
		fmt.Printf("\nDemo tokens (also in %s; run `source %s`):\n%s\n", path, path, b.String())
	}
	return out, nil
}

func demoTokensPath(dataDir string) string { return filepath.Join(dataDir, "demo-tokens.env") }

// devBanner is what `make dev` prints once the HTTP port is bound: where the console is and
// which token signs in as which role, set apart from the log lines around it.
func devBanner(cfg Config, tokens []demoToken) string {
	base := "http://localhost" + portOf(cfg.HTTPAddr)
	rule := strings.Repeat("=", 78)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n  subsidyflow is ready\n\n", rule)
	fmt.Fprintf(&b, "  Console:      %s/ui/   (Chinese; add ?lang=en for English)\n", base)
	fmt.Fprintf(&b, "  API:          %s/v1/\n", base)
	if cfg.UIPort != 0 {
		fmt.Fprintf(&b, "  Temporal UI:  %s\n", cfg.UIURL)
	}
	fmt.Fprintf(&b, "\n  Sign in to the console with one of these tokens (one per role):\n")
	for _, t := range tokens {
		fmt.Fprintf(&b, "    %-46s %s\n", t.label, t.token)
	}
	path := demoTokensPath(cfg.DataDir)
	fmt.Fprintf(&b, "\n  For curl: source %s   (ADMIN_TOKEN, APPLICANT_TOKEN, …)\n%s\n\n", path, rule)
	return b.String()
}

// CreateToken is `subsidyflow token create`.
func CreateToken(ctx context.Context, cfg Config, role, subject, creditCode string) (string, error) {
	r, err := access.ParseRole(role)
	if err != nil {
		return "", err
	}
	if subject == "" {
		return "", fmt.Errorf("--subject is required")
	}
	if r.IsParty() != (creditCode != "") {
		return "", fmt.Errorf("--credit-code is required for applicants, landlords, providers, institutions and lenders, and only for them")
	}
	st, err := store.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return "", err
	}
	defer st.Close()
	return st.CreateToken(ctx, access.Principal{Subject: subject, Role: r, CreditCode: creditCode})
}

// RevokeToken is `subsidyflow token revoke`.
func RevokeToken(ctx context.Context, cfg Config, token string) error {
	st, err := store.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.RevokeToken(ctx, token)
}

// DemoTokens is `subsidyflow token demo`: the tokens `dev` prints, for a local cluster
// (make migrate runs it after make cluster), written to DataDir/demo-tokens.env so the
// README's walk-through runs unchanged. Not for production: it mints one token per role.
func DemoTokens(ctx context.Context, cfg Config) error {
	if err := Migrate(ctx, cfg); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = printDemoTokens(ctx, st, cfg.DataDir, true)
	return err
}
