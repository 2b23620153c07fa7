package api

import (
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/historylink"
	"github.com/subsidyflow/subsidyflow/money"
)

// traceView is everything an auditor needs to follow one claim: what was asked, what it
// was judged on, how the amount was computed, who approved, the payment, and the audit
// rows with their hashes (which GET /v1/audit/verify proves unbroken).
type traceView struct {
	Claim      claimView       `json:"claim"`
	Payload    json.RawMessage `json:"payload"`
	Snapshot   json.RawMessage `json:"snapshot"`
	Assessment *assessmentView `json:"assessment"`
	Approvals  []approvalView  `json:"approvals"`
	Payment    json.RawMessage `json:"payment"`
	Trail      []auditRowView  `json:"trail"`
	// Executions are the claim's workflow runs, each linked to its history in the Temporal
	// UI: the workflow's own record of every step, beside the audit trail.
	Executions []historylink.Execution `json:"executions"`
}

type stepView struct {
	Label string  `json:"label"`
	Value string  `json:"value"`
	Note  *string `json:"note"`
}

type assessmentView struct {
	RuleVersion string     `json:"rule_version"`
	Lines       []lineView `json:"lines"`
	Steps       []stepView `json:"steps"`
	Amount      string     `json:"amount"`
	Reason      *string    `json:"reason"`
	Text        *string    `json:"text"`
}

type auditRowView struct {
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	Actor      string          `json:"actor"`
	Role       string          `json:"role"`
	Action     string          `json:"action"`
	Amount     *string         `json:"amount"`
	Details    json.RawMessage `json:"details"`
	WorkflowID string          `json:"workflow_id"`
	RunID      string          `json:"run_id"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func (s *server) traceClaim(w http.ResponseWriter, r *http.Request) error {
	view, err := s.trace(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

// trace gathers the trace of the claim in r's path, as the principal may see it.
func (s *server) trace(r *http.Request) (traceView, error) {
	c, err := s.visibleClaim(r)
	if err != nil {
		return traceView{}, err
	}
	trail, err := s.store.ClaimTrail(r.Context(), c.ID)
	if err != nil {
		return traceView{}, err
	}
	view := s.claimAnswer(r, c)
	snap := optJSON(c.Snapshot)
	if !seesFullAccount(principalFrom(r.Context()), c) {
		snap = maskAccounts(snap)
	}
	return traceView{Claim: view, Payload: optJSON(c.Payload),
		Snapshot: snap, Assessment: viewAssessment(c.Assessment),
		Approvals: view.Approvals, Payment: view.Payment, Trail: viewTrail(trail),
		Executions: s.historyUI.Executions(c.WorkflowID, c.RunID, trail)}, nil
}

func viewAssessment(a *claim.Assessment) *assessmentView {
	if a == nil {
		return nil
	}
	steps := make([]stepView, len(a.Steps))
	for i, st := range a.Steps {
		// Steps keep every digit: intermediate figures are not rounded (POLICIES.md,
		// "round once"), so an auditor can redo the arithmetic.
		steps[i] = stepView{Label: st.Label, Value: st.Value.String(), Note: optString(st.Note)}
	}
	return &assessmentView{RuleVersion: a.RuleVersion, Lines: viewLines(a), Steps: steps,
		Amount: money.Format(a.Amount), Reason: optString(string(a.Reason)), Text: optString(a.Text)}
}

func viewTrail(entries []audit.Entry) []auditRowView {
	out := make([]auditRowView, len(entries))
	for i, e := range entries {
		out[i] = auditRowView{Seq: e.Seq, At: formatTime(e.At), Actor: e.Actor, Role: e.Role,
			Action: e.Action, Amount: optAmount(e.Amount), Details: optJSON(e.Details),
			WorkflowID: e.WorkflowID, RunID: e.RunID, PrevHash: e.PrevHash, Hash: e.Hash}
	}
	return out
}
