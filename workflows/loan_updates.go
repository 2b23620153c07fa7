package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// registerUpdates installs the lender's report and repayment. Validators refuse before
// anything enters history; handlers only change the state and never block, so the state
// carried into the next run always holds everything taken.
func (l *loanRun) registerUpdates(ctx workflow.Context) error {
	err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateReport,
		func(ctx workflow.Context, r contract.ReportArgs) (contract.LoanState, error) {
			p := &l.st.Periods[r.Index]
			rep := r.Report
			p.Report, p.Status = &rep, contract.PeriodReported
			l.rev++
			return l.st, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, r contract.ReportArgs) error {
			if err := r.Verify(workflow.GetInfo(ctx).WorkflowExecution.ID, workflow.Now(ctx)); err != nil {
				return refused(contract.ErrForbidden, "%v", err)
			}
			return l.checkReport(workflow.Now(ctx), r)
		}})
	if err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateRepaid,
		func(ctx workflow.Context, r contract.RepaidArgs) (contract.LoanState, error) {
			l.repay(r.Date)
			l.rev++
			return l.st, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, r contract.RepaidArgs) error {
			if err := r.Verify(workflow.GetInfo(ctx).WorkflowExecution.ID, workflow.Now(ctx)); err != nil {
				return refused(contract.ErrForbidden, "%v", err)
			}
			return l.checkRepaid(workflow.Now(ctx), r)
		}})
}

func refused(errType, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), errType)
}

func invalidField(field, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), contract.ErrInvalid, field)
}

// checkLender admits only the loan's own bank, while the loan runs.
func (l *loanRun) checkLender(p access.Principal) error {
	if p.Role != access.Lender || p.CreditCode != l.st.Loan.LenderCreditCode {
		return refused(contract.ErrForbidden, "only the lender %s reports on loan %s", l.st.Loan.LenderCreditCode, l.st.LoanID)
	}
	if l.st.Status != contract.LoanActive {
		return refused(contract.ErrConflict, "loan %s has ended (%s)", l.st.LoanID, l.st.Status)
	}
	return nil
}

// checkReport admits one report per period, once the period has ended.
func (l *loanRun) checkReport(now time.Time, r contract.ReportArgs) error {
	if err := l.checkLender(r.Actor); err != nil {
		return err
	}
	if r.Index < 0 || r.Index >= len(l.st.Periods) {
		return invalidField("index", "loan %s has periods 0 to %d", l.st.LoanID, len(l.st.Periods)-1)
	}
	p := l.st.Periods[r.Index]
	if now.Before(p.End) {
		return refused(contract.ErrConflict, "period %d (%s) has not ended; report it from %s",
			r.Index, p.Text(), p.End.Format(time.DateOnly))
	}
	if p.Report != nil {
		return refused(contract.ErrConflict, "period %d is already reported", r.Index)
	}
	errs := r.Report.Validate()
	for _, field := range []string{"interest_paid", "outstanding_principal"} { // a fixed order, not the map's
		if msg, bad := errs[field]; bad {
			return invalidField(field, "%s", msg)
		}
	}
	return nil
}

// checkRepaid admits a repayment on a day that has come, before maturity, and inside a
// period not yet reported: a reported period's days are settled.
func (l *loanRun) checkRepaid(now time.Time, r contract.RepaidArgs) error {
	if err := l.checkLender(r.Actor); err != nil {
		return err
	}
	if l.st.RepaidOn != nil {
		return refused(contract.ErrConflict, "loan %s was already reported repaid on %s", l.st.LoanID,
			l.st.RepaidOn.Format(time.DateOnly))
	}
	d := r.Date
	if d.IsZero() {
		return invalidField("date", `must be a date such as "2024-03-01"`)
	}
	if d.After(now) {
		return invalidField("date", "must not be in the future")
	}
	if !d.Before(l.st.Loan.MaturityDate) {
		return invalidField("date", "must be before maturity (%s)", l.st.Loan.MaturityDate.Format(time.DateOnly))
	}
	if k := l.lastReported(); k >= 0 && d.Before(l.st.Periods[k].End) {
		return invalidField("date", "must be on or after %s: period %d is reported in full",
			l.st.Periods[k].End.Format(time.DateOnly), k)
	}
	if cur := l.st.Periods[l.st.Current]; !d.After(cur.Start) {
		return invalidField("date", "must be after %s, the first day of period %d", cur.Start.Format(time.DateOnly), cur.Index)
	}
	return nil
}

// lastReported is the last period reported (claimed or not), or -1: a repayment cannot cut
// the days of a report already made.
func (l *loanRun) lastReported() int {
	k := -1
	for i, p := range l.st.Periods {
		if p.Report != nil {
			k = i
		}
	}
	return k
}

// repay cuts the schedule at the repayment day; periods that stay keep what they hold.
func (l *loanRun) repay(date time.Time) {
	d := date
	l.st.RepaidOn = &d
	cut := schedule(l.st.Loan, date)
	for i := range cut {
		kept := l.st.Periods[i]
		kept.Period = cut[i].Period // only the last period's end moves
		cut[i] = kept
	}
	l.st.Periods = cut
}
