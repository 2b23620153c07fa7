package workflows

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// voucherWorld is the in-memory world plus what a voucher needs: the application's
// judgement, the reservation shrunk to the subsidy, and who the bank paid.
type voucherWorld struct {
	*world
	vmu    sync.Mutex
	judged activities.JudgeOutput
	shrunk []decimal.Decimal
	payees []string
}

// provider is the service provider on the test program's list.
var provider = access.Principal{Subject: "provider-ops", Role: access.Provider, CreditCode: "91540000000000009X"}

func newVoucherWorld(payee string) *voucherWorld {
	w := &voucherWorld{world: newWorld("15000.00")}
	p := voucher.DefaultParams()
	p.Providers, p.Payee = []string{provider.CreditCode}, payee
	w.judged = activities.JudgeOutput{Text: "eligible", Params: p, Cap: decimal.NewFromInt(-1)}
	w.assessment = eligibleRedemption()
	return w
}

// eligibleRedemption is the assessment of an invoice of 30000.00 at 0.50: S = 15000.00.
func eligibleRedemption() claim.Assessment {
	return claim.Assessment{RuleVersion: voucher.RuleVersion, Amount: decimal.RequireFromString("15000.00"),
		Lines: []claim.LineDecision{{Eligible: true, Basis: decimal.RequireFromString("30000.00")}}}
}

func refusedRedemption(reason claim.Reason, conflictWith string) claim.Assessment {
	return claim.Assessment{RuleVersion: voucher.RuleVersion, Amount: decimal.Zero, Reason: reason, Text: "refused",
		Lines: []claim.LineDecision{{Reason: reason, Text: "refused", Conflict: conflictWith}}}
}

func (w *voucherWorld) register(env *testsuite.TestWorkflowEnvironment) {
	w.world.register(env)
	env.RegisterWorkflow(VoucherWorkflow)
	reg := func(fn any, name string) { env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(w.JudgeApplication, "JudgeApplication")
	reg(w.Shrink, "Shrink")
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		if info.ActivityType.Name != "Pay" {
			return
		}
		var in activities.PayInput
		if args.Get(&in) == nil {
			w.vmu.Lock()
			w.payees = append(w.payees, in.CreditCode)
			w.vmu.Unlock()
		}
	})
}

func (w *voucherWorld) JudgeApplication(ctx context.Context, in activities.JudgeInput) (activities.JudgeOutput, error) {
	return w.judged, nil
}

func (w *voucherWorld) Shrink(ctx context.Context, in activities.ShrinkInput) error {
	w.vmu.Lock()
	defer w.vmu.Unlock()
	w.shrunk = append(w.shrunk, in.Amount)
	return nil
}

// setAssessment changes what the next redemption is judged to be.
func (w *voucherWorld) setAssessment(a claim.Assessment) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.assessment = a
}

func voucherInput() contract.VoucherInput {
	return contract.VoucherInput{VoucherID: "vch_1", ProgramID: "P1", CreditCode: applicant.CreditCode,
		SubmittedBy: applicant, SubmittedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// redemption is the purchase the tests redeem, from the listed provider.
func redemption() json.RawMessage {
	b, _ := json.Marshal(voucher.Payload{Redemption: voucher.Redemption{
		ProviderCreditCode: provider.CreditCode, ServiceCategory: voucher.Testing, ContractNo: "CT-1",
		InvoiceNo: "INV-1", InvoiceDate: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
		InvoiceAmount: decimal.RequireFromString("30000.00")}})
	return b
}

func redeemBy(p access.Principal) contract.Decision {
	return contract.Decision{Actor: p, Payload: redemption()}
}

// runVoucher executes the voucher workflow with the script's callbacks and returns its result.
func runVoucher(t *testing.T, w *voucherWorld, script func(env *testsuite.TestWorkflowEnvironment)) (contract.Result, *testsuite.TestWorkflowEnvironment) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	w.register(env)
	if script != nil {
		script(env)
	}
	env.ExecuteWorkflow(VoucherWorkflow, voucherInput())
	require.True(t, env.IsWorkflowCompleted(), "workflow did not complete")
	require.NoError(t, env.GetWorkflowError())
	var res contract.Result
	require.NoError(t, env.GetWorkflowResult(&res))
	return res, env
}
