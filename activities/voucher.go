package activities

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/voucher"
)

// ErrTypeShrinkRefused is a reservation that cannot be lowered to the amount asked (it is
// not held, or holds less): retrying would never succeed, so the workflow fails loudly.
const ErrTypeShrinkRefused = "ShrinkRefused"

// JudgeInput asks whether the enterprise of a voucher's snapshot may hold one.
type JudgeInput struct {
	Snapshot Snapshot `json:"snapshot"`
}

// JudgeOutput is the decision on an application and what the voucher's workflow needs of
// the program's parameters (face value, validity, delivery days, payee). Reason is empty
// when the applicant may hold a voucher.
type JudgeOutput struct {
	Reason claim.Reason    `json:"reason,omitempty"`
	Text   string          `json:"text"`
	Params voucher.Params  `json:"params"`
	Cap    decimal.Decimal `json:"cap"` // none: the face value bounds the voucher
}

// JudgeApplication decides a voucher application on the frozen snapshot. The parameters
// are decoded here, outside the workflow, so a program whose parameters no longer decode
// is a decision (Undecodable) rather than a stuck workflow.
func (a *Activities) JudgeApplication(ctx context.Context, in JudgeInput) (JudgeOutput, error) {
	prg := in.Snapshot.Program
	var p voucher.Params
	if err := json.Unmarshal(prg.Params, &p); err != nil {
		return JudgeOutput{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("parameters of program %s: %v", prg.ID, err), ErrTypeUndecodable, nil)
	}
	if errs := p.Validate(); errs != nil {
		return JudgeOutput{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("parameters of program %s are not usable: %v", prg.ID, errs), ErrTypeUndecodable, nil)
	}
	reason, text := voucher.JudgeApplication(voucher.ScopeOf(prg), p, voucher.ApplicantOf(in.Snapshot.Enterprise))
	return JudgeOutput{Reason: reason, Text: text, Params: p, Cap: store.NoCap}, nil
}

// ShrinkInput lowers a claim's reservation to Amount.
type ShrinkInput struct {
	ClaimID string          `json:"claim_id"`
	Amount  decimal.Decimal `json:"amount"`
	Meta    Meta            `json:"meta"`
}

// Shrink lowers a reservation (a redeemed voucher keeps only its subsidy) and lets the
// budget queue use what it gave back; the claims it now covers are told at once.
func (a *Activities) Shrink(ctx context.Context, in ShrinkInput) error {
	allocated, err := a.Store.Shrink(ctx, in.ClaimID, in.Amount, a.storeMeta(in.Meta))
	if apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeShrinkRefused, nil)
	}
	if err != nil {
		return err
	}
	a.nudge(ctx, allocated)
	return nil
}
