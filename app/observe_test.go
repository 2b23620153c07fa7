package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestObservabilitySettingsFromEnv(t *testing.T) {
	t.Setenv("PAYLOAD_KEYS", "new:"+strings.Repeat("A", 43)+"=,old:"+strings.Repeat("B", 43)+"=")
	t.Setenv("TEMPORAL_UI_URL", "https://temporal.example.gov/")
	t.Setenv("TEMPORAL_UI_PORT", "0")
	t.Setenv("METRICS_ADDR", "10.0.0.5:9090")
	t.Setenv("LOG_FORMAT", "text")
	t.Setenv("LOG_LEVEL", "debug")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.PayloadKeys) != 2 || c.PayloadKeys[0].ID != "new" {
		t.Errorf("PAYLOAD_KEYS: %+v", c.PayloadKeys)
	}
	if c.UIURL != "https://temporal.example.gov" || c.UIOrigin() != "https://temporal.example.gov" || c.UIPort != 0 {
		t.Errorf("UI: %q %q %d", c.UIURL, c.UIOrigin(), c.UIPort)
	}
	if c.MetricsAddr != "10.0.0.5:9090" || c.LogFormat != "text" || c.LogLevel != slog.LevelDebug {
		t.Errorf("metrics/logs: %q %q %v", c.MetricsAddr, c.LogFormat, c.LogLevel)
	}
}

func TestBadObservabilitySettingsAreRefused(t *testing.T) {
	for k, v := range map[string]string{"PAYLOAD_KEYS": "k1:dG9vIHNob3J0", "TEMPORAL_UI_PORT": "http",
		"TEMPORAL_UI_URL": "localhost:8233", "LOG_FORMAT": "xml", "LOG_LEVEL": "loud"} {
		t.Run(k, func(t *testing.T) {
			t.Setenv(k, v)
			if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%s=%q: err = %v, want one naming %s", k, v, err, k)
			}
		})
	}
}

// api and worker refuse to start without shared payload keys: a key of their own would
// leave every other process unable to read what they wrote.
func TestClusterCommandsNeedPayloadKeys(t *testing.T) {
	cfg := Config{DecisionKey: []byte(strings.Repeat("k", 32)), PIIHashKey: []byte(strings.Repeat("p", 32))}
	_, _, err := openCluster(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "PAYLOAD_KEYS") {
		t.Fatalf("err = %v, want PAYLOAD_KEYS required", err)
	}
}
