package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the PostgreSQL reads of one scrape; a slow database makes the
// gauges go missing from that scrape, it does not hang the scraper.
const scrapeTimeout = 5 * time.Second

var (
	claimsDesc = prometheus.NewDesc("subsidyflow_claims",
		"Claims by program, kind and status, as the read model in PostgreSQL holds them.",
		[]string{"program", "kind", "status"}, nil)
	claimAmountDesc = prometheus.NewDesc("subsidyflow_claims_amount_yuan",
		"Sum of the claims' amounts by program, kind and status (status paid: the money paid out).",
		[]string{"program", "kind", "status"}, nil)
	budgetDesc = prometheus.NewDesc("subsidyflow_budget_yuan",
		"A program's budget by ledger account: budget, reserved, committed and available.",
		[]string{"program", "kind", "account"}, nil)
	auditRowsDesc = prometheus.NewDesc("subsidyflow_audit_rows",
		"Rows in the hash-chained audit log.", nil, nil)
)

// ledgerCollector reads the system of record at scrape time. Gauges from PostgreSQL rather
// than counters in memory: they are right after a restart and the same in every process.
type ledgerCollector struct {
	src Source
	log *slog.Logger
}

func (c *ledgerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- claimsDesc
	ch <- claimAmountDesc
	ch <- budgetDesc
	ch <- auditRowsDesc
}

func (c *ledgerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	snap, err := c.src.MetricsSnapshot(ctx)
	if err != nil {
		c.log.Warn("metrics: read claims and budgets", "err", err)
		ch <- prometheus.NewInvalidMetric(claimsDesc, err)
		return
	}
	for _, cc := range snap.Claims {
		ch <- prometheus.MustNewConstMetric(claimsDesc, prometheus.GaugeValue, float64(cc.Count), cc.ProgramID, cc.Kind, cc.Status)
		ch <- prometheus.MustNewConstMetric(claimAmountDesc, prometheus.GaugeValue, cc.Amount.InexactFloat64(), cc.ProgramID, cc.Kind, cc.Status)
	}
	for _, p := range snap.Programs {
		for account, v := range map[string]float64{"budget": p.Budget.InexactFloat64(),
			"reserved": p.Reserved.InexactFloat64(), "committed": p.Committed.InexactFloat64(),
			"available": p.Available().InexactFloat64()} {
			ch <- prometheus.MustNewConstMetric(budgetDesc, prometheus.GaugeValue, v, p.ProgramID, p.Kind, account)
		}
	}
	ch <- prometheus.MustNewConstMetric(auditRowsDesc, prometheus.GaugeValue, float64(snap.AuditRows))
}
