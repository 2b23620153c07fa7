package api

import (
	"encoding/json"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

type approvalRequest struct {
	FourEyesThreshold *string `json:"four_eyes_threshold" validate:"omitempty,amount"`
	DeadlineDays      *int    `json:"deadline_days" validate:"omitempty,min=1,max=365"`
	InfoDays          *int    `json:"info_days" validate:"omitempty,min=1,max=365"`
	PaymentFixDays    *int    `json:"payment_fix_days" validate:"omitempty,min=1,max=365"`
}

type createProgramRequest struct {
	Kind        string           `json:"kind" validate:"required,kind"`
	Name        string           `json:"name" validate:"required,notblank,max=200"`
	Region      string           `json:"region" validate:"required,region"`
	PeriodStart string           `json:"period_start" validate:"required,date"`
	PeriodEnd   string           `json:"period_end" validate:"required,date"` // first day after the period
	Budget      string           `json:"budget" validate:"required,amount=nonneg"`
	Approval    *approvalRequest `json:"approval"`
	Params      json.RawMessage  `json:"params"` // kind-specific, checked by paramsOf
}

// createProgram configures a program (admin only). Approval rules and parameters left out
// take POLICIES.md's defaults.
func (s *server) createProgram(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "configure programs", access.Admin); err != nil {
		return err
	}
	var req createProgramRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	prg, err := req.program()
	if err != nil {
		return err
	}
	created, err := s.store.CreateProgram(r.Context(), prg, p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/programs/"+created.ID)
	return writeJSON(w, http.StatusCreated, viewProgram(created))
}

// program validates the whole request, tags and cross-field rules together, so the client
// sees every problem at once, and converts it.
func (req createProgramRequest) program() (program.Program, error) {
	errs := checkStruct(&req, "")
	if req.Kind != "" && errs["kind"] == "" && !registered(program.Kind(req.Kind)) {
		errs["kind"] = "is not yet supported: programs of kind " + req.Kind + " cannot take claims yet"
	}
	start, errStart := parseDate(req.PeriodStart)
	end, errEnd := parseDate(req.PeriodEnd)
	if errStart == nil && errEnd == nil && !end.After(start) {
		errs["period_end"] = "must be after period_start (the period ends before this day)"
	}
	var params json.RawMessage
	if errs["kind"] == "" {
		var perrs map[string]string
		var err error
		if params, perrs, err = paramsOf(program.Kind(req.Kind), req.Params, "params"); err != nil {
			return program.Program{}, err
		}
		mergeFields(errs, perrs, "params")
	}
	if err := invalid(errs); err != nil {
		return program.Program{}, err
	}
	return program.Program{Kind: program.Kind(req.Kind), Name: req.Name, Region: req.Region,
		PeriodStart: start, PeriodEnd: end, Approval: req.Approval.rules(),
		Params: params, Budget: mustDecimal(req.Budget)}, nil
}

// rules fills the absent approval rules with the defaults.
func (a *approvalRequest) rules() program.Approval {
	out := program.DefaultApproval()
	if a == nil {
		return out
	}
	if a.FourEyesThreshold != nil {
		out.FourEyesThreshold = mustDecimal(*a.FourEyesThreshold)
	}
	setInt(&out.DeadlineDays, a.DeadlineDays)
	setInt(&out.InfoDays, a.InfoDays)
	setInt(&out.PaymentFixDays, a.PaymentFixDays)
	return out
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func (s *server) listPrograms(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.store.ListPrograms(r.Context())
	if err != nil {
		return err
	}
	items := make([]programView, len(ps))
	for i, p := range ps {
		items[i] = viewProgram(p)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *server) getProgram(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.GetProgram(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewProgram(p))
}

type raiseBudgetRequest struct {
	Amount string `json:"amount" validate:"required,amount"`
}

// raiseBudget adds money to a program (admin only) and wakes the claims the budget queue
// gave it to.
func (s *server) raiseBudget(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "raise budgets", access.Admin); err != nil {
		return err
	}
	var req raiseBudgetRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := invalid(checkStruct(&req, "")); err != nil {
		return err
	}
	current, err := s.store.GetProgram(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !money.Fits(current.Budget.Add(mustDecimal(req.Amount))) {
		return invalid(map[string]string{"amount": "would raise the budget past the largest amount that can be stored"})
	}
	prg, decided, err := s.store.RaiseBudget(r.Context(), r.PathValue("id"), mustDecimal(req.Amount), p)
	if err != nil {
		return err
	}
	s.signalAllocated(r, decided)
	return writeJSON(w, http.StatusOK, viewProgram(prg))
}

// signalAllocated tells each claim the queue decided on. A lost signal is only logged:
// the budget is already raised (failing would invite a retry that raises it twice), and a
// waiting claim re-reads the ledger on its own every few hours.
func (s *server) signalAllocated(r *http.Request, claimIDs []string) {
	ctx := r.Context()
	for _, id := range claimIDs {
		if err := contract.Signal(ctx, s.temporal, id, contract.SignalBudget); err != nil {
			s.log.WarnContext(ctx, "signal budget allocation", "request_id", requestIDFrom(ctx),
				"claim_id", id, "err", err)
		}
	}
}

// mustDecimal converts an amount or rate the validator has accepted.
func mustDecimal(s string) decimal.Decimal {
	return decimal.RequireFromString(s)
}

// registered reports whether programs of kind k can take claims.
func registered(k program.Kind) bool {
	_, ok := registry.Lookup(k)
	return ok
}
