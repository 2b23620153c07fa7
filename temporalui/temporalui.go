// Package temporalui serves the Temporal Web UI (github.com/temporalio/ui-server, the same
// server and assets as the CLI's dev server) next to dev's embedded Temporal, so finance and
// auditors can read a claim's workflow history. The UI only reads: write actions (signal,
// cancel, terminate, reset, start) are switched off, because decisions go through the API,
// which checks who is asking and signs them. Payloads stay encrypted until the UI has the
// codec endpoint decode them, which only finance and auditors may use.
package temporalui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// Config says where the UI listens and what it shows.
type Config struct {
	Host            string // IP address to bind; default 127.0.0.1
	Port            int    // e.g. 8233
	TemporalAddress string // the frontend's gRPC host:port
	Namespace       string // shown first
	// CodecEndpoint is the codec endpoint's base URL (the UI appends /decode), e.g.
	// http://localhost:8080/ui/codec. The browser calls it with its cookies.
	CodecEndpoint string
}

// Server is a running UI server.
type Server struct {
	srv  *uiserver.Server
	addr string
	done chan struct{}
}

// Start serves the UI and returns once it answers.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	// The UI server exits the whole process when it cannot listen; find out first.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("temporal ui: %w (set TEMPORAL_UI_PORT to another port, or 0 for no UI)", err)
	}
	_ = ln.Close()

	srv := uiserver.NewServer(uioptions.WithConfigProvider(&uiconfig.Config{
		Host:                  cfg.Host,
		Port:                  cfg.Port,
		TemporalGRPCAddress:   cfg.TemporalAddress,
		EnableUI:              true,
		DefaultNamespace:      cfg.Namespace,
		HideLogs:              true,
		DisableWriteActions:   true,
		StartWorkflowDisabled: true,
		// The UI is served over plain HTTP on a developer's machine.
		CORS: uiconfig.CORS{CookieInsecure: true},
		Codec: uiconfig.Codec{
			Endpoint:           cfg.CodecEndpoint,
			IncludeCredentials: true,
			DefaultErrorMessage: "The payloads are encrypted. Sign in to subsidyflow's pages (/ui/) " +
				"as finance or an auditor to read them here.",
		},
		NotifyOnNewVersion: false,
		DisableNewsFetch:   true,
	}))
	s := &Server{srv: srv, addr: addr, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = srv.Start()
	}()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// URL is where the UI answers.
func (s *Server) URL() string { return "http://" + s.addr }

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return errors.New("temporal ui: did not answer at " + s.URL())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop closes the UI server.
func (s *Server) Stop() {
	s.srv.Stop()
	<-s.done
}
