package temporalui

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// The UI serves its pages and tells the browser where the codec endpoint is, and that
// it may not act on workflows.
func TestUIServesTheWebUIWithTheCodecEndpoint(t *testing.T) {
	s, err := Start(context.Background(), Config{Port: freePort(t), TemporalAddress: "127.0.0.1:7233",
		Namespace: "default", CodecEndpoint: "http://localhost:8080/ui/codec"})
	require.NoError(t, err)
	t.Cleanup(s.Stop)

	status, body := get(t, s.URL()+"/")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, strings.ToLower(body), "<html")

	// A deep link (a claim's history) is served the same single-page app.
	status, _ = get(t, s.URL()+"/namespaces/default/workflows/claim%2Fclm_1/run-a/history")
	require.Equal(t, http.StatusOK, status)

	status, body = get(t, s.URL()+"/api/v1/settings")
	require.Equal(t, http.StatusOK, status, body)
	var settings struct {
		Codec struct {
			Endpoint           string
			IncludeCredentials bool
		}
		DisableWriteActions bool
	}
	require.NoError(t, json.Unmarshal([]byte(body), &settings), body)
	require.Equal(t, "http://localhost:8080/ui/codec", settings.Codec.Endpoint)
	require.True(t, settings.Codec.IncludeCredentials)
	require.True(t, settings.DisableWriteActions)
}

func TestBusyPortIsAnErrorNotAnExit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = Start(context.Background(), Config{Port: ln.Addr().(*net.TCPAddr).Port, TemporalAddress: "127.0.0.1:7233"})
	require.ErrorContains(t, err, "TEMPORAL_UI_PORT")
}
