package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// TestLoanUpdatesDuringTheLastStepOfARunAreCarriedOver sends the next period's report and
// an early repayment while a run records its claimed period, its last step before
// continuing as new. Both are taken by that run and carried into the next: the next
// period is claimed with that report (nobody sends it again) and the schedule ends on the
// repayment day.
func TestLoanUpdatesDuringTheLastStepOfARunAreCarriedOver(t *testing.T) {
	st := newLoanState("2024-01-10", "2027-01-10")
	// Registered late: periods 0 and 1 have ended and period 0 is reported at once.
	plan := &lenderPlan{reports: []*plannedReport{{index: 0, at: date("2024-07-01"), r: clean("1000000.00")}}}
	st.Loan.StartDate, st.Loan.ContractDate = date("2024-01-10"), date("2024-01-10")
	w := newLoanWorld()
	var env *testsuite.TestWorkflowEnvironment
	repaid := date("2024-07-01")
	sent := map[string]bool{}
	w.onRecord = func(r activities.LoanRecord) {
		if r.Action != "loan.period_claimed" || r.State.Current != 1 || sent["report"] {
			return
		}
		sent["report"] = true
		env.UpdateWorkflow(contract.UpdateReport, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("report refused: %v", err) }, OnAccept: func() {},
			OnComplete: func(any, error) { sent["report taken"] = true },
		}, mustSign(contract.ReportArgs{Actor: testLender, Index: 1, Report: clean("800000.00")}.Sign(testWorkflowID, env.Now())))
		env.UpdateWorkflow(contract.UpdateRepaid, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("repayment refused: %v", err) }, OnAccept: func() {},
			OnComplete: func(any, error) { sent["repaid taken"] = true },
		}, mustSign(contract.RepaidArgs{Actor: testLender, Date: repaid}.Sign(testWorkflowID, env.Now())))
	}
	var suite testsuite.WorkflowTestSuite
	env = suite.NewTestWorkflowEnvironment()
	env.SetStartTime(date("2024-07-01").Add(time.Hour))
	w.register(env)
	plan.schedule(t, env, w, date("2024-07-01"), 0)
	env.ExecuteWorkflow(contract.LoanWorkflowType, st)
	require.True(t, env.IsWorkflowCompleted())
	require.True(t, sent["report taken"] && sent["repaid taken"], "both updates answered by the first run: %v", sent)
	next := continuedState(t, env)

	require.Equal(t, 1, next.Current)
	require.NotNil(t, next.Periods[1].Report, "the report taken during the last step goes on")
	require.Len(t, next.Periods, 3, "repaid on 2024-07-01: periods up to it")
	require.Equal(t, "2024-07-01", next.Periods[2].End.Format(time.DateOnly))

	// The next runs claim period 1 from the carried report; period 2 (June 21 – June 30) is
	// reported when it comes, and the loan ends repaid.
	plan = &lenderPlan{reports: []*plannedReport{{index: 2, at: date("2024-07-02"), r: clean("800000.00")}}}
	w.onRecord = nil
	end, runs := runLoan(t, w, next, plan)
	require.Equal(t, contract.LoanRepaid, end.Status)
	require.Equal(t, 2, runs)
	require.Len(t, w.opened, 3)
	require.Equal(t, contract.PeriodClaimed, end.Periods[1].Status)
	require.Equal(t, "800000.00", end.Periods[1].Report.OutstandingPrincipal.StringFixed(2))
	require.Equal(t, 1, loanActions(w, "loan.repaid"), "the next run writes the repayment to the read model once")
}
