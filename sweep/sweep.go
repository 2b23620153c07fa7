// Package sweep does the housekeeping that no single request owns: it starts the workflows
// of claims whose API request died between storing them and starting their workflow, and
// it forgets old idempotency keys. Every step is idempotent, so every worker runs a sweeper
// and several may sweep at once.
package sweep

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Sweeper holds the sweep's dependencies and settings; zero settings take the defaults.
type Sweeper struct {
	Store    *store.Store
	Temporal client.Client
	Logger   *slog.Logger
	Every    time.Duration    // how often to sweep (1 minute)
	Stalled  time.Duration    // a claim submitted this long ago without a workflow has stalled (2 minutes)
	KeepKeys time.Duration    // answered idempotency keys are kept this long (24 hours)
	Now      func() time.Time // the clock (time.Now)
}

// Run sweeps until ctx ends.
func (s Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(or(s.Every, time.Minute))
	defer t.Stop()
	for {
		if err := s.Once(ctx); err != nil && ctx.Err() == nil {
			s.logger().Warn("sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once sweeps one time: stalled claims first, then old idempotency keys.
func (s Sweeper) Once(ctx context.Context) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	claims, err := s.Store.StalledClaims(ctx, now().Add(-or(s.Stalled, 2*time.Minute)), 100)
	if err != nil {
		return err
	}
	for _, c := range claims {
		s.restart(ctx, c)
	}
	n, err := s.Store.PurgeIdempotencyKeys(ctx, now().Add(-or(s.KeepKeys, 24*time.Hour)))
	if n > 0 {
		s.logger().Info("forgot old idempotency keys", "count", n)
	}
	return err
}

// restart starts a stalled claim's workflow as the API would have.
func (s Sweeper) restart(ctx context.Context, c claim.Claim) {
	_, err := start(ctx, s.Temporal, c)
	switch {
	case err == nil:
		s.logger().Warn("started the workflow of a stalled claim", "claim_id", c.ID, "submitted_at", c.CreatedAt)
	case apperr.Is(err, apperr.Conflict): // its workflow exists; its first step is on the way
	default:
		s.logger().Warn("start stalled claim", "claim_id", c.ID, "err", err)
	}
}

// start starts the workflow that carries c: a voucher ("vch_…") its voucher workflow,
// every other claim the claim workflow. Only applicants file claims and apply for vouchers,
// so the submitter is rebuilt from the claim itself.
func start(ctx context.Context, tc client.Client, c claim.Claim) (string, error) {
	by := access.Principal{Subject: c.SubmittedBy, Role: access.Applicant, CreditCode: c.CreditCode}
	if strings.HasPrefix(c.ID, contract.VoucherIDPrefix+"_") {
		return contract.StartVoucher(ctx, tc, contract.VoucherInput{VoucherID: c.ID, ProgramID: c.ProgramID,
			CreditCode: c.CreditCode, SubmittedBy: by, SubmittedAt: c.CreatedAt})
	}
	return contract.Start(ctx, tc, contract.Input{ClaimID: c.ID, ProgramID: c.ProgramID, Kind: c.Kind,
		CreditCode: c.CreditCode, SubmittedBy: by, Payload: c.Payload, SubmittedAt: c.CreatedAt})
}

func (s Sweeper) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
