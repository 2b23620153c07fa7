// Package logging builds the process's slog logger: JSON (or text in dev), every key in
// snake_case, and the claim id on every line that names a claim's workflow, including the
// Temporal SDK's own lines (which carry WorkflowID and RunID but know nothing of claims).
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode"

	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// Format is how lines are written.
type Format string

const (
	JSON Format = "json" // production: one JSON object per line, for the log collector
	Text Format = "text" // dev: key=value lines for people
)

// ParseFormat reads LOG_FORMAT.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case JSON, Text:
		return Format(s), nil
	}
	return "", fmt.Errorf("LOG_FORMAT=%q: want json or text", s)
}

// ParseLevel reads LOG_LEVEL (debug, info, warn, error).
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", s)
	}
	return l, nil
}

// New returns a logger writing to w.
func New(w io.Writer, f Format, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: snakeKeys}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if f == Text {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(claimIDs{Handler: h})
}

// snakeKeys gives the SDK's keys (WorkflowID, RunID, ActivityType, …) the form of ours
// (workflow_id, run_id, activity_type), so one query finds a claim's lines from both.
func snakeKeys(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key != "" && unicode.IsUpper(rune(a.Key[0])) {
		a.Key = Snake(a.Key)
	}
	return a
}

// Snake turns CamelCase (with acronyms: "WorkflowID") into snake_case ("workflow_id").
func Snake(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prevLower := unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// claimIDs adds claim_id to a line that names a claim's workflow but not the claim.
type claimIDs struct {
	slog.Handler
	hasClaim   bool   // a claim id is already bound (With)
	workflowID string // the workflow id bound, if any
}

func (h claimIDs) WithAttrs(attrs []slog.Attr) slog.Handler {
	for _, a := range attrs {
		h.note(a)
	}
	h.Handler = h.Handler.WithAttrs(attrs)
	return h
}

func (h claimIDs) WithGroup(name string) slog.Handler {
	h.Handler = h.Handler.WithGroup(name)
	return h
}

func (h claimIDs) Handle(ctx context.Context, r slog.Record) error {
	seen := h
	r.Attrs(func(a slog.Attr) bool {
		seen.note(a)
		return true
	})
	if !seen.hasClaim && seen.workflowID != "" {
		if id, ok := contract.ClaimIDOf(seen.workflowID); ok {
			r = r.Clone()
			r.AddAttrs(slog.String("claim_id", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h *claimIDs) note(a slog.Attr) {
	switch Snake(a.Key) {
	case "claim_id":
		h.hasClaim = true
	case "workflow_id":
		h.workflowID = a.Value.String()
	}
}
