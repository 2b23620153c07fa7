package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/filing"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A voucher is stored as a claim of kind voucher, so reading, listing, tracing and
// finance's decisions are the claims' endpoints; only applying and the holder's and
// provider's own steps have endpoints of their own.

type applyVoucherRequest struct {
	ProgramID string `json:"program_id" validate:"required,max=64"`
}

// applyVoucher stores an application for a voucher and starts the voucher's workflow,
// which judges it and issues the voucher once its face value is reserved.
func (s *server) applyVoucher(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalFrom(ctx)
	if err := requireRole(p, "apply for vouchers", access.Applicant); err != nil {
		return err
	}
	var req applyVoucherRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	c, err := s.newVoucher(ctx, p, req)
	if err != nil {
		return err
	}
	programID := c.ProgramID
	c, err = s.filer().File(ctx, c, p, s.startVoucher(p))
	if apperr.Is(err, apperr.Conflict) {
		// Another application won the race past newVoucher's check: the unique index says so.
		return s.alreadyHolds(ctx, programID, p.CreditCode, err)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/claims/"+c.ID)
	return writeJSON(w, http.StatusCreated, viewClaim(c, p))
}

// newVoucher validates an application completely and builds the voucher to store.
func (s *server) newVoucher(ctx context.Context, p access.Principal, req applyVoucherRequest) (claim.Claim, error) {
	if errs := checkStruct(&req, ""); len(errs) > 0 {
		return claim.Claim{}, invalid(errs)
	}
	prg, err := s.store.GetProgram(ctx, req.ProgramID)
	if apperr.Is(err, apperr.NotFound) {
		return claim.Claim{}, invalid(map[string]string{"program_id": "no program has this id"})
	} else if err != nil {
		return claim.Claim{}, err
	}
	if prg.Kind != program.Voucher {
		return claim.Claim{}, invalid(map[string]string{"program_id": "program " + prg.ID + " is a " +
			string(prg.Kind) + " program; vouchers are applied for in voucher programs"})
	}
	var params voucher.Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return claim.Claim{}, err
	}
	if err := s.requireRegistered(ctx, p.CreditCode); err != nil {
		return claim.Claim{}, err
	}
	if err := s.alreadyHolds(ctx, prg.ID, p.CreditCode, nil); err != nil {
		return claim.Claim{}, err
	}
	id := filing.NewID(contract.VoucherIDPrefix)
	return claim.Claim{ID: id, ProgramID: prg.ID, Kind: program.Voucher, CreditCode: p.CreditCode,
		SubmittedBy: p.Subject, Status: claim.Submitted, Requested: params.FaceValue,
		WorkflowID: contract.WorkflowID(id)}, nil
}

// alreadyHolds answers 409 naming the enterprise's live voucher in the program (POLICIES.md:
// one voucher per enterprise per program). It returns nil when there is none, or cause
// (the store's conflict) when the voucher that caused it can no longer be found.
func (s *server) alreadyHolds(ctx context.Context, programID, code string, cause error) error {
	f := store.ClaimFilter{ProgramID: programID, CreditCode: code, Limit: store.MaxClaimLimit}
	for {
		list, next, err := s.store.ListClaims(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Kind == program.Voucher && liveVoucher(c.Status) {
				return &apperr.Error{Code: apperr.Conflict, Extra: map[string]any{
					"reason": string(voucher.ReasonAlreadyHoldsVoucher), "voucher_id": c.ID},
					Message: "the enterprise already holds voucher " + c.ID + " in program " + programID +
						"; one voucher per enterprise per program"}
			}
		}
		if next == "" {
			return cause
		}
		f.Cursor = next
	}
}

// liveVoucher mirrors the unique index of schema/0006: the statuses that still count.
func liveVoucher(st claim.Status) bool {
	switch st {
	case claim.Rejected, claim.Withdrawn, claim.Expired, claim.Cancelled:
		return false
	}
	return true
}

// startVoucher starts a stored voucher's workflow.
func (s *server) startVoucher(p access.Principal) filing.Start {
	return func(ctx context.Context, c claim.Claim) error {
		_, err := contract.StartVoucher(ctx, s.temporal, contract.VoucherInput{VoucherID: c.ID,
			ProgramID: c.ProgramID, CreditCode: c.CreditCode, SubmittedBy: p, SubmittedAt: s.now().UTC()})
		return err
	}
}

// visibleVoucher loads the voucher of the path: 404 when it does not exist, is not a
// voucher, or the caller may not see it.
func (s *server) visibleVoucher(r *http.Request) (claim.Claim, error) {
	c, err := s.visibleClaim(r)
	if err == nil && c.Kind != program.Voucher {
		return claim.Claim{}, notVisible("voucher", c.ID)
	}
	return c, err
}
