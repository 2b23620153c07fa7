package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/apptest"
)

// BenchmarkClaimToPendingApproval files claims over HTTP, 16 at a time, and waits until each
// has been validated, assessed and has money reserved: the whole stack (API, PostgreSQL,
// embedded Temporal, worker) on this machine. Reports claims per second.
func BenchmarkClaimToPendingApproval(b *testing.B) {
	e := apptest.Start(b)
	prg := e.FreightProgram(b, "999999999.00")
	e.Enterprise(b, e.CreditCode, "6222000011118888")
	b.ResetTimer()
	ids := make([]string, b.N)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range b.N {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := e.FileFreight(b, "applicant", prg, apptest.Shipment(i, "100.00"))
			if r.Status != 201 {
				b.Errorf("file: %d %s", r.Status, r.Body)
				return
			}
			ids[i] = r.JSON["id"].(string)
		}()
	}
	wg.Wait()
	for _, id := range ids {
		for {
			c, err := e.Parts.Store.GetClaim(context.Background(), id)
			if err == nil && c.Status == "pending_approval" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}
