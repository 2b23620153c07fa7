package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

func newClaim(t *testing.T, s testDB, programID, id, creditCode string) claim.Claim {
	t.Helper()
	c := claim.Claim{ID: id, ProgramID: programID, Kind: program.Freight, CreditCode: creditCode,
		SubmittedBy: "applicant-1", Requested: dec("1234.50"),
		Payload:    json.RawMessage(`{"shipments":[{"waybill":"W1","freight":"1234.50"}]}`),
		WorkflowID: "claim/" + id}
	require.NoError(t, s.InsertClaim(context.Background(), c, store.Meta{Actor: access.Principal{Subject: "applicant-1", Role: access.Applicant}}))
	return c
}

func TestClaimInsertAndApplyChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	newClaim(t, s, p.ID, "clm_1", "CC1")
	err := s.InsertClaim(ctx, claim.Claim{ID: "clm_1", ProgramID: p.ID}, sys)
	require.True(t, apperr.Is(err, apperr.Conflict))

	got, err := s.GetClaim(ctx, "clm_1")
	require.NoError(t, err)
	require.Equal(t, claim.Submitted, got.Status)
	require.Nil(t, got.Amount)
	require.Empty(t, got.Approvals)
	require.JSONEq(t, `{"shipments":[{"waybill":"W1","freight":"1234.50"}]}`, string(got.Payload))

	amount := dec("617.25")
	assessment := &claim.Assessment{RuleVersion: "freight/1", Amount: amount,
		Lines: []claim.LineDecision{{Index: 0, Eligible: true, Basis: dec("1234.50")}}}
	ch := store.ClaimChange{ID: "clm_1", Step: 1, Status: claim.Calculated, Action: "claim.calculated",
		Amount: &amount, Assessment: assessment, Snapshot: json.RawMessage(`{"rule":"freight/1"}`),
		Details: json.RawMessage(`{"lines":1}`)}
	meta := store.Meta{Actor: access.System, WorkflowID: "claim/clm_1", RunID: "run-1"}
	applied, err := s.ApplyClaimChange(ctx, ch, meta)
	require.NoError(t, err)
	require.True(t, applied)
	applied, err = s.ApplyClaimChange(ctx, ch, meta)
	require.NoError(t, err)
	require.False(t, applied, "a retried step is not applied twice")

	esc := true
	approvals := []claim.Approval{{Subject: "olga", Role: "finance_officer", At: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}}
	_, err = s.ApplyClaimChange(ctx, store.ClaimChange{ID: "clm_1", Step: 2, Status: claim.PendingApproval,
		Action: "claim.approved", Escalated: &esc, Approvals: approvals}, meta)
	require.NoError(t, err)

	got, err = s.GetClaim(ctx, "clm_1")
	require.NoError(t, err)
	require.Equal(t, claim.PendingApproval, got.Status)
	require.Equal(t, 2, got.Step)
	requireDec(t, "617.25", *got.Amount)
	require.Equal(t, "freight/1", got.Assessment.RuleVersion)
	require.True(t, got.Escalated)
	require.Equal(t, approvals, got.Approvals)
	require.JSONEq(t, `{"rule":"freight/1"}`, string(got.Snapshot))

	trail, err := s.ClaimTrail(ctx, "clm_1")
	require.NoError(t, err)
	require.Len(t, trail, 3)
	require.Equal(t, []string{"claim.submitted", "claim.calculated", "claim.approved"},
		[]string{trail[0].Action, trail[1].Action, trail[2].Action})
	require.Equal(t, "run-1", trail[1].RunID)
	requireDec(t, "617.25", *trail[1].Amount)

	_, err = s.ApplyClaimChange(ctx, store.ClaimChange{ID: "clm_nope", Step: 1, Status: claim.Validated, Action: "x"}, meta)
	require.True(t, apperr.Is(err, apperr.NotFound))
	_, err = s.GetClaim(ctx, "clm_nope")
	require.True(t, apperr.Is(err, apperr.NotFound))
}

func TestDeleteClaimOnlyBeforeTheWorkflowRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p := newProgram(t, s, "1000.00")
	newClaim(t, s, p.ID, "clm_gone", "CC1")
	require.NoError(t, s.DeleteClaim(ctx, "clm_gone", sys))
	require.NoError(t, s.DeleteClaim(ctx, "clm_gone", sys), "deleting again is a no-op")
	_, err := s.GetClaim(ctx, "clm_gone")
	require.True(t, apperr.Is(err, apperr.NotFound))
	trail, err := s.ClaimTrail(ctx, "clm_gone")
	require.NoError(t, err)
	require.Equal(t, "claim.aborted", trail[len(trail)-1].Action)

	newClaim(t, s, p.ID, "clm_busy", "CC1")
	_, err = s.ApplyClaimChange(ctx, store.ClaimChange{ID: "clm_busy", Step: 1, Status: claim.Validated, Action: "claim.validated"}, sys)
	require.NoError(t, err)
	require.True(t, apperr.Is(s.DeleteClaim(ctx, "clm_busy", sys), apperr.Conflict))
}

func TestListClaimsFiltersAndPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	p1 := newProgram(t, s, "1000.00")
	p2 := newProgram(t, s, "1000.00")
	var ids []string
	for i := range 7 {
		pid, cc := p1.ID, "A"
		if i%2 == 1 {
			pid, cc = p2.ID, "B"
		}
		id := claimID("list")
		newClaim(t, s, pid, id, cc)
		ids = append(ids, id)
	}
	esc := true
	_, err := s.ApplyClaimChange(ctx, store.ClaimChange{ID: ids[2], Step: 1, Status: claim.Rejected,
		Action: "claim.rejected", Escalated: &esc}, sys)
	require.NoError(t, err)

	var all []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, next, err := s.ListClaims(ctx, store.ClaimFilter{Limit: 3, Cursor: cursor})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), 3)
		for _, c := range page {
			all = append(all, c.ID)
		}
		if next == "" {
			require.Equal(t, 2, pages)
			break
		}
		cursor = next
	}
	require.Equal(t, reversed(ids), all, "newest first, every claim once")

	count := func(f store.ClaimFilter) int {
		page, _, err := s.ListClaims(ctx, f)
		require.NoError(t, err)
		return len(page)
	}
	require.Equal(t, 4, count(store.ClaimFilter{ProgramID: p1.ID}))
	require.Equal(t, 3, count(store.ClaimFilter{CreditCode: "B"}))
	require.Equal(t, 1, count(store.ClaimFilter{Status: string(claim.Rejected), ProgramID: p1.ID}))
	require.Equal(t, 1, count(store.ClaimFilter{Escalated: &esc}))
	require.Equal(t, 6, count(store.ClaimFilter{Status: string(claim.Submitted)}))
	_, _, err = s.ListClaims(ctx, store.ClaimFilter{Cursor: "garbage"})
	require.True(t, apperr.Is(err, apperr.Invalid))
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
