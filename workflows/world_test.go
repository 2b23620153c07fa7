package workflows

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// world plays the activities' side of a claim in memory, so that the workflow's logic can be
// tested path by path in the SDK's test environment with time skipping. Its bank behaves
// like the simulated bank's test accounts: scripted transient, ambiguous and permanent
// failures, idempotent per key.
type world struct {
	mu sync.Mutex

	missing     bool                    // Snapshot finds no enterprise
	assessment  claim.Assessment        // what Assess returns
	outcome     activities.AssessOutput // payee, no-payment and confirmation Assess returns with it
	reserveSeq  []string                // outcomes Reserve returns in order; the last one repeats
	reserveCall int

	bankScript []string // per Pay attempt: "transient", "ambiguous", "permanent", "ok"
	payCalls   int
	paid       map[string]decimal.Decimal // key → amount the bank took
	payees     []string                   // the credit code of each payment the bank took
	account    string                     // the filer's account in the snapshot ("" for none)
	accountNow string                     // the account on record when paying, if changed since
	approvedTo []string                   // the account each Pay call was told finance approved
	settled    map[string]bool

	changes  []activities.Change
	released int
	commits  int
	steps    map[int]bool
}

func newWorld(amount string) *world {
	return &world{
		assessment: claim.Assessment{RuleVersion: "freight/v1", Amount: decimal.RequireFromString(amount)},
		reserveSeq: []string{activities.OutcomeReserved},
		paid:       map[string]decimal.Decimal{},
		settled:    map[string]bool{},
		steps:      map[int]bool{},
	}
}

func (w *world) register(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterWorkflow(ClaimWorkflow)
	reg := func(fn any, name string) { env.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name}) }
	reg(w.Snapshot, "Snapshot")
	reg(w.Assess, "Assess")
	reg(w.Record, "Record")
	reg(w.Reserve, "Reserve")
	reg(w.Release, "Release")
	reg(w.Commit, "Commit")
	reg(w.Pay, "Pay")
	reg(w.CheckPayment, "CheckPayment")
}

func (w *world) Snapshot(ctx context.Context, in contract.Input) (activities.Snapshot, error) {
	if w.missing {
		return activities.Snapshot{}, temporal.NewNonRetryableApplicationError("no enterprise "+in.CreditCode, activities.ErrTypeNotFound, nil)
	}
	return activities.Snapshot{
		Enterprise: enterprise.Enterprise{CreditCode: in.CreditCode, Industry: "industry", Region: "540100",
			Bank: enterprise.BankAccount{AccountNumber: w.account}},
		Program: program.Program{ID: in.ProgramID, Kind: program.Freight, Approval: program.DefaultApproval()},
	}, nil
}

func (w *world) Assess(ctx context.Context, in activities.AssessInput) (activities.AssessOutput, error) {
	out := w.outcome
	out.Assessment, out.Cap = w.assessment, decimal.RequireFromString("500000")
	return out, nil
}

func (w *world) Record(ctx context.Context, ch activities.Change) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.steps[ch.Step] {
		return nil // applied once, like the store
	}
	w.steps[ch.Step] = true
	w.changes = append(w.changes, ch)
	return nil
}

func (w *world) Reserve(ctx context.Context, in activities.ReserveInput) (activities.ReserveOutcome, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := min(w.reserveCall, len(w.reserveSeq)-1)
	w.reserveCall++
	return activities.ReserveOutcome{Outcome: w.reserveSeq[i], Amount: in.Requested, Position: 1}, nil
}

func (w *world) Release(ctx context.Context, ref activities.ClaimRef) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.released++
	return nil
}

func (w *world) Commit(ctx context.Context, ref activities.ClaimRef) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.commits++
	return nil
}

