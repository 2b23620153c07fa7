package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// The resumers below answer the retry of a creating request whose process died after its
// transaction stored the resource (see idempotent). Each finishes what the dead request
// had left to do (a workflow to start) and answers exactly as the request would have, so
// the client learns the id of what was stored instead of creating it twice. The scope of
// a key holds the principal, so the caller is the one who created the resource.

// resumeClaim answers with a stored claim or voucher and makes sure its workflow runs, as
// the sweeper would a few minutes later. Starting a workflow with its fixed id is refused
// once it exists, so a start that did happen before the crash is not repeated.
func (s *server) resumeClaim(w http.ResponseWriter, r *http.Request, id string) (bool, error) {
	ctx := r.Context()
	c, err := s.store.GetClaim(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil // removed again because its workflow could not start
	} else if err != nil {
		return false, err
	}
	if c.Status == claim.Submitted {
		if err := s.startStored(ctx, c); err != nil && !apperr.Is(err, apperr.Conflict) {
			return false, apperr.New(apperr.Unavailable, "claim %s is stored but could not be started yet; please retry", c.ID)
		}
		if fresh, err := s.store.GetClaim(ctx, id); err == nil {
			c = fresh
		}
	}
	w.Header().Set("Location", "/v1/claims/"+c.ID)
	return true, writeJSON(w, http.StatusCreated, viewClaim(c, principalFrom(ctx)))
}

// startStored starts a stored claim's workflow with the input its filing would have given,
// submitted when it was stored.
func (s *server) startStored(ctx context.Context, c claim.Claim) error {
	p := principalFrom(ctx)
	if c.Kind == program.Voucher {
		_, err := contract.StartVoucher(ctx, s.temporal, contract.VoucherInput{VoucherID: c.ID,
			ProgramID: c.ProgramID, CreditCode: c.CreditCode, SubmittedBy: p, SubmittedAt: c.CreatedAt.UTC()})
		return err
	}
	_, err := contract.Start(ctx, s.temporal, contract.Input{ClaimID: c.ID, ProgramID: c.ProgramID, Kind: c.Kind,
		CreditCode: c.CreditCode, SubmittedBy: p, Payload: c.Payload, SubmittedAt: c.CreatedAt.UTC()})
	return err
}

// resumeEnterprise answers with the enterprise the dead registration stored.
func (s *server) resumeEnterprise(w http.ResponseWriter, r *http.Request, code string) (bool, error) {
	e, err := s.store.GetEnterprise(r.Context(), code)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	w.Header().Set("Location", "/v1/enterprises/"+e.CreditCode)
	return true, writeJSON(w, http.StatusCreated, viewEnterprise(e))
}

// resumeProgram answers with the program a dead creation stored or a dead budget raise
// raised (status: 201 for a creation, 200 for a raise). The claims a raise decided are not
// signalled again: each waiting claim re-reads the ledger on its own (signalAllocated).
func (s *server) resumeProgram(status int) resumer {
	return func(w http.ResponseWriter, r *http.Request, id string) (bool, error) {
		p, err := s.store.GetProgram(r.Context(), id)
		if apperr.Is(err, apperr.NotFound) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if status == http.StatusCreated {
			w.Header().Set("Location", "/v1/programs/"+p.ID)
		}
		return true, writeJSON(w, status, viewProgram(p))
	}
}

// resumeLoan answers with the loan a dead registration stored and starts its workflow if
// no step of it has run, from the loan as stored.
func (s *server) resumeLoan(w http.ResponseWriter, r *http.Request, id string) (bool, error) {
	ctx := r.Context()
	row, err := s.store.GetLoan(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil // removed again because its workflow could not start
	} else if err != nil {
		return false, err
	}
	periods, err := storedPeriods(row)
	if err != nil {
		return false, err
	}
	if row.Step == 0 {
		st := contract.LoanState{LoanID: row.ID, ProgramID: row.ProgramID, RegisteredBy: principalFrom(ctx),
			Status: row.Status, Periods: periods}
		if err := json.Unmarshal(row.Loan, &st.Loan); err != nil { // written by storeLoan from this type
			return false, err
		}
		if st.Params, err = s.interestParams(ctx, row.ProgramID); err != nil {
			return false, err
		}
		if err := contract.StartLoan(ctx, s.temporal, st); err != nil && !apperr.Is(err, apperr.Conflict) {
			return false, apperr.New(apperr.Unavailable, "loan %s is stored but could not be started yet; please retry", row.ID)
		}
	}
	w.Header().Set("Location", "/v1/loans/"+row.ID)
	return true, writeJSON(w, http.StatusCreated, s.viewLoan(ctx, row, periods))
}
