package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// A guarantee institution files for many contracts at once: lines are judged one by one
// against the registry (the registry's size class wins and finance sees the difference),
// the total is rounded once and limited by the institution's yearly cap, a contract already
// claimed is refused naming the first claim, and the institution is paid.
func TestGuaranteeFeeRebateFromFilingToPayment(t *testing.T) {
	t.Parallel()
	e := apptest.Start(t)
	inst := apptest.MustCode("91540100MA6T00005")
	e.Enterprise(t, inst, "6222000011110101") // the institution is paid: registered with an account
	e.Enterprise(t, e.CreditCode, "6222000011110202")
	e.Token(t, "institution", access.Principal{Subject: "guarantor-ma", Role: access.Institution, CreditCode: inst})
	prg := e.GuaranteeProgram(t, "1000000.00", inst, map[string]any{"yearly_cap": "6000.00"})

	// Only institutions file guarantee claims.
	r := e.FileGuarantee(t, "applicant", prg, apptest.Guarantee("G-1", e.CreditCode, "small"))
	require.Equal(t, 403, r.Status, "%s", r.Body)

	micro := apptest.Guarantee("G-4", e.OtherCode, "micro")
	micro["counter_guarantee"] = true
	dear := apptest.Guarantee("G-3", e.OtherCode, "small")
	dear["fee_rate"] = "0.012"
	r = e.FileGuarantee(t, "institution", prg,
		apptest.Guarantee("G-1", e.CreditCode, "medium"), // registry says small: eligible, difference shown
		apptest.Guarantee("G-2", e.OtherCode, "large"),   // not registered: the claimed class counts
		dear, micro)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	first := r.JSON["id"].(string)
	c := e.WaitStatus(t, first, "pending_approval", wait)
	require.Equal(t, "5000.00", c.JSON["amount"], "min(8000.00, 1,000,000.00 × 0.005 × 365/365)")
	lines := c.JSON["lines"].([]any)
	want := []string{"", "borrower_not_sme", "fee_rate_above_max", "counter_guarantee_required"}
	for i, reason := range want {
		l := lines[i].(map[string]any)
		if reason == "" {
			require.Equal(t, true, l["eligible"], "line %d: %v", i, l)
			require.Contains(t, l["text"], "registry says small, claim says medium")
			continue
		}
		require.Equal(t, reason, l["reason"], "line %d", i)
	}
	requireLedger(t, e, prg, "5000.00", "0.00")

	// The yearly cap: 6000.00 per institution, 5000.00 already held.
	r = e.FileGuarantee(t, "institution", prg, apptest.Guarantee("G-5", e.CreditCode, "small"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	capped := e.WaitStatus(t, r.JSON["id"].(string), "pending_approval", wait)
	require.Equal(t, "1000.00", capped.JSON["amount"], "capped at what is left of 6000.00")
	requireLedger(t, e, prg, "6000.00", "0.00")

	// A contract already claimed is refused naming the first claim.
	r = e.FileGuarantee(t, "institution", prg, apptest.Guarantee(" g-1", e.CreditCode, "small"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	dup := e.WaitStatus(t, r.JSON["id"].(string), "rejected", wait)
	line := dup.JSON["lines"].([]any)[0].(map[string]any)
	require.Equal(t, "already_claimed", line["reason"])
	require.Equal(t, first, line["conflict"])

	// The institution sees its own claims only; finance approves; the institution is paid.
	list := e.Do(t, "GET", "/v1/claims", "institution", nil)
	require.Len(t, list.JSON["items"], 3)
	decide(t, e, "officer", first, "approve", "contracts checked", 200)
	paid := e.WaitStatus(t, first, "paid", wait)
	require.Equal(t, "****0101", paid.JSON["payment"].(map[string]any)["account_number"])
	requireLedger(t, e, prg, "1000.00", "5000.00")
	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
}
