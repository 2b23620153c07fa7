package workflows

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// loanWorld plays the loan's activities and its child claims in memory. A child claim is a
// fake ClaimWorkflow that assesses the period with the real rules and ends paid or rejected
// at once, standing in for the shared path the claim tests cover.
type loanWorld struct {
	mu       sync.Mutex
	records  []activities.LoanRecord
	opened   []string                    // claim ids, in the order opened
	outcomes map[string]contract.Result  // claim id → how its fake claim ended
	perRun   map[int]int                 // run → activity calls and accepted updates in it
	onRecord func(activities.LoanRecord) // called as each write is recorded, before it returns
}

func newLoanWorld() *loanWorld {
	return &loanWorld{outcomes: map[string]contract.Result{}, perRun: map[int]int{}}
}

func (w *loanWorld) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterWorkflowWithOptions(LoanWorkflow, workflow.RegisterOptions{Name: contract.LoanWorkflowType})
	env.RegisterWorkflowWithOptions(w.claim, workflow.RegisterOptions{Name: contract.WorkflowType})
	env.RegisterActivityWithOptions(w.OpenPeriodClaim, activity.RegisterOptions{Name: "OpenPeriodClaim"})
	env.RegisterActivityWithOptions(w.RecordLoan, activity.RegisterOptions{Name: "RecordLoan"})
}

func (w *loanWorld) count(run int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.perRun[run]++
}

func (w *loanWorld) OpenPeriodClaim(_ context.Context, in activities.PeriodClaimInput) (contract.Input, error) {
	payload, err := json.Marshal(in.Payload)
	if err != nil {
		return contract.Input{}, err
	}
	w.mu.Lock()
	w.opened = append(w.opened, in.ClaimID)
	w.mu.Unlock()
	return contract.Input{ClaimID: in.ClaimID, ProgramID: in.ProgramID, Kind: program.Interest,
		CreditCode: in.Payload.Loan.BorrowerCreditCode, SubmittedBy: in.SubmittedBy, Payload: payload}, nil
}

func (w *loanWorld) RecordLoan(_ context.Context, r activities.LoanRecord) error {
	w.mu.Lock()
	w.records = append(w.records, r)
	w.perRun[r.State.Run]++
	hook := w.onRecord
	w.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	return nil
}

// claim is the fake child: the period's assessment decides paid or rejected.
func (w *loanWorld) claim(ctx workflow.Context, in contract.Input) (contract.Result, error) {
	// A test double decodes its payload; the real ClaimWorkflow leaves that to activities.
	//workflowcheck:ignore
	pp, err := interest.PayloadOf(in.Payload)
	if err != nil {
		return contract.Result{}, err
	}
	as, err := interest.AssessPeriod(pp, in.CreditCode, func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{}, nil
	})
	if err != nil {
		return contract.Result{}, err
	}
	res := contract.Result{Status: claim.Paid, Amount: as.Amount}
	if !as.Amount.IsPositive() {
		res = contract.Result{Status: claim.Rejected, Amount: decimal.Zero, Reason: as.Reason}
	}
	w.mu.Lock()
	w.outcomes[in.ClaimID] = res
	w.mu.Unlock()
	return res, nil
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testCode(first17 string) string {
	c, err := creditcode.Complete(first17)
	if err != nil {
		panic(err)
	}
	return c
}

var (
	testBank     = testCode("91140200MA0K00001")
	testBorrower = testCode("91140211MA0K00003")
	testLender   = access.Principal{Subject: "bank-clerk", Role: access.Lender, CreditCode: testBank}
)

// newLoanState is a registered 36-month loan of 1,000,000.00 at the stated LPR 3.45 %.
func newLoanState(start, maturity string) contract.LoanState {
	p := interest.DefaultParams()
	p.Lenders = []string{testBank}
	return contract.LoanState{LoanID: "loan_test", ProgramID: "prg_interest", RegisteredBy: testLender, Params: p,
		Loan: interest.Loan{ContractNo: "DT-2024-0001", BorrowerCreditCode: testBorrower, LenderCreditCode: testBank,
			Principal: decimal.RequireFromString("1000000.00"), ContractRate: decimal.RequireFromString("0.0435"),
			StatedLPR: decimal.RequireFromString("0.0345"), ContractDate: date(start), StartDate: date(start),
			MaturityDate: date(maturity)}}
}
