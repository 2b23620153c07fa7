package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
)

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		m := map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		out = append(out, m)
	}
	return out
}

func TestSDKLinesAboutAClaimCarryItsIDs(t *testing.T) {
	var buf bytes.Buffer
	// As the SDK logs an activity: its keys, bound with With, then a line.
	sdk := sdklog.NewStructuredLogger(New(&buf, JSON, slog.LevelInfo))
	sdklog.With(sdk, "WorkflowID", "claim/clm_42", "RunID", "run-1", "ActivityType", "Pay").Info("Activity started.")
	sdk.Info("Activity error.", "WorkflowID", "voucher/vch_7", "RunID", "run-2")
	sdklog.With(sdk, "WorkflowID", "claim/clm_42", "ClaimID", "clm_42").Info("claim step", "Step", 3)
	sdklog.With(sdk, "WorkflowID", "loan/loan_1", "RunID", "run-3").Info("loan step")

	got := lines(t, &buf)
	require.Len(t, got, 4)
	require.Equal(t, "clm_42", got[0]["claim_id"])
	require.Equal(t, "claim/clm_42", got[0]["workflow_id"])
	require.Equal(t, "run-1", got[0]["run_id"])
	require.Equal(t, "Pay", got[0]["activity_type"])
	require.Equal(t, "vch_7", got[1]["claim_id"])
	require.Equal(t, "run-2", got[1]["run_id"])
	require.Equal(t, "clm_42", got[2]["claim_id"])
	require.EqualValues(t, 3, got[2]["step"])
	require.Equal(t, 1, strings.Count(strings.Split(buf.String(), "\n")[2], `"claim_id"`), "not added twice")
	require.NotContains(t, got[3], "claim_id", "a loan is not a claim")
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"WorkflowID": "workflow_id", "RunID": "run_id", "TaskQueue": "task_queue",
		"ActivityType": "activity_type", "Attempt": "attempt", "ID": "id", "LoanID": "loan_id",
	} {
		require.Equal(t, want, Snake(in), in)
	}
}

func TestParse(t *testing.T) {
	f, err := ParseFormat("text")
	require.NoError(t, err)
	require.Equal(t, Text, f)
	_, err = ParseFormat("xml")
	require.Error(t, err)
	l, err := ParseLevel("warn")
	require.NoError(t, err)
	require.Equal(t, slog.LevelWarn, l)
	_, err = ParseLevel("loud")
	require.Error(t, err)
}
