package api

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// approvalStateView is the four-eyes state of a calculated claim: whether its amount needs a
// second approval by a supervisor (at or above the program's threshold as frozen on the
// claim), who approved so far and which approval the claim awaits ("first", "second", or
// null when it awaits none).
type approvalStateView struct {
	FourEyes  bool             `json:"four_eyes"`
	Threshold *string          `json:"threshold"`
	Approvals []approvalByView `json:"approvals"`
	Awaiting  *string          `json:"awaiting"`
}

type approvalByView struct {
	By string `json:"by"`
	At string `json:"at"`
}

// thresholdOf is the four-eyes threshold frozen in the claim's snapshot (zero before the
// claim was validated, or when the program has none).
func thresholdOf(c claim.Claim) decimal.Decimal {
	var sn struct {
		Program struct {
			Approval struct {
				FourEyesThreshold decimal.Decimal `json:"four_eyes_threshold"`
			} `json:"approval"`
		} `json:"program"`
	}
	if len(c.Snapshot) > 0 {
		_ = json.Unmarshal(c.Snapshot, &sn) // without a snapshot no threshold is known
	}
	return sn.Program.Approval.FourEyesThreshold
}

func viewApprovalState(c claim.Claim) *approvalStateView {
	if c.Amount == nil {
		return nil
	}
	th := thresholdOf(c)
	v := &approvalStateView{FourEyes: th.IsPositive() && c.Amount.GreaterThanOrEqual(th), Approvals: []approvalByView{}}
	if th.IsPositive() {
		s := money.Format(th)
		v.Threshold = &s
	}
	for _, a := range c.Approvals {
		v.Approvals = append(v.Approvals, approvalByView{By: a.Subject, At: formatTime(a.At)})
	}
	if c.Status == claim.PendingApproval {
		w := "first"
		if v.FourEyes && len(c.Approvals) > 0 {
			w = "second"
		}
		v.Awaiting = &w
	}
	return v
}
