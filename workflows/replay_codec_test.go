package workflows

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/payloadcodec"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// The recorded histories in testdata stay plain JSON: they hold test data only, they show
// in a diff what a workflow change did, and a key in the repository would protect nothing.
// What production stores is encrypted, so every recorded history is also replayed after
// encrypting each of its payloads, with the converters every process uses (app.Parts).

func codecReplayer(codec *payloadcodec.Codec) worker.WorkflowReplayer {
	dc := converter.DataConverter(converter.GetDefaultDataConverter())
	if codec != nil {
		dc = codec.DataConverter()
	}
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: dc,
		FailureConverter: temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
			DataConverter: dc, EncodeCommonAttributes: true}),
	})
	if err != nil {
		panic(err)
	}
	r.RegisterWorkflowWithOptions(ClaimWorkflow, workflow.RegisterOptions{Name: contract.WorkflowType})
	r.RegisterWorkflowWithOptions(VoucherWorkflow, workflow.RegisterOptions{Name: contract.VoucherWorkflowType})
	r.RegisterWorkflowWithOptions(LoanWorkflow, workflow.RegisterOptions{Name: contract.LoanWorkflowType})
	return r
}

func loadHistory(t *testing.T, path string) *historypb.History {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	require.NoError(t, err)
	return h
}

func encryptPayloads(t *testing.T, h *historypb.History, codec *payloadcodec.Codec) {
	t.Helper()
	require.NoError(t, proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{
		Visitor: func(_ *proxy.VisitPayloadsContext, p []*commonpb.Payload) ([]*commonpb.Payload, error) {
			return codec.Encode(p)
		},
	}))
}

func TestReplayEncryptedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	// Encrypted under a key since rotated out of first place: old histories keep replaying.
	old := payloadcodec.RandomKey("2026-05")
	writer, err := payloadcodec.New([]payloadcodec.Key{old})
	require.NoError(t, err)
	reader, err := payloadcodec.New([]payloadcodec.Key{payloadcodec.RandomKey("2026-11"), old})
	require.NoError(t, err)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			h := loadHistory(t, f)
			encryptPayloads(t, h, writer)
			require.NoError(t, codecReplayer(reader).ReplayWorkflowHistory(nil, h))
		})
	}
}

// The plain recorded histories replay through the codec too: payloads from before the
// codec pass through it undecrypted.
func TestReplayPlainHistoriesThroughTheCodec(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	codec, err := payloadcodec.New([]payloadcodec.Key{payloadcodec.RandomKey("k")})
	require.NoError(t, err)
	for _, f := range files {
		require.NoError(t, codecReplayer(codec).ReplayWorkflowHistory(nil, loadHistory(t, f)), f)
	}
}

// Without the key an encrypted history cannot be replayed: the replays above really read
// the payloads through the codec.
func TestEncryptedHistoryNeedsTheKey(t *testing.T) {
	codec, err := payloadcodec.New([]payloadcodec.Key{payloadcodec.RandomKey("k")})
	require.NoError(t, err)
	h := loadHistory(t, filepath.Join("testdata", "paid_after_info_v2.json"))
	encryptPayloads(t, h, codec)
	require.Error(t, codecReplayer(nil).ReplayWorkflowHistory(nil, h))
}
