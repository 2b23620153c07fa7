// Command subsidyflow is the one binary of subsidyflow:
//
//	subsidyflow dev       everything in one process (embedded Temporal, worker, API on :8080)
//	subsidyflow api       the HTTP API, against TEMPORAL_ADDRESS
//	subsidyflow worker    the claim worker, against TEMPORAL_ADDRESS
//	subsidyflow migrate   create the database if missing and apply migrations
//	subsidyflow namespace register TEMPORAL_NAMESPACE on the cluster if missing
//	subsidyflow token create --role ROLE --subject SUBJECT [--credit-code CODE]
//	subsidyflow token revoke TOKEN
//	subsidyflow audit public-key
//	subsidyflow audit verify --public-key KEY [--checkpoints FILE]
//
// Configuration comes from the environment (see README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/subsidyflow/subsidyflow/app"
)

const usage = `usage: subsidyflow <command>

commands:
  dev       run everything in one process (embedded Temporal, worker, API);
            only in builds with -tags devserver (make dev)
  api       run the HTTP API against TEMPORAL_ADDRESS
  worker    run the claim worker against TEMPORAL_ADDRESS
  migrate   create the database if missing and apply migrations
  namespace register TEMPORAL_NAMESPACE on the cluster at TEMPORAL_ADDRESS if
            missing, keeping closed histories TEMPORAL_NAMESPACE_RETENTION (2160h)
  probe URL exit 0 when URL answers 200 (a container healthcheck, e.g.
            subsidyflow probe http://127.0.0.1:8080/readyz)
  token create --role ROLE --subject SUBJECT [--credit-code CODE]
            create an API token (roles: admin, applicant, finance_officer,
            finance_supervisor, auditor, landlord, provider, institution,
            lender; the last five act for a credit code: --credit-code)
  token demo
            mint one demo token per role into DATA_DIR/demo-tokens.env (a
            local cluster's walk-through; not for production)
  token revoke TOKEN
            revoke a token at once (it is refused from the next request on)
  audit public-key
            print the public key of AUDIT_SIGNING_KEY, for the auditors
  audit verify --public-key KEY [--checkpoints FILE]
            check the audit chain against the signed checkpoints in FILE
            (default AUDIT_CHECKPOINT_FILE) with the public key alone
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "subsidyflow:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command")
	}
	cfg, err := app.FromEnv()
	if err != nil {
		return err
	}
	logger := cfg.Logger(args[0]) // JSON lines, text in dev (LOG_FORMAT, LOG_LEVEL)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "dev":
		return app.Dev(ctx, cfg, logger)
	case "api":
		return app.API(ctx, cfg, logger)
	case "worker":
		return app.Worker(ctx, cfg, logger)
	case "migrate":
		if err := app.Migrate(ctx, cfg); err != nil {
			return err
		}
		fmt.Println("migrations applied")
		return nil
	case "namespace":
		created, err := app.RegisterNamespace(ctx, cfg, logger)
		if err != nil {
			return err
		}
		if created {
			fmt.Printf("namespace %s registered (retention %s)\n", cfg.Namespace, cfg.NamespaceRetention)
		} else {
			fmt.Printf("namespace %s already registered\n", cfg.Namespace)
		}
		return nil
	case "probe":
		// A healthcheck for images without a shell or curl (distroless).
		if len(args) != 2 {
			return errors.New("usage: subsidyflow probe URL")
		}
		return probe(ctx, args[1])
	case "token":
		return tokenCmd(ctx, cfg, args[1:])
	case "audit":
		return auditCmd(ctx, cfg, args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func tokenCmd(ctx context.Context, cfg app.Config, args []string) error {
	if len(args) == 1 && args[0] == "demo" {
		return app.DemoTokens(ctx, cfg)
	}
	if len(args) == 2 && args[0] == "revoke" {
		if err := app.RevokeToken(ctx, cfg, args[1]); err != nil {
			return err
		}
		fmt.Println("revoked")
		return nil
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: subsidyflow token create --role ROLE --subject SUBJECT [--credit-code CODE] | token revoke TOKEN")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	role := fs.String("role", "", "admin, applicant, finance_officer, finance_supervisor, auditor, landlord, provider, institution or lender")
	subject := fs.String("subject", "", "who holds the token (a person's or system's stable name)")
	code := fs.String("credit-code", "", "the credit code an applicant, landlord, provider, institution or lender acts for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	tok, err := app.CreateToken(ctx, cfg, *role, *subject, *code)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

func auditCmd(ctx context.Context, cfg app.Config, args []string) error {
	if len(args) == 1 && args[0] == "public-key" {
		key, err := app.AuditPublicKey(cfg)
		if err != nil {
			return err
		}
		fmt.Println(key)
		return nil
	}
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: subsidyflow audit public-key | audit verify --public-key KEY [--checkpoints FILE]")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	pub := fs.String("public-key", "", "the base64 Ed25519 public key the checkpoints are signed with")
	file := fs.String("checkpoints", cfg.CheckpointFile, "the checkpoints, one JSON object a line")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	rep, err := app.VerifyAudit(ctx, cfg, *pub, *file)
	if err != nil {
		return err
	}
	out, _ := json.MarshalIndent(rep, "", "  ")
	fmt.Println(string(out))
	if !rep.OK {
		return errors.New("the audit log does not verify")
	}
	return nil
}
