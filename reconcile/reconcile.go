// Package reconcile compares the bank's settlement report of one day with the claims we
// consider paid (POLICIES.md, "Finance reconciles payments against the bank's settlement
// report every day"): every settlement must match exactly one paid claim under the same
// payment key and for the same amount, and every paid claim must have its settlement.
// Whatever does not match is listed for a person to resolve; nothing is corrected here.
// It does no I/O, so every rule is a table test.
package reconcile

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

// Kind names one way a settlement and our claims can disagree.
type Kind string

const (
	// UnknownClaim: the bank settled a payment that names no claim of ours, neither by
	// reference nor by payment key.
	UnknownClaim Kind = "unknown_claim"
	// AmountMismatch: the settlement and the claim agree on the key but not on the amount.
	AmountMismatch Kind = "amount_mismatch"
	// ClaimNotPaid: the bank settled the claim's payment but the claim is not paid (yet: a
	// claim still disbursing may simply not have recorded the settlement).
	ClaimNotPaid Kind = "claim_not_paid"
	// DuplicateSettlement: money reached the claim more than once, either the same key
	// settled twice or a key other than the one the claim records as its payment.
	DuplicateSettlement Kind = "duplicate_settlement"
	// PaidWithoutSettlement: the claim says its payment settled that day, the bank's
	// report of that day does not list it.
	PaidWithoutSettlement Kind = "paid_without_settlement"
)

// Claim is what reconciliation needs to know of one claim.
type Claim struct {
	ID        string
	Status    claim.Status
	Amount    *decimal.Decimal // the subsidy; nil before it is assessed
	Key       string           // the payment's idempotency key; "" before a payment is sent
	SettledAt *time.Time       // when the claim's payment record says it settled
}

// Mismatch is one disagreement. ClaimID is the claim the settlement names (which may not
// exist) or the claim without a settlement.
type Mismatch struct {
	Kind        Kind
	ClaimID     string
	Key         string
	BankAmount  *decimal.Decimal // nil for PaidWithoutSettlement
	ClaimAmount *decimal.Decimal // nil for UnknownClaim
	Detail      string
}

// Report is the outcome of one day's reconciliation.
type Report struct {
	Matched      int             // settlements that match their paid claim exactly
	TotalSettled decimal.Decimal // sum of every settlement of the day, matched or not
	Mismatches   []Mismatch      // in report order, then the paid claims without settlement
}

// OK reports whether the day reconciles: nothing for a person to look at.
func (r Report) OK() bool { return len(r.Mismatches) == 0 }

// Compare reconciles the settlements of the day [from, to) with claims. claims must hold
// every claim a settlement names (by id or payment key) and every paid claim whose payment
// settled in [from, to); extra claims are harmless.
func Compare(from, to time.Time, settlements []bank.Settlement, claims []Claim) Report {
	byID, byKey := map[string]Claim{}, map[string]Claim{}
	for _, c := range claims {
		byID[c.ID] = c
		if c.Key != "" {
			byKey[c.Key] = c
		}
	}
	rep := Report{TotalSettled: decimal.Zero, Mismatches: []Mismatch{}}
	settledKeys := map[string]bool{}
	for _, s := range settlements {
		rep.TotalSettled = rep.TotalSettled.Add(s.Amount)
		c, ok := byID[s.Reference]
		if !ok {
			c, ok = byKey[s.Key] // a reference garbled on the way should not hide a known payment
		}
		m, matched := judge(s, c, ok, settledKeys[s.Key])
		settledKeys[s.Key] = true
		if matched {
			rep.Matched++
		} else {
			rep.Mismatches = append(rep.Mismatches, m)
		}
	}
	reported := map[string]bool{}
	for _, c := range claims {
		if c.Status != claim.Paid || c.SettledAt == nil || reported[c.ID] || settledKeys[c.Key] ||
			c.SettledAt.Before(from) || !c.SettledAt.Before(to) {
			continue
		}
		reported[c.ID] = true
		rep.Mismatches = append(rep.Mismatches, Mismatch{Kind: PaidWithoutSettlement, ClaimID: c.ID, Key: c.Key,
			ClaimAmount: c.Amount, Detail: fmt.Sprintf("the claim records its payment as settled at %s; "+
				"the bank's report of the day does not list key %q", c.SettledAt.UTC().Format(time.RFC3339), c.Key)})
	}
	return rep
}

// judge decides one settlement against the claim it names (found false when none);
// seenKey is true when an earlier settlement of the day carried the same key.
func judge(s bank.Settlement, c Claim, found, seenKey bool) (Mismatch, bool) {
	bankAmount := s.Amount
	m := Mismatch{ClaimID: s.Reference, Key: s.Key, BankAmount: &bankAmount}
	if !found {
		m.Kind = UnknownClaim
		m.Detail = fmt.Sprintf("no claim has id %q or payment key %q", s.Reference, s.Key)
		return m, false
	}
	m.ClaimID, m.ClaimAmount = c.ID, c.Amount
	switch {
	case seenKey:
		m.Kind = DuplicateSettlement
		m.Detail = fmt.Sprintf("key %q is settled more than once in the day's report (bank ref %s)", s.Key, s.BankRef)
	case c.Key != s.Key:
		m.Kind = DuplicateSettlement
		m.Detail = fmt.Sprintf("the claim records its payment under key %q; this settlement (bank ref %s) "+
			"under key %q pays it again", c.Key, s.BankRef, s.Key)
	case c.Status != claim.Paid:
		m.Kind = ClaimNotPaid
		m.Detail = fmt.Sprintf("the bank settled the payment but the claim is %s", c.Status)
		if c.Status == claim.Disbursing {
			m.Detail += "; it may not have recorded the settlement yet, check again in a few minutes"
		}
	case c.Amount == nil || !c.Amount.Equal(s.Amount):
		m.Kind = AmountMismatch
		m.Detail = fmt.Sprintf("the bank settled %s, the claim's amount is %s", money.Format(s.Amount), amountText(c.Amount))
	default:
		return Mismatch{}, true
	}
	return m, false
}

func amountText(d *decimal.Decimal) string {
	if d == nil {
		return "not set"
	}
	return money.Format(*d)
}
