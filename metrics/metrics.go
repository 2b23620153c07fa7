// Package metrics is subsidyflow's Prometheus registry: the Temporal SDK's own metrics
// (through its tally bridge), the product's counters that processes observe as things
// happen (payouts, bank attempts, approval latency), and gauges read from PostgreSQL at
// scrape time (claims by status and program, budget per program, audit rows).
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shopspring/decimal"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"

	"github.com/subsidyflow/subsidyflow/store"
)

// Source is where scrape-time gauges come from (*store.Store).
type Source interface {
	MetricsSnapshot(ctx context.Context) (store.MetricsSnapshot, error)
}

// Metrics holds one process's registry. A nil *Metrics records nothing, so code paths
// that run without metrics (unit tests) need no guard.
type Metrics struct {
	registry        *prometheus.Registry
	sdk             client.MetricsHandler
	closeSDK        func()
	payouts         *prometheus.HistogramVec
	bankAttempts    *prometheus.CounterVec
	approvalLatency *prometheus.HistogramVec
}

// New builds the registry; src (nil: none) is read at every scrape.
func New(src Source, logger *slog.Logger) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		payouts: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "subsidyflow_payout_amount_yuan",
			Help:    "Payments the bank settled, by program kind, in yuan (observed by the worker that saw the settlement).",
			Buckets: []float64{100, 1000, 5000, 10000, 50000, 100000, 500000, 1000000, 5000000},
		}, []string{"kind"}),
		bankAttempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "subsidyflow_bank_attempts_total",
			Help: "Calls to the bank by operation (pay, check) and outcome.",
		}, []string{"operation", "outcome"}),
		approvalLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "subsidyflow_approval_latency_seconds",
			Help: "Time from filing a claim to finance's final approval, by program kind.",
			// Minutes to weeks: people decide, and deadlines are counted in days.
			Buckets: []float64{60, 600, 3600, 4 * 3600, 86400, 2 * 86400, 5 * 86400, 10 * 86400, 30 * 86400},
		}, []string{"kind"}),
	}
	reg.MustRegister(m.payouts, m.bankAttempts, m.approvalLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		reg.MustRegister(&ledgerCollector{src: src, log: logger})
	}
	m.sdk, m.closeSDK = sdkHandler(reg, logger)
	return m
}

// sdkHandler bridges the Temporal SDK's metrics (workflow and activity task latencies,
// poller counts, request failures, …) into reg, as temporal_* families.
func sdkHandler(reg *prometheus.Registry, logger *slog.Logger) (client.MetricsHandler, func()) {
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:       reg,
		DefaultTimerType: tallyprom.HistogramTimerType,
		OnRegisterError: func(err error) {
			logger.Warn("metrics: SDK metric not registered", "err", err)
		},
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	return sdktally.NewMetricsHandler(scope), func() { _ = closer.Close() }
}

// SDKHandler is what Temporal clients and workers report to (nil: client.MetricsNopHandler).
func (m *Metrics) SDKHandler() client.MetricsHandler {
	if m == nil {
		return client.MetricsNopHandler
	}
	return m.sdk
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Close stops the SDK bridge's reporting loop.
func (m *Metrics) Close() {
	if m != nil {
		m.closeSDK()
	}
}

// BankAttempt counts one call to the bank.
func (m *Metrics) BankAttempt(operation, outcome string) {
	if m != nil {
		m.bankAttempts.WithLabelValues(operation, outcome).Inc()
	}
}

// Payout records a settled payment.
func (m *Metrics) Payout(kind string, amount decimal.Decimal) {
	if m != nil {
		m.payouts.WithLabelValues(kind).Observe(amount.InexactFloat64())
	}
}

// Approved records how long a claim waited from filing to its final approval.
func (m *Metrics) Approved(kind string, waited time.Duration) {
	if m != nil {
		m.approvalLatency.WithLabelValues(kind).Observe(waited.Seconds())
	}
}
