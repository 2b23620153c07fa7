package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"
)

// retryEvery is how long the cluster commands wait between attempts to reach Temporal.
var retryEvery = 2 * time.Second

// TLSConfig is the client side of the cluster's mutual TLS: nil when TEMPORAL_TLS_CERT is
// unset (a cluster without TLS, e.g. one reached through a trusted sidecar).
func (c Config) TLSConfig() (*tls.Config, error) {
	if c.TLSCert == "" && c.TLSKey == "" && c.TLSCA == "" {
		return nil, nil
	}
	if c.TLSCert == "" || c.TLSKey == "" {
		return nil, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: the cluster admits a client by its certificate")
	}
	pair, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{pair}, ServerName: c.TLSServerName, MinVersion: tls.VersionTLS12}
	if c.TLSCA != "" {
		pem, err := os.ReadFile(c.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA %s: no PEM certificate in it", c.TLSCA)
		}
	}
	return conf, nil
}

// clientOptions are the options every cluster command dials with: base (the process's
// codec, metrics and logger, Parts.ClientOptions) with the cluster's address, namespace and
// mutual TLS.
func clientOptions(cfg Config, base client.Options) (client.Options, error) {
	conf, err := cfg.TLSConfig()
	if err != nil {
		return client.Options{}, err
	}
	base.HostPort, base.Namespace = cfg.TemporalAddress, cfg.Namespace
	base.ConnectionOptions.TLS = conf
	return base, nil
}

// Dial connects to the Temporal frontend, retrying with a log line while it is not there.
func Dial(ctx context.Context, cfg Config, base client.Options, logger *slog.Logger) (client.Client, error) {
	opts, err := clientOptions(cfg, base)
	if err != nil {
		return nil, err
	}
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		logger.Warn("waiting for Temporal: cannot reach the frontend; retrying", "address", cfg.TemporalAddress,
			"retry_in", retryEvery, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("temporal at %s: %w", cfg.TemporalAddress, err)
		case <-time.After(retryEvery):
		}
	}
}

// WaitForNamespace returns once the namespace exists, logging while it does not (it is
// registered by `subsidyflow namespace`, which may run after this process starts).
func WaitForNamespace(ctx context.Context, c client.Client, cfg Config, logger *slog.Logger) error {
	for {
		_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: cfg.Namespace})
		if err == nil {
			return nil
		}
		var notFound *serviceerror.NamespaceNotFound
		if errors.As(err, &notFound) {
			logger.Warn("waiting for the Temporal namespace: it is not registered; run `subsidyflow namespace` (make migrate does)",
				"namespace", cfg.Namespace, "retry_in", retryEvery)
		} else {
			logger.Warn("waiting for Temporal: cannot describe the namespace; retrying", "namespace", cfg.Namespace,
				"retry_in", retryEvery, "err", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("namespace %s: %w", cfg.Namespace, err)
		case <-time.After(retryEvery):
		}
	}
}

// RegisterNamespace is `subsidyflow namespace`: it registers TEMPORAL_NAMESPACE with
// TEMPORAL_NAMESPACE_RETENTION when missing and says whether it had to. An existing
// namespace is left as it is (its retention too).
func RegisterNamespace(ctx context.Context, cfg Config, logger *slog.Logger) (bool, error) {
	// Registering a namespace carries no payloads: no codec needed.
	c, err := Dial(ctx, cfg, client.Options{Logger: sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk"))}, logger)
	if err != nil {
		return false, err
	}
	defer c.Close()
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace:                        cfg.Namespace,
		Description:                      "subsidyflow claims",
		WorkflowExecutionRetentionPeriod: durationpb.New(cfg.NamespaceRetention),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	switch {
	case errors.As(err, &exists):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("register namespace %s: %w", cfg.Namespace, err)
	}
	// Registration reaches every frontend through its namespace cache a few seconds later;
	// wait, so that whoever runs this next (a worker, the api) finds it.
	return true, WaitForNamespace(ctx, c, cfg, logger)
}
