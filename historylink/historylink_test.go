package historylink

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/audit"
)

func TestHistoryURLEscapesTheWorkflowID(t *testing.T) {
	u := UI{BaseURL: "http://localhost:8233/", Namespace: "default"}
	require.Equal(t, "http://localhost:8233/namespaces/default/workflows/claim%2Fclm_1/run-a/history",
		u.HistoryURL("claim/clm_1", "run-a"))
}

func TestExecutionsFollowTheTrailOnce(t *testing.T) {
	u := UI{BaseURL: "https://temporal.example.gov", Namespace: "subsidies"}
	trail := []audit.Entry{
		{Action: "claim.submitted"}, // written by the API before the workflow ran
		{WorkflowID: "claim/clm_1", RunID: "run-a"},
		{WorkflowID: "claim/clm_1", RunID: "run-a"},
		{WorkflowID: "loan/loan_9", RunID: "run-l"},
		{WorkflowID: "claim/clm_1", RunID: "run-b"},
	}
	got := u.Executions("claim/clm_1", "run-b", trail)
	require.Equal(t, []Execution{
		{WorkflowID: "claim/clm_1", RunID: "run-a", HistoryURL: "https://temporal.example.gov/namespaces/subsidies/workflows/claim%2Fclm_1/run-a/history"},
		{WorkflowID: "loan/loan_9", RunID: "run-l", HistoryURL: "https://temporal.example.gov/namespaces/subsidies/workflows/loan%2Floan_9/run-l/history"},
		{WorkflowID: "claim/clm_1", RunID: "run-b", HistoryURL: "https://temporal.example.gov/namespaces/subsidies/workflows/claim%2Fclm_1/run-b/history"},
	}, got)
	require.Equal(t, []Execution{}, u.Executions("claim/clm_2", "", nil), "no run yet: nothing to link")
}
