package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Snapshot freezes the enterprise and program a claim is judged on.
func (a *Activities) Snapshot(ctx context.Context, in contract.Input) (Snapshot, error) {
	ent, err := a.Store.GetEnterprise(ctx, in.CreditCode)
	if err != nil {
		return Snapshot{}, refusal(err, ErrTypeNotRegistered)
	}
	prg, err := a.Store.GetProgram(ctx, in.ProgramID)
	if err != nil {
		return Snapshot{}, refusal(err, ErrTypeProgramGone)
	}
	if prg.Kind != in.Kind {
		return Snapshot{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("program %s takes %s claims, not %s", prg.ID, prg.Kind, in.Kind), ErrTypeKindMismatch, nil)
	}
	return Snapshot{Enterprise: ent, Program: prg, TakenAt: a.now().UTC()}, nil
}

// Assess judges a claim's lines under its program kind's rules and calculates the amount.
// Evidence of eligible lines is registered here, so a second claim on the same evidence is
// refused with the first claim's id; when nothing is eligible it is given back at once.
func (a *Activities) Assess(ctx context.Context, in AssessInput) (AssessOutput, error) {
	rules, err := registry.Must(in.Snapshot.Program.Kind)
	if err != nil {
		return AssessOutput{}, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotImplemented, nil)
	}
	kin := kind.Input{Program: in.Snapshot.Program, Enterprise: in.Snapshot.Enterprise, Payload: in.Payload}
	out, err := rules.Assess(kin, func(items []claim.Evidence) (map[int]string, error) {
		return a.Store.ClaimEvidence(ctx, in.ClaimID, items)
	})
	out = kind.Storable(out)
	var bad *kind.PayloadError
	if errors.As(err, &bad) {
		return AssessOutput{}, temporal.NewNonRetryableApplicationError(bad.Error(), ErrTypeUndecodable, nil)
	}
	if err != nil {
		return AssessOutput{}, fmt.Errorf("assess: %w", err)
	}
	if !out.Assessment.Eligible() {
		// Nothing will be paid: give the evidence back so a corrected claim can use it.
		if err := a.Store.ReleaseEvidence(ctx, in.ClaimID); err != nil {
			return AssessOutput{}, err
		}
	}
	limit := out.Cap
	if !out.HasCap() {
		limit = store.NoCap
	}
	res := AssessOutput{Assessment: out.Assessment, Cap: limit, Payee: out.Payee, NoPayment: out.NoPayment,
		Confirm: out.Confirm}
	if out.Payee != "" && out.Payee != in.Snapshot.Enterprise.CreditCode && !out.NoPayment && out.Assessment.Eligible() {
		// Another party is paid: freeze its account with the claim, so finance approves
		// that account and the payment goes nowhere else.
		payee, err := a.Store.GetEnterprise(ctx, out.Payee)
		switch {
		case err == nil:
			res.PayeeRecord = &payee
		case apperr.Is(err, apperr.NotFound):
			// Not registered: nothing to bind; the payment step refuses to pay it.
		default:
			return AssessOutput{}, err
		}
	}
	return res, nil
}

// Record writes one step of a claim to the read model and the audit log. The store applies
// a step only once, so a retry after a lost reply changes nothing.
func (a *Activities) Record(ctx context.Context, ch Change) error {
	sc := store.ClaimChange{
		ID: ch.ClaimID, Step: ch.Step, Status: ch.Status, Action: ch.Action,
		Amount: ch.Amount, Assessment: ch.Assessment, Escalated: ch.Escalated,
		InfoRequest: ch.InfoRequest, InfoResponse: ch.InfoResponse,
		ReasonText: ch.ReasonText, RunID: &ch.Meta.RunID,
		Parties: ch.Parties, Payload: ch.Payload,
	}
	if ch.Reason != nil {
		r := string(*ch.Reason)
		sc.Reason = &r
	}
	sc.Approvals = ch.Approvals
	sc.Parties = ch.Parties
	var err error
	if sc.Snapshot, err = rawJSON(ch.Snapshot); err != nil {
		return err
	}
	if sc.Payment, err = rawJSON(ch.Payment); err != nil {
		return err
	}
	if sc.Confirmation, err = rawJSON(ch.Confirmation); err != nil {
		return err
	}
	if ch.Details != nil {
		if sc.Details, err = json.Marshal(ch.Details); err != nil {
			return err
		}
	}
	applied, err := a.Store.ApplyClaimChange(ctx, sc, a.storeMeta(ch.Meta))
	if err == nil && !applied {
		activity.GetLogger(ctx).Info("step already recorded", "claim_id", ch.ClaimID, "step", ch.Step)
	}
	if err == nil && applied && ch.Status == claim.Approved {
		a.observeApproval(ctx, ch.ClaimID)
	}
	return err
}

// observeApproval measures how long the claim waited from filing to its final approval
// (the step is applied once, so a retried activity does not count it twice).
func (a *Activities) observeApproval(ctx context.Context, claimID string) {
	if a.Metrics == nil {
		return
	}
	c, err := a.Store.GetClaim(ctx, claimID)
	if err != nil {
		return // a metric is not worth failing a recorded step for
	}
	a.Metrics.Approved(string(c.Kind), a.now().Sub(c.CreatedAt))
}

func rawJSON[T any](v *T) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

func (a *Activities) storeMeta(m Meta) store.Meta {
	return store.Meta{Actor: m.Actor, WorkflowID: m.WorkflowID, RunID: m.RunID}
}