func (w *world) Pay(ctx context.Context, in activities.PayInput) (activities.Payment, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.approvedTo = append(w.approvedTo, in.ApprovedAccount)
	if now := w.accountNow; in.ApprovedAccount != "" && now != "" && now != in.ApprovedAccount {
		return activities.Payment{}, temporal.NewNonRetryableApplicationError("account changed",
			activities.ErrTypeAccountChanged, nil, activities.AccountChange{Approved: in.ApprovedAccount, Account: now,
				Bank: enterprise.BankAccount{BankName: "Bank of Tibet", AccountName: "changed", AccountNumber: now}})
	}
	if _, ok := w.paid[in.Key]; ok { // asked the bank first: it has the key
		return activities.Payment{Key: in.Key, BankRef: "B-" + in.Key, State: "accepted"}, nil
	}
	step := "ok"
	if w.payCalls < len(w.bankScript) {
		step = w.bankScript[w.payCalls]
	}
	w.payCalls++
	switch step {
	case "transient":
		return activities.Payment{}, errors.New("bank: service unavailable")
	case "ambiguous":
		w.paid[in.Key] = in.Amount
		return activities.Payment{}, errors.New("bank: timeout")
	case "permanent":
		p := activities.Payment{Key: in.Key, State: "failed", FailureCode: "ACCOUNT_CLOSED", FailureText: "account closed"}
		return activities.Payment{}, temporal.NewNonRetryableApplicationError("refused", activities.ErrTypeBankPermanent, nil, p)
	}
	w.paid[in.Key] = in.Amount
	w.payees = append(w.payees, in.CreditCode)
	return activities.Payment{Key: in.Key, BankRef: "B-" + in.Key, State: "accepted"}, nil
}

func (w *world) CheckPayment(ctx context.Context, in activities.PayInput) (activities.Payment, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.settled[in.Key] { // settles on the second look, as a bank settles asynchronously
		w.settled[in.Key] = true
		return activities.Payment{}, temporal.NewApplicationError("pending", activities.ErrTypeBankPending)
	}
	return activities.Payment{Key: in.Key, BankRef: "B-" + in.Key, State: "settled"}, nil
}

// change returns the recorded change of an action, failing when there is none.
func (w *world) change(t *testing.T, action string) activities.Change {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.changes {
		if c.Action == action {
			return c
		}
	}
	t.Fatalf("no change %q among %v", action, w.changes)
	return activities.Change{}
}

// statuses lists the statuses the workflow recorded, in order.
func (w *world) statuses() []claim.Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []claim.Status
	for _, c := range w.changes {
		out = append(out, c.Status)
	}
	return out
}

func (w *world) actions() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, c := range w.changes {
		out = append(out, c.Action)
	}
	return out
}

// Actors used by the tests.
var (
	applicant  = access.Principal{Subject: "ent-admin", Role: access.Applicant, CreditCode: "91540000000000000X"}
	other      = access.Principal{Subject: "other-ent", Role: access.Applicant, CreditCode: "91540000000000001X"}
	officer    = access.Principal{Subject: "officer-li", Role: access.FinanceOfficer}
	officer2   = access.Principal{Subject: "officer-wang", Role: access.FinanceOfficer}
	supervisor = access.Principal{Subject: "supervisor-zhao", Role: access.FinanceSupervisor}
)

func input() contract.Input {
	return contract.Input{ClaimID: "C1", ProgramID: "P1", Kind: program.Freight,
		CreditCode: applicant.CreditCode, SubmittedBy: applicant, SubmittedAt: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)}
}

// updateCall records the outcome of one update sent from a delayed callback.
type updateCall struct {
	err   error
	state contract.State
	done  bool
}

// update sends a decision after delay and records its outcome.
func update(env *testsuite.TestWorkflowEnvironment, delay time.Duration, name string, d contract.Decision) *updateCall {
	call := &updateCall{}
	env.RegisterDelayedCallback(func() {
		d := signed(env, name, d)
		env.UpdateWorkflow(name, fmt.Sprintf("%s-%s-%d", name, d.Actor.Subject, delay), &testsuite.TestUpdateCallback{
			OnReject: func(err error) { call.err, call.done = err, true },
			OnAccept: func() {},
			OnComplete: func(v any, err error) {
				call.done, call.err = true, err
				if s, ok := v.(contract.State); ok {
					call.state = s
				}
			},
		}, d)
	}, delay)
	return call
}

func errType(t *testing.T, err error) string {
	t.Helper()
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

// testWorkflowID is the id the SDK's test environment gives the workflow under test.
const testWorkflowID = "default-test-workflow-id"

// signed is d as the API sends it: with a fresh proof for this workflow and decision.
func signed(env *testsuite.TestWorkflowEnvironment, name string, d contract.Decision) contract.Decision {
	out, err := contract.Sign(testWorkflowID, name, d, env.Now())
	if err != nil {
		panic(err)
	}
	return out
}

func TestMain(m *testing.M) {
	contract.SetDecisionKey([]byte("workflow-tests-decision-key-0123456789"))
	os.Exit(m.Run())
}

// mustSign unwraps a signed message for tests (the key is set in TestMain).
func mustSign[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
