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

// A decision sent straight to Temporal without the API's proof, with a proof for another
// decision, or with an expired one is refused before it enters history; nothing is paid.
func TestForgedDecisionsAreRefused(t *testing.T) {
	w := newWorld("150000.00")
	ghost := contract.Decision{Actor: supervisor, Note: "ghost"}
	calls := map[string]*updateCall{}
	send := func(env *testsuite.TestWorkflowEnvironment, name string, delay time.Duration, d func() contract.Decision) {
		call := &updateCall{}
		calls[name] = call
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(contract.UpdateApprove, name, &testsuite.TestUpdateCallback{
				OnReject: func(err error) { call.err, call.done = err, true }, OnAccept: func() {},
				OnComplete: func(_ any, err error) { call.err, call.done = err, true },
			}, d())
		}, delay)
	}
	res, _ := run(t, w, func(env *testsuite.TestWorkflowEnvironment) {
		send(env, "unsigned", time.Hour, func() contract.Decision { return ghost })
		send(env, "tampered", 2*time.Hour, func() contract.Decision {
			d := signed(env, contract.UpdateApprove, ghost)
			d.Actor.Subject = "ghost-2" // the proof was for someone else
			return d
		})
		send(env, "stale", 3*time.Hour, func() contract.Decision {
			d, _ := contract.Sign(testWorkflowID, contract.UpdateApprove, ghost, env.Now().Add(-time.Hour))
			return d
		})
		send(env, "other decision", 4*time.Hour, func() contract.Decision {
			return signed(env, contract.UpdateReject, ghost) // signed as a rejection, sent as an approval
		})
		update(env, 5*time.Hour, contract.UpdateReject, decision(officer, "not eligible after all"))
	})
	for name, call := range calls {
		require.Equal(t, contract.ErrForbidden, errType(t, call.err), name)
	}
	require.Equal(t, claim.Rejected, res.Status)
	require.Empty(t, w.paid)
}
