package workflows

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// TestReplayRecordedHistories replays histories recorded on the real server (see
// e2e.TestRecordHistories). A failure means a change to the workflow would break claims
// already running: guard it with workflow.GetVersion instead.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories in testdata")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(ClaimWorkflow, workflow.RegisterOptions{Name: contract.WorkflowType})
			r.RegisterWorkflowWithOptions(VoucherWorkflow, workflow.RegisterOptions{Name: contract.VoucherWorkflowType})
			r.RegisterWorkflowWithOptions(LoanWorkflow, workflow.RegisterOptions{Name: contract.LoanWorkflowType})
			require.NoError(t, r.ReplayWorkflowHistoryFromJSONFile(nil, f))
		})
	}
}
