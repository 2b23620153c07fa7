package contract

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/program"
)

// VoucherWorkflowType is the registered name of the voucher workflow: one per voucher, with
// the id WorkflowID gives a "vch_…" claim id, on TaskQueue like every claim.
const VoucherWorkflowType = "VoucherWorkflow"

// Updates a voucher takes beyond the shared decisions (approve, reject, request-info,
// respond, withdraw, cancel). Their refusals carry the same error types.
const (
	// UpdateRedeem records the purchase the voucher pays for; Decision.Payload is the
	// redemption ({"redemption": {...}}) as the API validated it.
	UpdateRedeem = "redeem"
	// UpdateConfirmDelivery confirms that the redeemed service was delivered: the holder, or
	// the provider named in the redemption.
	UpdateConfirmDelivery = "confirm-delivery"
	// UpdateReturn gives an unused voucher back; its face value goes back to the budget.
	UpdateReturn = "return"
)

// VoucherInput starts a voucher workflow. The API has already stored the voucher as a
// submitted claim of kind voucher; what the holder buys is not known until it redeems.
type VoucherInput struct {
	VoucherID   string           `json:"voucher_id"`
	ProgramID   string           `json:"program_id"`
	CreditCode  string           `json:"credit_code"`
	SubmittedBy access.Principal `json:"submitted_by"`
	SubmittedAt time.Time        `json:"submitted_at"`
}

// ClaimInput is the voucher as the shared claim phases see it: a claim of kind voucher with
// no payload yet.
func (in VoucherInput) ClaimInput() Input {
	return Input{ClaimID: in.VoucherID, ProgramID: in.ProgramID, Kind: program.Voucher,
		CreditCode: in.CreditCode, SubmittedBy: in.SubmittedBy, SubmittedAt: in.SubmittedAt}
}

// StartVoucher starts the workflow of a stored voucher. Like Start, a second start of the
// same voucher is refused (Conflict), so a voucher can never run twice.
func StartVoucher(ctx context.Context, c client.Client, in VoucherInput) (runID string, err error) {
	return start(ctx, c, in.VoucherID, VoucherWorkflowType, in)
}
