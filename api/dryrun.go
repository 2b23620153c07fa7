package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// dryRunView answers what a claim would pay now, and why (POLICIES.md: a dry-run
// calculation stores nothing). Amount is after the yearly cap, Calculated before it.
type dryRunView struct {
	Amount             string     `json:"amount"`
	Calculated         string     `json:"calculated"`
	Capped             bool       `json:"capped"`
	Cap                *capView   `json:"cap"` // null when the program has no per-enterprise cap
	RuleVersion        string     `json:"rule_version"`
	Reason             *string    `json:"reason"`
	Text               *string    `json:"text"`
	Lines              []lineView `json:"lines"`
	Steps              []stepView `json:"steps"`
	AvailableBudget    string     `json:"available_budget"`
	WouldWaitForBudget bool       `json:"would_wait_for_budget"`
}

// capView shows the yearly cap's arithmetic: Left = max(Limit − Held, 0).
type capView struct {
	Limit string `json:"limit"`
	Held  string `json:"held"`
	Left  string `json:"left"`
}

// dryRunClaim runs a claim through the same validation as POST /v1/claims and the same
// rules as the claim workflow, with every store access read-only: no claim, no evidence,
// no reservation, no audit row. It needs no Idempotency-Key for that reason.
func (s *server) dryRunClaim(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	// The whole of POST /v1/claims' validation; its claim is never stored. It only checks
	// that program and enterprise exist, so the rules read them again here.
	_, c, err := s.claimFromRequest(w, r, "ask for a dry run")
	if err != nil {
		return err
	}
	prg, err := s.store.GetProgram(ctx, c.ProgramID)
	if err != nil {
		return err
	}
	ent, err := s.store.GetEnterprise(ctx, c.CreditCode)
	if err != nil {
		return err
	}
	as, limit, err := s.assessDry(ctx, prg, ent, c.Payload)
	if err != nil {
		return err
	}
	if err := s.hideOthersClaims(ctx, &as, c.CreditCode); err != nil {
		return err
	}
	outlook, err := s.store.BudgetOutlook(ctx, prg.ID, c.CreditCode)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, dryRunOf(as, limit, outlook))
}

// assessDry takes the kind's own assessment path, the one the claim's activity takes, with a
// read-only evidence lookup, reading the payload back from JSON as the activity does, so
// both see exactly the same lines. It returns the limit the ledger would apply.
func (s *server) assessDry(ctx context.Context, prg program.Program, ent enterprise.Enterprise, payload json.RawMessage) (claim.Assessment, decimal.Decimal, error) {
	rules, err := registry.Must(prg.Kind)
	if err != nil { // newClaim has refused this already
		return claim.Assessment{}, decimal.Zero, invalid(map[string]string{"program_id": err.Error()})
	}
	out, err := rules.Assess(kind.Input{Program: prg, Enterprise: ent, Payload: payload}, func(items []claim.Evidence) (map[int]string, error) {
		return s.store.EvidenceHolders(ctx, items)
	})
	if err != nil {
		return claim.Assessment{}, decimal.Zero, fmt.Errorf("dry run: %w", err)
	}
	out = kind.Storable(out)
	if !out.HasCap() {
		return out.Assessment, decimal.Zero, nil
	}
	return out.Assessment, out.Cap, nil
}

// dryRunOf applies the cap and the budget queue as Reserve would: a claim that pays
// nothing never asks for money, so it neither caps nor waits.
func dryRunOf(as claim.Assessment, limit decimal.Decimal, o store.BudgetOutlook) dryRunView {
	amount, capped := decimal.Zero, false
	var cv *capView
	if as.Eligible() {
		amount = as.Amount
	}
	if limit.IsPositive() {
		if as.Eligible() {
			amount, capped = money.Cap(as.Amount, limit, o.Held)
		}
		left := decimal.Max(limit.Sub(o.Held), decimal.Zero)
		cv = &capView{Limit: money.Format(limit), Held: money.Format(o.Held), Left: money.Format(left)}
	}
	full := viewAssessment(&as)
	if as.Eligible() && amount.IsZero() { // the real claim is rejected for this reason
		reason, text := string(contract.ReasonCapReached), contract.ReasonCapReachedText
		full.Reason, full.Text = &reason, &text
	}
	return dryRunView{Amount: money.Format(amount), Calculated: money.Format(as.Amount), Capped: capped,
		Cap:         cv,
		RuleVersion: as.RuleVersion, Reason: full.Reason, Text: full.Text, Lines: full.Lines, Steps: full.Steps,
		AvailableBudget:    money.Format(o.Available),
		WouldWaitForBudget: amount.IsPositive() && (o.Queued > 0 || o.Available.LessThan(amount))}
}

// hideOthersClaims keeps a dry run from telling one enterprise which claim of another holds
// a waybill or invoice: the line still says it is already claimed, but names the claim only
// when it is the caller's own.
func (s *server) hideOthersClaims(ctx context.Context, as *claim.Assessment, own string) error {
	for i := range as.Lines {
		id := as.Lines[i].Conflict
		if id == "" {
			continue
		}
		holder, err := s.store.GetClaim(ctx, id)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err != nil || holder.CreditCode != own {
			as.Lines[i].Conflict = ""
			as.Lines[i].Text = strings.ReplaceAll(as.Lines[i].Text, id, "of another enterprise")
		}
	}
	return nil
}
