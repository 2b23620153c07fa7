// Package worker registers subsidyflow's workflows and activities on a Temporal worker. It is
// the one place that knows both, so `subsidyflow worker` and `subsidyflow dev` run the same
// registrations.
package worker

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/workflows"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Tuning sizes one worker process (from WORKER_* variables); zero fields keep the SDK's
// defaults. With N worker processes the cluster spreads tasks over N times these.
type Tuning struct {
	MaxConcurrentActivities    int // activities run at once (SDK default 1000)
	MaxConcurrentWorkflowTasks int // workflow tasks run at once (SDK default 1000)
	ActivityPollers            int // long polls for activity tasks (SDK default 2)
	WorkflowPollers            int // long polls for workflow tasks (SDK default 2; 1 is refused)
}

// New returns a worker on the claims task queue with every workflow and activity
// registered. The caller starts and stops it.
func New(c client.Client, acts *activities.Activities, t Tuning) sdkworker.Worker {
	w := sdkworker.New(c, contract.TaskQueue, sdkworker.Options{
		// A non-deterministic change must stop the workflow task and be fixed with
		// workflow.GetVersion, never silently fail a claim.
		WorkflowPanicPolicy:                    sdkworker.BlockWorkflow,
		MaxConcurrentActivityExecutionSize:     t.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: t.MaxConcurrentWorkflowTasks,
		MaxConcurrentActivityTaskPollers:       t.ActivityPollers,
		MaxConcurrentWorkflowTaskPollers:       t.WorkflowPollers,
		Interceptors:                           []interceptor.WorkerInterceptor{&dataErrors{}},
	})
	Register(w, acts)
	return w
}

// Register adds subsidyflow's workflows and activities to a registry (a worker, or a replayer
// in tests).
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.ClaimWorkflow, workflow.RegisterOptions{Name: contract.WorkflowType})
	r.RegisterWorkflowWithOptions(workflows.VoucherWorkflow, workflow.RegisterOptions{Name: contract.VoucherWorkflowType})
	r.RegisterWorkflowWithOptions(workflows.LoanWorkflow, workflow.RegisterOptions{Name: contract.LoanWorkflowType})
	if acts != nil {
		r.RegisterActivity(acts)
	}
}
