package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/metrics"
	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/temporalui"
)

// CodecPaths are where the API serves the payload codec endpoint: under /ui/ for the
// Temporal UI in a browser (the pages' session cookie is scoped to /ui/), under /v1/ for
// the Temporal CLI with a bearer token (--codec-endpoint, --codec-auth).
var CodecPaths = []string{"/ui/codec/", "/v1/codec/"}

// newCodec is the payload codec of this process: PAYLOAD_KEYS when set, else one random
// key for this process alone (tests; dev persists its own, see Dev; the cluster commands
// require PAYLOAD_KEYS).
func newCodec(cfg Config) (*payloadcodec.Codec, error) {
	keys := cfg.PayloadKeys
	if len(keys) == 0 {
		keys = []payloadcodec.Key{payloadcodec.RandomKey("process")}
	}
	return payloadcodec.New(keys)
}

// ClientOptions are the options every Temporal client and worker of this process is
// created with: payloads encrypted by the codec, failure messages and stack traces
// encrypted with them (a bank's refusal text may name an account), SDK metrics into this
// process's registry, SDK logs through the process's logger.
func (p *Parts) ClientOptions() client.Options {
	dc := p.Codec.DataConverter()
	return client.Options{
		DataConverter: dc,
		FailureConverter: temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
			DataConverter: dc, EncodeCommonAttributes: true}),
		MetricsHandler: p.Metrics.SDKHandler(),
		Logger:         sdklog.NewStructuredLogger(p.Logger.With("component", "temporal-sdk")),
	}
}

// mountCodec serves the codec endpoint on mux for finance and auditors.
func (p *Parts) mountCodec(mux *http.ServeMux, c client.Client) {
	h := p.codecHandler(c)
	for _, path := range CodecPaths {
		mux.Handle(path, h)
	}
}

// serveMetrics serves /metrics on its own listener until ctx ends. A separate address
// keeps the scrape inside the deployment's network: the API's port faces users, this one
// the Prometheus server (bind it to an internal interface).
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, logger *slog.Logger) error {
	if addr == "" || addr == metricsDisabled {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := NewHTTPServer(addr, mux)
	ln, err := listen(addr)
	if err != nil {
		return fmt.Errorf("METRICS_ADDR: %w", err)
	}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	logger.Info("metrics listening", "addr", ln.Addr().String(), "path", "/metrics")
	return nil
}

// startUI serves the Temporal Web UI for dev, pointing at the embedded frontend.
func startUI(ctx context.Context, cfg Config, temporalAddress string, logger *slog.Logger) (func(), error) {
	if cfg.UIPort == 0 {
		return func() {}, nil
	}
	ui, err := temporalui.Start(ctx, temporalui.Config{Port: cfg.UIPort, TemporalAddress: temporalAddress,
		Namespace: cfg.Namespace, CodecEndpoint: codecURL(cfg)})
	if err != nil {
		return nil, err
	}
	logger.Info("Temporal UI", "url", cfg.UIURL, "codec_endpoint", codecURL(cfg))
	return ui.Stop, nil
}

// codecURL is the codec endpoint as a browser on this machine reaches it.
func codecURL(cfg Config) string {
	return "http://localhost" + portOf(cfg.HTTPAddr) + CodecPaths[0][:len(CodecPaths[0])-1]
}

// historyUI is where traces link workflow runs to.
func historyUI(cfg Config) historylink.UI {
	return historylink.UI{BaseURL: cfg.UIURL, Namespace: cfg.Namespace}
}
