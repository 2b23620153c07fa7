package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

type principalKey struct{}

// principalFrom returns the caller authenticated by requireAuth.
func principalFrom(ctx context.Context) access.Principal {
	p, _ := ctx.Value(principalKey{}).(access.Principal)
	return p
}

// authenticate resolves the bearer token into a principal kept in the request's context.
// Auditors are stopped here for every write, whatever the endpoint: they change nothing.
// reads marks a POST that writes nothing.
func (s *server) authenticate(next handler, reads bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			return apperr.New(apperr.Unauthenticated, "send Authorization: Bearer <token>")
		}
		p, err := s.store.Authenticate(r.Context(), token)
		if err != nil {
			return err
		}
		if p.Role == access.Auditor && r.Method != http.MethodGet && r.Method != http.MethodHead && !reads {
			return apperr.New(apperr.Forbidden, "auditors read everything and change nothing")
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header; the scheme
// is case-insensitive (RFC 9110).
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// requireRole refuses callers whose role is not one of roles.
func requireRole(p access.Principal, what string, roles ...access.Role) error {
	if slices.Contains(roles, p.Role) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "your role (%s) may not %s", p.Role, what)
}

// requireFinance refuses everyone but finance officers and supervisors.
func requireFinance(p access.Principal, what string) error {
	if p.Role.IsFinance() {
		return nil
	}
	return apperr.New(apperr.Forbidden, "only finance officers and supervisors may %s", what)
}

// notVisible is what a caller gets for a claim or enterprise it may not see: the same 404
// as for one that does not exist, so ids cannot be probed.
func notVisible(what, id string) error {
	return apperr.New(apperr.NotFound, "%s %q not found", what, id)
}

// canSeeEnterprise reports whether p may read the registry entry of creditCode: a party
// (applicant, landlord, provider) only its own, everyone else all of them.
func canSeeEnterprise(p access.Principal, creditCode string) bool {
	if p.Role.IsParty() {
		return p.CreditCode == creditCode
	}
	return p.CanSeeClaimOf(creditCode)
}
