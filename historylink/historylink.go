// Package historylink names the Temporal workflow executions behind a claim and links each
// to its event history in the Temporal Web UI, so an auditor can go from a claim's trace to
// the workflow's own record of every step.
package historylink

import (
	"net/url"
	"strings"

	"github.com/subsidyflow/subsidyflow/audit"
)

// Execution is one run of a workflow and where the UI shows its history.
type Execution struct {
	WorkflowID string `json:"workflow_id"`
	RunID      string `json:"run_id"`
	HistoryURL string `json:"history_url"` // "" when no Temporal UI is configured
}

// UI is the Temporal Web UI at BaseURL (e.g. http://localhost:8233) showing Namespace.
type UI struct {
	BaseURL   string
	Namespace string
}

// HistoryURL is the UI's page of one run's event history ("" when no UI is configured).
// Workflow ids hold a slash ("claim/clm_…"), so each path segment is escaped.
func (u UI) HistoryURL(workflowID, runID string) string {
	if u.BaseURL == "" {
		return ""
	}
	ns := u.Namespace
	if ns == "" {
		ns = "default"
	}
	return strings.TrimRight(u.BaseURL, "/") + "/namespaces/" + url.PathEscape(ns) +
		"/workflows/" + url.PathEscape(workflowID) + "/" + url.PathEscape(runID) + "/history"
}

// Executions lists the runs a claim went through, in the order its audit trail met them,
// ending with the run the read model holds now (a claim's workflow may have continued as
// new, or a payment fix may have run in a later run). Rows without a run are skipped.
func (u UI) Executions(workflowID, runID string, trail []audit.Entry) []Execution {
	out := []Execution{}
	seen := map[[2]string]bool{}
	add := func(wf, run string) {
		k := [2]string{wf, run}
		if wf == "" || run == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, Execution{WorkflowID: wf, RunID: run, HistoryURL: u.HistoryURL(wf, run)})
	}
	for _, e := range trail {
		add(e.WorkflowID, e.RunID)
	}
	add(workflowID, runID)
	return out
}
