package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/filing"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/program"
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
	c, err = s.filer().File(ctx, c, p, s.startClaim(p))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/claims/"+c.ID)
	return writeJSON(w, http.StatusCreated, viewClaim(c, p))
}

// claimFromRequest is what filing a claim and its dry run share: only applicants, then the
// whole of a claim body's validation. The claim it builds is stored only by createClaim.
func (s *server) claimFromRequest(w http.ResponseWriter, r *http.Request, action string) (access.Principal, claim.Claim, error) {
	p := principalFrom(r.Context())
	if err := requireRole(p, action, access.Applicant, access.Institution); err != nil {
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
	if rules, ok := registry.Lookup(prg.Kind); ok && kind.FiledBy(rules) != p.Role {
		return claim.Claim{}, apperr.New(apperr.Forbidden, "claims in %s programs are filed by the role %s", prg.Kind, kind.FiledBy(rules))
	}
	if err := s.requireRegistered(ctx, p.CreditCode); err != nil {
		return claim.Claim{}, err
	}
	lines, err := req.lines(prg.Kind)
	if err != nil {
		return claim.Claim{}, err
	}
	if lines.payload, err = s.withRegistry(ctx, prg.Kind, lines.payload); err != nil {
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

// startClaim starts a filed claim's workflow.
func (s *server) startClaim(p access.Principal) filing.Start {
	return func(ctx context.Context, c claim.Claim) error {
		in := contract.Input{ClaimID: c.ID, ProgramID: c.ProgramID, Kind: c.Kind, CreditCode: c.CreditCode,
			SubmittedBy: p, Payload: c.Payload, SubmittedAt: s.now().UTC()}
		_, err := contract.Start(ctx, s.temporal, in)
		return err
	}
}

// filer opens claims in the store through the workflows.
func (s *server) filer() *filing.Filer { return &filing.Filer{Store: s.store, Log: s.log} }

// newClaimID returns "clm_" and 20 random base32 characters.
func newClaimID() string { return filing.NewID("clm") }

func (s *server) getClaim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visibleClaim(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.claimAnswer(r, c))
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

// withRegistry freezes into the payload the registry's size classes of the enterprises its
// lines name, for kinds that judge on them (a guarantee's borrowers). An enterprise the
// registry does not know is left out: the rules then fall back on the claimed class.
func (s *server) withRegistry(ctx context.Context, k program.Kind, payload json.RawMessage) (json.RawMessage, error) {
	rules, ok := registry.Lookup(k)
	reader, reads := rules.(kind.RegistryReader)
	if !ok || !reads {
		return payload, nil
	}
	classes := map[string]string{}
	for _, code := range reader.RegistryCodes(payload) {
		e, err := s.store.GetEnterprise(ctx, code)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		classes[code] = e.SizeClass
	}
	return reader.WithRegistry(payload, classes)
}
