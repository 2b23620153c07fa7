package activities

import (
	"context"

	"github.com/subsidyflow/subsidyflow/store"
)

// Reserve asks the ledger to hold the claim's amount, limited by the enterprise's yearly
// cap; when the budget cannot cover it the claim joins the program's FIFO queue.
func (a *Activities) Reserve(ctx context.Context, in ReserveInput) (ReserveOutcome, error) {
	res, err := a.Store.Reserve(ctx, store.ReserveRequest{
		ProgramID: in.ProgramID, ClaimID: in.ClaimID, CreditCode: in.CreditCode,
		Requested: in.Requested, Cap: in.Cap, Meta: a.storeMeta(in.Meta),
	})
	if err != nil {
		return ReserveOutcome{}, err
	}
	out := ReserveOutcome{Amount: res.Amount, Capped: res.Capped, Position: res.Position}
	switch res.Outcome {
	case store.Reserved:
		out.Outcome = OutcomeReserved
	case store.Waiting:
		out.Outcome = OutcomeWaiting
	default:
		out.Outcome = OutcomeCapExhausted
	}
	return out, nil
}

// Release gives back whatever the claim holds: its reservation (or its place in the
// queue) and its evidence. Claims the freed money now covers are told at once.
func (a *Activities) Release(ctx context.Context, ref ClaimRef) error {
	allocated, err := a.Store.Release(ctx, ref.ClaimID, a.storeMeta(ref.Meta))
	if err != nil {
		return err
	}
	a.nudge(ctx, allocated)
	return nil
}

// Commit turns the claim's reservation into a payment and its evidence into paid evidence.
func (a *Activities) Commit(ctx context.Context, ref ClaimRef) error {
	return a.Store.Commit(ctx, ref.ClaimID, a.storeMeta(ref.Meta))
}
