package api

import (
	"context"
	"crypto/rand"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// createClaim files a claim for the caller's enterprise: everything is validated first,
// then the claim is stored as submitted and its workflow started. If the workflow cannot
// start, the stored claim is removed again and the client may retry.
func (s *server) createClaim(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, c, err := s.claimFromRequest(w, r, "file claims")
	if err != nil {
		return err
	}
	meta := store.Meta{Actor: p, WorkflowID: c.WorkflowID}
	if err := s.store.InsertClaim(ctx, c, meta); err != nil {
		return err
	}
	if err := s.start(ctx, c, p); err != nil {
		return err
	}
	if fresh, err := s.store.GetClaim(ctx, c.ID); err == nil {
		c = fresh // the workflow may already have moved it on
	} else {
		// The claim exists and runs; failing now would make the client file it twice.
		s.log.WarnContext(ctx, "re-read new claim", "request_id", requestIDFrom(ctx), "claim_id", c.ID, "err", err)
		c.CreatedAt, c.UpdatedAt = s.now(), s.now()
	}
	w.Header().Set("Location", "/v1/claims/"+c.ID)
	return writeJSON(w, http.StatusCreated, viewClaim(c))
}

// claimFromRequest is what filing a claim and its dry run share: only applicants, then the
// whole of a claim body's validation. The claim it builds is stored only by createClaim.
func (s *server) claimFromRequest(w http.ResponseWriter, r *http.Request, action string) (access.Principal, claim.Claim, error) {
	p := principalFrom(r.Context())
	if err := requireRole(p, action, access.Applicant); err != nil {
		return p, claim.Claim{}, err
	}
	req := newClaimRequest()
	if err := decodeJSON(w, r, req.target(), false); err != nil {
		return p, claim.Claim{}, err
	}
	req.collect()
	c, err := s.newClaim(r.Context(), p, req)
	return p, c, err
}

// newClaim validates the request against the program and the registry and builds the
// claim to store.
func (s *server) newClaim(ctx context.Context, p access.Principal, req *claimRequest) (claim.Claim, error) {
	errs := checkStruct(req.target(), "")
	if len(errs) > 0 {
		return claim.Claim{}, invalid(errs)
	}
	prg, err := s.store.GetProgram(ctx, req.ProgramID)
	if apperr.Is(err, apperr.NotFound) {
		return claim.Claim{}, invalid(map[string]string{"program_id": "no program has this id"})
	} else if err != nil {
		return claim.Claim{}, err
	}
	if err := s.requireRegistered(ctx, p.CreditCode); err != nil {
		return claim.Claim{}, err
	}
	lines, err := req.lines(prg.Kind)
	if err != nil {
		return claim.Claim{}, err
	}
	id := newClaimID()
	return claim.Claim{ID: id, ProgramID: prg.ID, Kind: prg.Kind, CreditCode: p.CreditCode,
		SubmittedBy: p.Subject, Status: claim.Submitted, Requested: lines.requested, Payload: lines.payload,
		WorkflowID: contract.WorkflowID(id), Parties: lines.parties}, nil
}

// requireRegistered refuses a claim from an enterprise that is not in the registry.
func (s *server) requireRegistered(ctx context.Context, code string) error {
	_, err := s.store.GetEnterprise(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return invalid(map[string]string{"credit_code": "enterprise " + code +
			" is not registered; register it before filing claims"})
	}
	return err
}

// start runs the claim's workflow, undoing the insert when it cannot.
func (s *server) start(ctx context.Context, c claim.Claim, p access.Principal) error {
	in := contract.Input{ClaimID: c.ID, ProgramID: c.ProgramID, Kind: c.Kind, CreditCode: c.CreditCode,
		SubmittedBy: p, Payload: c.Payload, SubmittedAt: s.now().UTC()}
	_, err := contract.Start(ctx, s.temporal, in)
	if err == nil {
		return nil
	}
	s.log.ErrorContext(ctx, "start claim workflow", "request_id", requestIDFrom(ctx), "claim_id", c.ID, "err", err)
	// The compensation must run even when the client has gone away.
	undo := context.WithoutCancel(ctx)
	if derr := s.store.DeleteClaim(undo, c.ID, store.Meta{Actor: p, WorkflowID: c.WorkflowID}); derr != nil {
		s.log.ErrorContext(ctx, "remove claim whose workflow did not start", "request_id", requestIDFrom(ctx),
			"claim_id", c.ID, "err", derr)
	}
	return apperr.New(apperr.Unavailable, "the claim could not be started; nothing was filed, please retry")
}

// claimIDAlphabet is lowercase RFC 4648 base32: unambiguous and safe in URLs.
const claimIDAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newClaimID returns "clm_" and 20 random base32 characters (100 bits).
func newClaimID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	for i := range b {
		b[i] = claimIDAlphabet[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return "clm_" + string(b)
}

func (s *server) getClaim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visibleClaim(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewClaim(c))
}

// visibleClaim loads the claim of the path, answering 404 both when it does not exist and
// when the caller may not see it.
func (s *server) visibleClaim(r *http.Request) (claim.Claim, error) {
	id := r.PathValue("id")
	c, err := s.store.GetClaim(r.Context(), id)
	if apperr.Is(err, apperr.NotFound) {
		return c, notVisible("claim", id)
	}
	if err != nil {
		return c, err
	}
	if !principalFrom(r.Context()).CanSeeClaimOf(c.CreditCode, c.Parties...) {
		return claim.Claim{}, notVisible("claim", id)
	}
	return c, nil
}
