package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/store"
)

// BenchmarkReserve measures one reservation on a program shared by all goroutines: the
// program row lock serialises them, so this is the ledger's ceiling per program.
func BenchmarkReserve(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	p := newProgram(b, s, "999999999999.00")
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := fmt.Sprintf("clm_bench_%d", n.Add(1))
			if _, err := s.Reserve(ctx, store.ReserveRequest{ProgramID: p.ID, ClaimID: id, CreditCode: id,
				Requested: dec("1000.00"), Cap: store.NoCap, Meta: sys}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
}

// BenchmarkAuditAppend measures appending to the hash-chained audit log, which every state
// change does; appends are serialised by the chain's head row.
func BenchmarkAuditAppend(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	amt := dec("1234.56")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.AppendAudit(ctx, audit.Entry{At: time.Now(), Actor: "bench", Role: "system",
				Action: "bench.append", ClaimID: "clm_bench", Amount: &amt, Details: []byte(`{"k":"v"}`)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
