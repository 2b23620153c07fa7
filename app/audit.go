package app

import (
	"context"
	"fmt"

	"github.com/subsidyflow/subsidyflow/checkpoint"
	"github.com/subsidyflow/subsidyflow/store"
)

// AuditPublicKey is `subsidyflow audit public-key`: the public half of AUDIT_SIGNING_KEY,
// to hand to the auditors.
func AuditPublicKey(cfg Config) (string, error) {
	key, err := checkpoint.ParseKey(cfg.AuditSigningKey)
	if err != nil {
		return "", fmt.Errorf("AUDIT_SIGNING_KEY: %w", err)
	}
	return checkpoint.PublicKeyString(key), nil
}

// VerifyAudit is `subsidyflow audit verify`: an auditor's check of the chain against their
// own copy of the checkpoints (a JSON Lines file as GET /v1/audit/checkpoints lists them)
// with the public key alone. It reads the log through APP_DATABASE_URL.
func VerifyAudit(ctx context.Context, cfg Config, publicKey, checkpointFile string) (store.AuditReport, error) {
	pub, err := checkpoint.ParsePublicKey(publicKey)
	if err != nil {
		return store.AuditReport{}, fmt.Errorf("--public-key: %w", err)
	}
	list, err := checkpoint.File{Path: checkpointFile}.ReadAll()
	if err != nil {
		return store.AuditReport{}, err
	}
	if len(list) == 0 {
		return store.AuditReport{}, fmt.Errorf("no checkpoints in %s", checkpointFile)
	}
	st, err := store.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return store.AuditReport{}, err
	}
	defer st.Close()
	return checkpoint.VerifyWith(ctx, st, pub, list)
}
