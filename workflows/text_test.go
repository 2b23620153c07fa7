package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A note the read model cannot store is refused by the validator, wherever the update came
// from, so it never enters history and the claim goes on taking decisions.
func TestANoteWithNULIsRefusedAndTheClaimGoesOn(t *testing.T) {
	w := newWorld("100.00")
	var nul, bell *updateCall
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		nul = update(env, time.Hour, contract.UpdateRequestInfo, decision(officer, "a\x00b"))
		bell = update(env, 2*time.Hour, contract.UpdateReject, decision(officer, "ding\a"))
		update(env, 3*time.Hour, contract.UpdateApprove, decision(officer, "checked"))
	})
	require.Equal(t, contract.ErrInvalid, errType(t, nul.err))
	require.Equal(t, contract.ErrInvalid, errType(t, bell.err))
	require.Equal(t, claim.Paid, res.Status)
}
