// Package filing opens claims: it gives a claim its id, stores it as submitted, starts its
// workflow, and undoes the store when the workflow cannot start, so a claim never exists
// without the process that carries it. The API files claims and applications through it;
// a workflow's activity can open claims through it too (a loan opening a period's claim).
package filing

import (
	"context"
	"crypto/rand"
	"log/slog"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
)

// Store is what filing needs of the store.
type Store interface {
	InsertClaim(ctx context.Context, c claim.Claim, m store.Meta) error
	DeleteClaim(ctx context.Context, id string, m store.Meta) error
	GetClaim(ctx context.Context, id string) (claim.Claim, error)
}

// Start starts the workflow that carries a stored claim. It must refuse a second start of
// the same claim and may report a start whose answer was lost as started (contract.Start).
type Start func(ctx context.Context, c claim.Claim) error

// Filer opens claims.
type Filer struct {
	Store Store
	Log   *slog.Logger
}

// File stores c as submitted by p and starts its workflow with start. When the workflow
// cannot start, the stored claim is removed again (its audit rows stay) and the caller may
// retry: Unavailable. It returns the claim as the store shows it afterwards; if that read
// fails the claim still runs, so the claim as filed is returned rather than an error that
// would make the client file it twice.
func (f *Filer) File(ctx context.Context, c claim.Claim, p access.Principal, start Start) (claim.Claim, error) {
	meta := store.Meta{Actor: p, WorkflowID: c.WorkflowID}
	if err := f.Store.InsertClaim(ctx, c, meta); err != nil {
		return claim.Claim{}, err
	}
	if err := start(ctx, c); err != nil {
		f.log().ErrorContext(ctx, "start workflow", "claim_id", c.ID, "workflow_id", c.WorkflowID, "err", err)
		// The compensation must run even when the caller has gone away.
		undo := context.WithoutCancel(ctx)
		if derr := f.Store.DeleteClaim(undo, c.ID, meta); derr != nil {
			f.log().ErrorContext(ctx, "remove claim whose workflow did not start", "claim_id", c.ID, "err", derr)
		}
		return claim.Claim{}, apperr.New(apperr.Unavailable, "the claim could not be started; nothing was filed, please retry")
	}
	fresh, err := f.Store.GetClaim(ctx, c.ID)
	if err != nil {
		f.log().WarnContext(ctx, "re-read new claim", "claim_id", c.ID, "err", err)
		return c, nil
	}
	return fresh, nil
}

func (f *Filer) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.Default()
}

// idAlphabet is lowercase RFC 4648 base32: unambiguous and safe in URLs.
const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// NewID returns prefix, "_" and 20 random base32 characters (100 bits): "clm_…" for a
// claim, "vch_…" for a voucher.
func NewID(prefix string) string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	for i := range b {
		b[i] = idAlphabet[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return prefix + "_" + string(b)
}
