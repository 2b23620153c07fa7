package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// 200 claims race for a budget that covers 100: exactly 100 hold money, the rest wait, and
// the budget is never overspent at any moment we look.
func TestConcurrentClaimsNeverOverspend(t *testing.T) {
	t.Parallel()
	const claims, covered = 200, 100
	e := apptest.Start(t)
	prg := e.FreightProgram(t, "50000.00") // 100 × 500.00
	e.Enterprise(t, e.CreditCode, "6222000011118888")

	stop := make(chan struct{})
	violations := make(chan string, 1)
	go watchBudget(e, prg, stop, violations)

	ids := make([]string, claims)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range claims {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := e.FileFreight(t, "applicant", prg, apptest.Shipment(10000+i, "1000.00"))
			if r.Status != 201 {
				t.Errorf("claim %d: %d %s", i, r.Status, r.Body)
				return
			}
			ids[i] = r.JSON["id"].(string)
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	counts := settle(t, e, ids, 180*time.Second)
	close(stop)
	select {
	case v := <-violations:
		t.Fatal(v)
	default:
	}
	require.Equal(t, covered, counts["pending_approval"], "%v", counts)
	require.Equal(t, claims-covered, counts["waiting_for_budget"], "%v", counts)
	p := e.Do(t, "GET", "/v1/programs/"+prg, "admin", nil)
	require.Equal(t, "50000.00", p.JSON["reserved"])
	require.Equal(t, "0.00", p.JSON["available"])
}

// settle waits until every claim is pending approval or waiting for budget and counts them.
func settle(t *testing.T, e *apptest.Env, ids []string, timeout time.Duration) map[string]int {
	deadline := time.Now().Add(timeout)
	for {
		counts := map[string]int{}
		for _, id := range ids {
			st, err := e.Parts.Store.GetClaim(context.Background(), id)
			require.NoError(t, err)
			counts[string(st.Status)]++
		}
		if counts["pending_approval"]+counts["waiting_for_budget"] == len(ids) || time.Now().After(deadline) {
			return counts
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// watchBudget reads the program again and again and reports the first moment reserved plus
// committed exceeds the budget.
func watchBudget(e *apptest.Env, programID string, stop <-chan struct{}, out chan<- string) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		p, err := e.Parts.Store.GetProgram(context.Background(), programID)
		if err != nil {
			continue
		}
		if p.Reserved.Add(p.Committed).GreaterThan(p.Budget) || p.Available().LessThan(decimal.Zero) {
			out <- "overspent: reserved " + p.Reserved.String() + " committed " + p.Committed.String()
			return
		}
	}
}
