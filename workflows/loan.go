package workflows

import (
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// LoanWorkflow carries one registered loan of the interest subsidy for its whole life
// (POLICIES.md, "5. Interest subsidies"): for each quarterly period it waits for the period
// to end, waits for the lender's report (escalating once when it is report_days late), and
// opens the period's claim as a child ClaimWorkflow, which assesses, reserves, waits for
// finance and pays the borrower like any claim. Its id is contract.LoanWorkflowID(loan id).
//
// A loan runs for years, so each run handles one period and then continues as new with the
// whole state (contract.LoanState): a run's history stays a few dozen events. The loan does
// not wait for a period's claim to finish: approval and payment may take weeks and are the
// claim's own business (its status is read from the claims table); the child is started
// with ParentClosePolicy ABANDON so that continuing as new does not end it.
func LoanWorkflow(ctx workflow.Context, st contract.LoanState) (contract.LoanState, error) {
	l := &loanRun{st: st}
	if err := l.setup(ctx); err != nil {
		return l.st, err
	}
	ended, err := l.run(ctx)
	if err != nil {
		return l.st, err
	}
	// The handlers only change the state (they never block), so once they have finished
	// every report or repayment taken is in l.st and goes with it into the next run. An
	// update arriving after this point is not delivered to this run: the server hands it
	// to the next one.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return l.st, err
	}
	if ended {
		return l.st, nil
	}
	l.st.Run++
	return l.st, workflow.NewContinueAsNewError(ctx, contract.LoanWorkflowType, l.st)
}

// loanRun is one run of a loan's workflow.
type loanRun struct {
	st     contract.LoanState
	logger log.Logger
	meta   activities.Meta
	rev    int // counts reports and repayments taken, so waits wake up on them
}

// setup cuts the schedule on the first run and registers the query and the lender's
// updates before anything blocks.
func (l *loanRun) setup(ctx workflow.Context) error {
	info := workflow.GetInfo(ctx)
	l.meta = activities.Meta{WorkflowID: info.WorkflowExecution.ID, RunID: info.WorkflowExecution.RunID}
	l.logger = log.With(workflow.GetLogger(ctx), "LoanID", l.st.LoanID, "Run", l.st.Run)
	if l.st.Periods == nil {
		l.st.Periods = schedule(l.st.Loan, l.st.Loan.MaturityDate)
		l.st.Status = contract.LoanActive
	}
	if err := workflow.SetQueryHandler(ctx, contract.QueryLoan, func() (contract.LoanView, error) {
		return contract.LoanView{State: l.st, HistoryLength: workflow.GetInfo(ctx).GetCurrentHistoryLength()}, nil
	}); err != nil {
		return err
	}
	return l.registerUpdates(ctx)
}

// schedule cuts the loan's life up to end into open periods.
func schedule(loan interest.Loan, end time.Time) []contract.LoanPeriod {
	var out []contract.LoanPeriod
	for _, p := range interest.Periods(loan, end) {
		out = append(out, contract.LoanPeriod{Period: p, Status: contract.PeriodOpen})
	}
	return out
}

// run handles the current period and reports whether the loan has ended; when it has not,
// the caller continues as new. A loan registered on the first run is recorded first.
func (l *loanRun) run(ctx workflow.Context) (ended bool, err error) {
	if l.st.Step == 0 {
		if err := l.record(ctx, "loan.started", l.st.RegisteredBy, nil); err != nil {
			return false, err
		}
	}
	if err := l.noteRepayment(ctx); err != nil {
		return false, err
	}
	if l.st.Current < len(l.st.Periods) {
		for _, phase := range []func(workflow.Context) error{l.awaitEnd, l.awaitReport, l.claimPeriod} {
			if err := phase(ctx); err != nil {
				return false, err
			}
		}
	}
	if l.st.Current < len(l.st.Periods) {
		return false, nil
	}
	return true, l.finish(ctx)
}

// noteRepayment writes a repayment taken since the last write to the read model, so the
// schedule shows the cut at once. The update handler cannot write it itself: handlers only
// change the state (see registerUpdates).
func (l *loanRun) noteRepayment(ctx workflow.Context) error {
	if l.st.RepaidOn == nil || l.st.RepaidRecorded {
		return nil
	}
	l.st.RepaidRecorded = true
	return l.record(ctx, "loan.repaid", l.st.RegisteredBy, map[string]any{
		"date": l.st.RepaidOn.Format(time.DateOnly), "periods": len(l.st.Periods)})
}

// finish ends the loan once every period is claimed: matured, or repaid early.
func (l *loanRun) finish(ctx workflow.Context) error {
	l.st.Status = contract.LoanMatured
	if l.st.RepaidOn != nil {
		l.st.Status = contract.LoanRepaid
	}
	return l.record(ctx, "loan.ended", access.System, map[string]any{"subsidy": l.st.Subsidy.StringFixed(2)})
}

// record writes the loan's state to the read model with an audit row.
func (l *loanRun) record(ctx workflow.Context, action string, actor access.Principal, details map[string]any) error {
	l.st.Step++
	l.logger.Info("loan step", "Step", l.st.Step, "Action", action)
	m := l.meta
	m.Actor = actor
	rec := activities.LoanRecord{State: l.st, Action: action, Details: details, Meta: m}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, storeOptions), a.RecordLoan, rec).Get(ctx, nil)
}
