package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A withdrawal validated while the claim was pending approval, but queued behind the
// approval that started the payment, is answered as soon as the status moves on: its caller
// must not wait for a later phase (payment_failed) that would take it out of context.
func TestDecisionsOvertakenByTheStatusAreAnsweredAtOnce(t *testing.T) {
	r := &claimRun{in: input(), status: claim.PendingApproval}
	withdraw := &event{kind: contract.UpdateWithdraw, d: decision(applicant, "")}
	reject := &event{kind: contract.UpdateReject, d: decision(officer, "late")}
	r.events = []*event{withdraw, reject}
	require.NoError(t, r.check(withdraw.kind, withdraw.d), "valid when it arrived")

	r.status = claim.Disbursing
	r.dropOvertaken()

	require.Empty(t, r.events)
	for _, ev := range []*event{withdraw, reject} {
		require.True(t, ev.done)
		require.Equal(t, contract.ErrConflict, errType(t, ev.err))
	}
}

func TestDecisionsStillAllowedStayQueued(t *testing.T) {
	r := &claimRun{in: input(), status: claim.PendingApproval}
	withdraw := &event{kind: contract.UpdateWithdraw, d: decision(applicant, "")}
	r.events = []*event{withdraw}
	r.status = claim.PaymentFailed // still withdrawable
	r.dropOvertaken()
	require.Equal(t, []*event{withdraw}, r.events)
	require.False(t, withdraw.done)
}
