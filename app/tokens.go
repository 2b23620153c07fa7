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
	env string
	p   access.Principal
}{
	{"ADMIN_TOKEN", access.Principal{Subject: "demo-admin", Role: access.Admin}},
	{"APPLICANT_TOKEN", access.Principal{Subject: "demo-applicant", Role: access.Applicant, CreditCode: DemoCreditCode}},
	{"OFFICER_TOKEN", access.Principal{Subject: "demo-officer", Role: access.FinanceOfficer}},
	{"SUPERVISOR_TOKEN", access.Principal{Subject: "demo-supervisor", Role: access.FinanceSupervisor}},
	{"AUDITOR_TOKEN", access.Principal{Subject: "demo-auditor", Role: access.Auditor}},
}

// printDemoTokens creates a fresh token per demo role, prints them and writes them to
// DataDir/demo-tokens.env so the README's walk-through can `source` them.
func printDemoTokens(ctx context.Context, st *store.Store, dataDir string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "export CREDIT_CODE=%s\n", DemoCreditCode)
	for _, d := range demoPrincipals {
		tok, err := st.CreateToken(ctx, d.p)
		if err != nil {
			return fmt.Errorf("demo token: %w", err)
		}
		fmt.Fprintf(&b, "export %s=%s\n", d.env, tok)
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dataDir, "demo-tokens.env")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return err
	}
	fmt.Printf("\nDemo tokens (also in %s; run `source %s`):\n%s\n", path, path, b.String())
	return nil
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
	return printDemoTokens(ctx, st, cfg.DataDir)
}
