package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/store"
)

// assessFreight applies the freight rules, registering the evidence (waybills, invoices) of
// the eligible lines as it goes so that a line whose evidence another claim holds is
// refused. The yearly cap is applied by the ledger when money is reserved.
func (a *Activities) assessFreight(ctx context.Context, in AssessInput) (AssessOutput, error) {
	ent := in.Snapshot.Enterprise
	c, err := freight.ClaimOf(in.Snapshot.Program, freight.Applicant{Industry: ent.Industry, Region: ent.Region}, in.Payload)
	if err != nil {
		return AssessOutput{}, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotFound, nil)
	}
	as, err := c.Assess(func(items []freight.LineEvidence) (map[int]string, error) {
		return a.Store.ClaimEvidence(ctx, in.ClaimID, store.FreightEvidence(items))
	})
	if err != nil {
		return AssessOutput{}, fmt.Errorf("register evidence: %w", err)
	}
	if !as.Eligible() {
		// Nothing will be paid: give the evidence back so a corrected claim can use it.
		if err := a.Store.ReleaseEvidence(ctx, in.ClaimID); err != nil {
			return AssessOutput{}, err
		}
	}
	return AssessOutput{Assessment: as, Cap: c.Params.YearlyCap}, nil
}
