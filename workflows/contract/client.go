package contract

import (
	"context"
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// Start starts the workflow of a claim. The workflow id is the claim's, and a second start
// for the same claim is refused, so a claim can never run twice.
func Start(ctx context.Context, c client.Client, in Input) (runID string, err error) {
	return start(ctx, c, in.ClaimID, WorkflowType, in)
}

// start starts the workflow of type wfType that carries claimID, refusing a duplicate.
func start(ctx context.Context, c client.Client, claimID, wfType string, arg any) (string, error) {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        WorkflowID(claimID),
		TaskQueue: TaskQueue,
		// One workflow per claim, ever: a finished claim is never started again.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		// And while it runs: without this the SDK hands back the running workflow as if it had
		// just been started, and N sweepers would each report starting the same claim.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, wfType, arg)
	if err != nil {
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return "", apperr.New(apperr.Conflict, "claim %s is already running", claimID)
		}
		// A start whose answer was lost (a timeout) may still have started the workflow;
		// the caller would otherwise undo a claim that is in fact running.
		if d, derr := c.DescribeWorkflowExecution(context.WithoutCancel(ctx), WorkflowID(claimID), ""); derr == nil {
			return d.GetWorkflowExecutionInfo().GetExecution().GetRunId(), nil
		}
		return "", err
	}
	return run.GetRunID(), nil
}

// Decide sends a human decision to a claim and returns the claim's state once the workflow
// has recorded it. Refusals by the workflow's validator come back as apperr errors.
func Decide(ctx context.Context, c client.Client, claimID, update string, d Decision) (State, error) {
	d, err := Sign(WorkflowID(claimID), update, d, time.Now())
	if err != nil {
		return State{}, err
	}
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   WorkflowID(claimID),
		UpdateName:   update,
		Args:         []any{d},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return State{}, decisionError(claimID, err)
	}
	var st State
	if err := h.Get(ctx, &st); err != nil {
		return State{}, decisionError(claimID, err)
	}
	return st, nil
}

// Signal nudges a claim's workflow; a claim that already finished is not an error.
func Signal(ctx context.Context, c client.Client, claimID, signal string) error {
	err := c.SignalWorkflow(ctx, WorkflowID(claimID), "", signal, nil)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return nil
	}
	return err
}

// decisionError maps what Temporal says about a refused update to an apperr error.
func decisionError(claimID string, err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case ErrForbidden:
			return apperr.New(apperr.Forbidden, "%s", appErr.Message())
		case ErrConflict:
			return apperr.New(apperr.Conflict, "%s", appErr.Message())
		case ErrInvalid:
			field := "note" // the field a refusal names in its details; the note by default
			if appErr.HasDetails() {
				_ = appErr.Details(&field)
			}
			return &apperr.Error{Code: apperr.Invalid, Message: appErr.Message(), Fields: map[string]string{field: appErr.Message()}}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return apperr.New(apperr.Conflict, "claim %s takes no more decisions", claimID)
	}
	return err
}

// ErrNoWorker is Ready's answer when the cluster is up but no worker serves claims.
var ErrNoWorker = errors.New("no worker polls the claims task queue")

// Ready says whether a claim could be started and worked on now: the namespace exists (a
// start would otherwise fail) and some worker has polled the claims task queue recently (a
// started claim would otherwise wait). Describing the task queue answers both, as it fails
// on a missing namespace. The frontend remembers pollers for a few minutes, so the last
// worker's death shows here only after that.
func Ready(ctx context.Context, c client.Client) error {
	tq, err := c.DescribeTaskQueue(ctx, TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	if err != nil {
		return err
	}
	if len(tq.GetPollers()) == 0 {
		return ErrNoWorker
	}
	return nil
}
