// Package activities holds the claim workflow's side effects: reading the registry,
// assessing lines, moving money in the ledger, writing the read model and audit log, and
// talking to the bank. Each method is idempotent, because Temporal may run it more than once.
package activities

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/metrics"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Activities holds what the activities need; the worker registers one instance.
type Activities struct {
	Store    *store.Store
	Bank     bank.Bank
	Temporal client.Client // signals claims the budget queue allocated money to
	Logger   *slog.Logger
	Metrics  *metrics.Metrics // nil: nothing is measured
	Now      func() time.Time
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Activities) log() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// refusal turns a missing record into a non-retryable failure of the given type, which the
// workflow turns into a decision instead of retrying; other errors are retried.
func refusal(err error, errType string) error {
	var e *apperr.Error
	if apperr.Is(err, apperr.NotFound) && errors.As(err, &e) {
		return temporal.NewNonRetryableApplicationError(e.Message, errType, nil)
	}
	return err
}

// nudge signals the workflows of claims the ledger just allocated money to. A lost signal
// only delays a claim until its next poll, so failures are logged, not returned.
func (a *Activities) nudge(ctx context.Context, claimIDs []string) {
	for _, id := range claimIDs {
		err := a.Temporal.SignalWorkflow(ctx, contract.WorkflowID(id), "", contract.SignalBudget, nil)
		if err != nil {
			a.log().Warn("signal budget-allocated failed", "claim_id", id, "err", err)
		}
	}
}
