package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/bank"
)

// Pay sends one payment under its idempotency key. Every attempt first asks the bank
// whether the key already arrived, so an attempt that timed out after the bank took the
// money is never sent again. The account is read from the registry at the time of sending,
// so a corrected account is used by the next payment.
func (a *Activities) Pay(ctx context.Context, in PayInput) (Payment, error) {
	if r, err := a.Bank.Status(ctx, in.Key); err == nil {
		if err := a.audit(ctx, in, "payment.status_checked", map[string]any{"key": in.Key, "state": r.State, "attempt": activity.GetInfo(ctx).Attempt}); err != nil {
			return Payment{}, err
		}
		return receiptResult(in, r)
	} else if !errors.Is(err, bank.ErrUnknownPayment) {
		return Payment{}, fmt.Errorf("bank status of %s: %w", in.Key, err)
	}
	ent, err := a.Store.GetEnterprise(ctx, in.CreditCode)
	if err != nil {
		return Payment{}, refusal(err, ErrTypeNotRegistered)
	}
	acct := ent.Bank
	if in.ApprovedAccount != "" && acct.AccountNumber != in.ApprovedAccount {
		// Finance approved paying another account: send nothing, go back for approval.
		ch := AccountChange{Approved: in.ApprovedAccount, Account: acct.AccountNumber, Bank: acct}
		if err := a.audit(ctx, in, "payment.withheld", map[string]any{"key": in.Key,
			"reason": "the payee's account changed after approval"}); err != nil {
			return Payment{}, err
		}
		return Payment{}, temporal.NewNonRetryableApplicationError("the payee's account changed after approval",
			ErrTypeAccountChanged, nil, ch)
	}
	r, err := a.Bank.Pay(ctx, bank.Payment{Key: in.Key, BankName: acct.BankName, AccountName: acct.AccountName,
		AccountNumber: acct.AccountNumber, Amount: in.Amount, Reference: in.ClaimID})
	// The audit row names the account by its masked form and keyed hash, never the number.
	ref := a.Store.AccountRef(acct.AccountNumber)
	details := map[string]any{"key": in.Key, "account_number_masked": ref.Masked,
		"account_number_hmac": ref.HMAC, "attempt": activity.GetInfo(ctx).Attempt}
	a.Metrics.BankAttempt("pay", payOutcome(err))
	switch {
	case err == nil:
		if err := a.audit(ctx, in, "payment.sent", details); err != nil {
			return Payment{}, err
		}
		return receiptResult(in, r)
	case bank.IsPermanent(err):
		details["error"] = err.Error()
		if aerr := a.audit(ctx, in, "payment.refused", details); aerr != nil {
			return Payment{}, aerr
		}
		return Payment{}, permanent(in, acct.AccountNumber, err)
	case bank.IsAmbiguous(err):
		details["error"] = err.Error()
		_ = a.audit(ctx, in, "payment.outcome_unknown", details) // retried anyway
	default:
		details["error"] = err.Error()
		_ = a.audit(ctx, in, "payment.transient_error", details) // retried anyway
	}
	return Payment{}, fmt.Errorf("send payment %s: %w", in.Key, err) // retried with backoff
}

// CheckPayment waits for an accepted payment to settle; while it has not, it fails with a
// retryable BankPending error so the retry policy does the polling.
func (a *Activities) CheckPayment(ctx context.Context, in PayInput) (Payment, error) {
	r, err := a.Bank.Status(ctx, in.Key)
	if err != nil {
		a.Metrics.BankAttempt("check", "error")
		return Payment{}, fmt.Errorf("bank status of %s: %w", in.Key, err)
	}
	p, err := receiptResult(in, r)
	if err == nil && p.State != string(bank.Settled) {
		a.Metrics.BankAttempt("check", "pending")
		// Expected while the bank settles: benign, so the SDK logs the retry at DEBUG, not
		// as an activity ERROR, and no alert fires on a payment that is merely not done yet.
		return p, temporal.NewApplicationErrorWithOptions("payment accepted, not yet settled", ErrTypeBankPending,
			temporal.ApplicationErrorOptions{Category: temporal.ApplicationErrorCategoryBenign})
	}
	if err != nil {
		a.Metrics.BankAttempt("check", "failed")
		return p, err
	}
	a.Metrics.BankAttempt("check", "settled")
	if err := a.audit(ctx, in, "payment.settled", map[string]any{"key": in.Key, "bank_ref": r.BankRef}); err != nil {
		return p, err
	}
	a.observePayout(ctx, in)
	return p, nil
}

// payOutcome names a payment attempt's outcome for the bank-attempts counter.
func payOutcome(err error) string {
	switch {
	case err == nil:
		return "accepted"
	case bank.IsPermanent(err):
		return "refused"
	case bank.IsAmbiguous(err):
		return "outcome_unknown"
	}
	return "transient_error"
}

// observePayout records a settled payment by its claim's kind. A retried settlement check
// may observe it twice on rare occasions; the claims_amount gauge read from PostgreSQL is
// the exact figure.
func (a *Activities) observePayout(ctx context.Context, in PayInput) {
	if a.Metrics == nil {
		return
	}
	kind := "unknown"
	if c, err := a.Store.GetClaim(ctx, in.ClaimID); err == nil {
		kind = string(c.Kind)
	}
	a.Metrics.Payout(kind, in.Amount)
}

// receiptResult turns a bank receipt into the workflow's view; a failed payment is a
// permanent failure carrying the receipt.
func receiptResult(in PayInput, r bank.Receipt) (Payment, error) {
	p := Payment{Key: r.Key, BankRef: r.BankRef, State: string(r.State), AccountNumber: r.AccountNumber,
		FailureCode: r.FailureCode, FailureText: r.FailureText, SettledAt: r.SettledAt}
	if r.State == bank.Failed {
		return Payment{}, temporal.NewNonRetryableApplicationError(
			"the bank refused the payment: "+r.FailureText, ErrTypeBankPermanent, nil, p)
	}
	return p, nil
}

func permanent(in PayInput, account string, err error) error {
	p := Payment{Key: in.Key, State: string(bank.Failed), AccountNumber: account, FailureText: err.Error()}
	var be *bank.Error
	if errors.As(err, &be) {
		p.FailureCode, p.FailureText = be.Code, be.Text
	}
	return temporal.NewNonRetryableApplicationError("the bank refused the payment: "+p.FailureText,
		ErrTypeBankPermanent, nil, p)
}

// audit records a bank interaction. The claim's own status changes are audited by Record;
// these rows show every attempt in between. A failed audit write fails the attempt, which is
// retried: the audit log must not miss a payment event.
func (a *Activities) audit(ctx context.Context, in PayInput, action string, details map[string]any) error {
	raw, _ := json.Marshal(details)
	amt := in.Amount
	err := a.Store.AppendAudit(ctx, audit.Entry{
		At: a.now().UTC(), Actor: in.Meta.Actor.Subject, Role: string(in.Meta.Actor.Role), Action: action,
		ClaimID: in.ClaimID, Amount: &amt, Details: raw, WorkflowID: in.Meta.WorkflowID, RunID: in.Meta.RunID,
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
