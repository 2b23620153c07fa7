package workflows

import (
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// current is the period this run handles.
func (l *loanRun) current() *contract.LoanPeriod { return &l.st.Periods[l.st.Current] }

// awaitEnd waits until the current period has ended. A repayment may move its end, so
// the wait starts again whenever the lender tells something.
func (l *loanRun) awaitEnd(ctx workflow.Context) error {
	for {
		end, now := l.current().End, workflow.Now(ctx)
		if !now.Before(end) {
			return nil
		}
		seen := l.rev
		if _, err := workflow.AwaitWithTimeout(ctx, end.Sub(now), func() bool { return l.rev != seen }); err != nil {
			return err
		}
		if err := l.noteRepayment(ctx); err != nil {
			return err
		}
	}
}

// awaitReport waits for the lender's report of the current period. When it has not come
// report_days after the settlement date, the loan is escalated to the program officer once
// (an audit row and the read model's flag) and the wait goes on: a late report still pays.
func (l *loanRun) awaitReport(ctx workflow.Context) error {
	for l.current().Report == nil {
		p := l.current()
		due, now := l.st.Params.ReportDue(p.Period), workflow.Now(ctx)
		if !p.Escalated && !now.Before(due) {
			p.Escalated = true
			if err := l.record(ctx, "loan.report_overdue", access.System, map[string]any{
				"period": p.Index, "due": due.Format("2006-01-02"),
				"text": fmt.Sprintf("no report for %s within %d days", p.Text(), l.st.Params.ReportDays)}); err != nil {
				return err
			}
			continue
		}
		seen := l.rev
		woke := func() bool { return l.rev != seen }
		var err error
		if p.Escalated {
			err = workflow.Await(ctx, woke)
		} else {
			_, err = workflow.AwaitWithTimeout(ctx, due.Sub(now), woke)
		}
		if err != nil {
			return err
		}
		if err := l.noteRepayment(ctx); err != nil {
			return err
		}
	}
	return nil
}

// claimPeriod opens the current period's claim and moves on to the next period. The amount
// shown in the schedule is the rules' (a pure calculation); the claim's own assessment,
// made again by the shared Assess activity on the frozen snapshot, is what is paid.
func (l *loanRun) claimPeriod(ctx workflow.Context) error {
	p := l.current()
	pp := interest.PeriodPayload{Loan: l.st.Loan, Period: p.Period, Report: *p.Report, ExtendedBefore: l.st.ExtendedBefore}
	as := interest.CalculatePeriod(pp.Loan, pp.Period, pp.Report, pp.ExtendedBefore)
	id := periodClaimID(l.st.LoanID, p.Index)
	if err := l.startClaim(ctx, id, pp); err != nil {
		return err
	}
	p.ClaimID, p.Status, p.Amount, p.Reason = id, contract.PeriodClaimed, &as.Amount, string(as.Reason)
	l.st.Subsidy = l.st.Subsidy.Add(as.Amount)
	l.st.ExtendedBefore = l.st.ExtendedBefore || p.Report.Extended
	l.st.Current++
	return l.record(ctx, "loan.period_claimed", access.System, map[string]any{
		"period": p.Index, "claim_id": id, "amount": as.Amount.StringFixed(2), "reason": string(as.Reason)})
}

// periodClaimID names a period's claim after its loan and index, so opening it twice (a
// retried activity, a replayed start) finds the same claim instead of a second one.
func periodClaimID(loanID string, index int) string {
	return fmt.Sprintf("clm_%s_p%02d", strings.TrimPrefix(loanID, contract.LoanIDPrefix+"_"), index)
}

// startClaim stores the period's claim (an activity) and starts its ClaimWorkflow as a child,
// waiting only until it has started. The borrower is the claim's enterprise and payee; the
// lender, who reported, is its submitter.
func (l *loanRun) startClaim(ctx workflow.Context, id string, pp interest.PeriodPayload) error {
	m := l.meta
	m.Actor = l.st.RegisteredBy
	var in contract.Input
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, storeOptions), a.OpenPeriodClaim,
		activities.PeriodClaimInput{ClaimID: id, ProgramID: l.st.ProgramID, Payload: pp,
			SubmittedBy: l.st.RegisteredBy, SubmittedAt: workflow.Now(ctx), Meta: m}).Get(ctx, &in)
	if err != nil {
		return err
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            contract.WorkflowID(id),
		TaskQueue:             contract.TaskQueue,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	})
	child := workflow.ExecuteChildWorkflow(cctx, contract.WorkflowType, in)
	err = child.GetChildWorkflowExecution().Get(ctx, nil)
	if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return nil // the claim runs already
	}
	return err
}
