package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// plannedReport is a report the lender sends at a point in time.
type plannedReport struct {
	index int
	at    time.Time
	r     interest.Report
	sent  bool
}

// lenderPlan is everything the lender sends in a test, across the loan's runs.
type lenderPlan struct {
	reports []*plannedReport
}

// runLoan runs a loan's workflow from registration to its end, one test environment per run:
// the test environment ends a run at continue-as-new, and the next run starts from the
// state it carried at the clock where the last one stopped. Each run gets the lender's
// reports that are still to come as delayed callbacks.
func runLoan(t *testing.T, w *loanWorld, st contract.LoanState, plan *lenderPlan) (contract.LoanState, int) {
	var suite testsuite.WorkflowTestSuite
	now := st.Loan.StartDate
	for runs := 1; ; runs++ {
		require.Less(t, runs, 40, "the loan never ended")
		env := suite.NewTestWorkflowEnvironment()
		env.SetStartTime(now)
		w.register(env)
		plan.schedule(t, env, w, now, runs-1)
		env.ExecuteWorkflow(contract.LoanWorkflowType, st)
		require.True(t, env.IsWorkflowCompleted())
		now = env.Now()
		var can *workflow.ContinueAsNewError
		if err := env.GetWorkflowError(); errors.As(err, &can) {
			require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &st))
			continue
		} else {
			require.NoError(t, err)
		}
		require.NoError(t, env.GetWorkflowResult(&st))
		return st, runs
	}
}

// schedule registers the reports not yet taken. Reports due at the same instant go in one
// callback, so they reach the workflow in the same workflow task.
func (p *lenderPlan) schedule(t *testing.T, env *testsuite.TestWorkflowEnvironment, w *loanWorld, now time.Time, run int) {
	byTime := map[time.Time][]*plannedReport{}
	var times []time.Time
	for _, r := range p.reports {
		if r.sent || r.at.Before(now) {
			continue
		}
		if byTime[r.at] == nil {
			times = append(times, r.at)
		}
		byTime[r.at] = append(byTime[r.at], r)
	}
	for _, at := range times {
		batch := byTime[at]
		env.RegisterDelayedCallback(func() {
			for _, r := range batch {
				env.UpdateWorkflow(contract.UpdateReport, "", &testsuite.TestUpdateCallback{
					OnReject:   func(err error) { t.Errorf("report %d refused: %v", r.index, err) },
					OnAccept:   func() { r.sent = true; w.count(run) },
					OnComplete: func(any, error) {},
				}, mustSign(contract.ReportArgs{Actor: testLender, Index: r.index, Report: r.r}.Sign(testWorkflowID, env.Now())))
			}
		}, at.Sub(now))
	}
}

func clean(outstanding string) interest.Report {
	return interest.Report{InterestPaid: decimal.RequireFromString("9000.00"),
		OutstandingPrincipal: decimal.RequireFromString(outstanding)}
}

// TestLoanThirtySixMonthsToMaturity runs a 36-month loan with a report each quarter: one
// late (escalated, then paid), one late past the next period's end (escalated; it and the
// next period's report arrive together at the boundary of a continue-as-new, and neither is
// lost), one overdue (zero), one extended (zero from then on).
func TestLoanThirtySixMonthsToMaturity(t *testing.T) {
	st := newLoanState("2024-01-10", "2027-01-10")
	periods := interest.Periods(st.Loan, st.Loan.MaturityDate)
	require.Len(t, periods, 13)
	plan := &lenderPlan{}
	for _, p := range periods {
		r := &plannedReport{index: p.Index, at: p.End.AddDate(0, 0, 5), r: clean("1000000.00")}
		switch p.Index {
		case 2: // 40 days late: escalated at 30
			r.at = p.End.AddDate(0, 0, 40)
		case 4, 5: // period 4's report comes after period 5 ended, with period 5's
			r.at = periods[5].End.AddDate(0, 0, 3)
		case 6:
			r.r.Overdue = true
		case 9:
			r.r.Extended = true
		}
		plan.reports = append(plan.reports, r)
	}
	w := newLoanWorld()
	end, runs := runLoan(t, w, st, plan)

	require.Equal(t, contract.LoanMatured, end.Status)
	require.Equal(t, 13, runs, "one run per period, continuing as new after each")
	require.Len(t, w.opened, 13)
	total := decimal.Zero
	for _, p := range end.Periods {
		res := w.outcomes[p.ClaimID]
		require.Equal(t, contract.PeriodClaimed, p.Status, "period %d", p.Index)
		require.NotNil(t, p.Report, "period %d report kept", p.Index)
		switch {
		case p.Index == 6:
			require.Equal(t, claim.Rejected, res.Status)
			require.Equal(t, interest.ReasonOverdue, res.Reason)
		case p.Index >= 9:
			require.Equal(t, claim.Rejected, res.Status, "period %d", p.Index)
			require.Equal(t, interest.ReasonExtended, res.Reason, "period %d", p.Index)
		default:
			require.Equal(t, claim.Paid, res.Status, "period %d", p.Index)
			want := interest.CalculatePeriod(st.Loan, p.Period, *p.Report, false).Amount
			require.True(t, want.Equal(res.Amount) && want.Equal(*p.Amount), "period %d: %s", p.Index, res.Amount)
			total = total.Add(res.Amount)
		}
		require.Equal(t, p.Index == 2 || p.Index == 4, p.Escalated, "period %d escalation", p.Index)
	}
	require.True(t, total.Equal(end.Subsidy), "%s vs %s", total, end.Subsidy)
	require.Equal(t, 2, loanActions(w, "loan.report_overdue"))
	for run, n := range w.perRun {
		// A run records at most three steps and takes a few updates: a few dozen events.
		require.LessOrEqual(t, n, 8, "run %d", run)
	}
}

func loanActions(w *loanWorld, action string) int {
	n := 0
	for _, r := range w.records {
		if r.Action == action {
			n++
		}
	}
	return n
}

// continuedState is the state a run carried into continue-as-new.
func continuedState(t *testing.T, env *testsuite.TestWorkflowEnvironment) contract.LoanState {
	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, env.GetWorkflowError(), &can)
	var st contract.LoanState
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &st))
	return st
}
