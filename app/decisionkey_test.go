package app

import (
	"log/slog"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Environments opened one after another in one process (the e2e tests run many in
// parallel) share its random decision key: a decision signed before the second opens still
// verifies after. A key per Open made such decisions fail now and then as "not valid".
func TestRandomDecisionKeyIsOnePerProcess(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	setDecisionKey(Config{}, logger)
	d, err := contract.Sign("claim/clm_x", contract.UpdateApprove,
		contract.Decision{Actor: access.Principal{Subject: "officer-li", Role: access.FinanceOfficer}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	setDecisionKey(Config{}, logger) // another environment opens
	if err := contract.Verify("claim/clm_x", contract.UpdateApprove, d, time.Now()); err != nil {
		t.Fatalf("a decision signed before another Open: %v", err)
	}
}
