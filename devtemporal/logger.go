package devtemporal

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// slogBridge adapts the server's logger interface to slog. Debug and Info are dropped before
// any tag is rendered: the server logs dozens of lines per second at info while it starts
// (shard ownership, queue processors, namespace cache), which would bury the application's
// own output during `make dev`. Warnings and errors still come through, except for the
// known-harmless ones below.
type slogBridge struct {
	l *slog.Logger
	// stopping is set by Server.Stop. The services shut down one after another and each
	// warns about peers that are already gone ("Failed to poll for task", "network dial
	// error"); those warnings say nothing while stopping, so only errors pass then.
	stopping *atomic.Bool
}

// benignWarnings are printed at every start of a correctly configured dev server.
var benignWarnings = []string{
	// We do not open the frontend's HTTP port (one port fewer); we do not use Nexus.
	"HTTP API port has not been set",
}

var _ log.Logger = slogBridge{}
var _ log.WithLogger = slogBridge{}

func newServerLogger(l *slog.Logger, stopping *atomic.Bool) log.Logger {
	return slogBridge{l: l.With("component", "temporal-server"), stopping: stopping}
}

func (b slogBridge) Debug(string, ...tag.Tag) {}
func (b slogBridge) Info(string, ...tag.Tag)  {}

func (b slogBridge) Warn(msg string, tags ...tag.Tag) {
	if b.stopping.Load() {
		return
	}
	for _, prefix := range benignWarnings {
		if strings.HasPrefix(msg, prefix) {
			return
		}
	}
	b.log(slog.LevelWarn, msg, tags)
}

func (b slogBridge) Error(msg string, tags ...tag.Tag) { b.log(slog.LevelError, msg, tags) }

// DPanic panics only in development builds of the server; here it is an error line.
func (b slogBridge) DPanic(msg string, tags ...tag.Tag) { b.log(slog.LevelError, msg, tags) }

// Panic and Fatal keep their contracts: server code that calls them does not expect to
// continue, so returning normally would leave it running in a state it considers impossible.
func (b slogBridge) Panic(msg string, tags ...tag.Tag) {
	b.log(slog.LevelError, msg, tags)
	panic(msg)
}

func (b slogBridge) Fatal(msg string, tags ...tag.Tag) {
	b.log(slog.LevelError, msg, tags)
	os.Exit(1)
}

// With lets the server pre-attach tags (service name, shard id) without rebuilding them on
// every call.
func (b slogBridge) With(tags ...tag.Tag) log.Logger {
	return slogBridge{l: b.l.With(attrs(tags)...), stopping: b.stopping}
}

func (b slogBridge) log(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if !b.l.Enabled(ctx, level) {
		return
	}
	b.l.Log(ctx, level, msg, attrs(tags)...)
}

func attrs(tags []tag.Tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, slog.Any(t.Key(), t.Value()))
	}
	return out
}

// warnFilter passes records at warn and above to the wrapped handler. It is used for the SDK
// clients this package creates, whose info lines ("Started Worker", "No logger configured")
// would otherwise go to stdout.
type warnFilter struct {
	slog.Handler
}

func (h warnFilter) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.Handler.Enabled(ctx, level)
}

func (h warnFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return warnFilter{h.Handler.WithAttrs(as)}
}

func (h warnFilter) WithGroup(name string) slog.Handler {
	return warnFilter{h.Handler.WithGroup(name)}
}
