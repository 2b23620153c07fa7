package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
)

// listFilters are the query parameters GET /v1/claims understands.
var listFilters = map[string]bool{"program_id": true, "status": true, "escalated": true,
	"credit_code": true, "limit": true, "cursor": true}

// listClaims pages through claims, newest first. Applicants only ever see their own
// enterprise's claims, whatever credit_code they ask for.
func (s *server) listClaims(w http.ResponseWriter, r *http.Request) error {
	f, err := claimFilter(r.URL.Query())
	if err != nil {
		return err
	}
	items := []claimView{}
	next := ""
	if p := principalFrom(r.Context()); visibleTo(p, &f) {
		claims, cursor, err := s.store.ListClaims(r.Context(), f)
		if err != nil {
			return err
		}
		for _, c := range claims {
			items = append(items, viewClaim(c, p))
		}
		next = cursor
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_cursor": optString(next)})
}

// visibleTo narrows f to what p may see: an applicant its own enterprise's claims, a
// landlord or provider the claims it takes part in. False when nothing can match.
func visibleTo(p access.Principal, f *store.ClaimFilter) bool {
	switch {
	case p.Role.Files():
		return restrictTo(f, p.CreditCode)
	case p.Role.IsParty():
		f.Party = p.CreditCode
	}
	return true
}

// restrictTo narrows f to one enterprise; false when f asked for another one, which then
// matches nothing.
func restrictTo(f *store.ClaimFilter, code string) bool {
	if f.CreditCode != "" && f.CreditCode != code {
		return false
	}
	f.CreditCode = code
	return true
}

// claimFilter validates the query; every problem is reported at once.
func claimFilter(q url.Values) (store.ClaimFilter, error) {
	errs := map[string]string{}
	for name, vs := range q {
		switch {
		case !listFilters[name]:
			errs[name] = "is not a known query parameter"
		case len(vs) > 1:
			errs[name] = "must be given at most once"
		}
	}
	f := store.ClaimFilter{ProgramID: q.Get("program_id"), CreditCode: q.Get("credit_code"),
		Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: store.DefaultClaimLimit}
	if f.Status != "" {
		if _, ok := claim.ParseStatus(f.Status); !ok {
			errs["status"] = "must be one of " + statusNames()
		}
	}
	if f.CreditCode != "" {
		if err := checks["creditcode"](f.CreditCode, ""); err != nil {
			errs["credit_code"] = err.Error()
		}
	}
	if v := q.Get("escalated"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs["escalated"] = "must be true or false"
		}
		f.Escalated = &b
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxClaimLimit {
			errs["limit"] = "must be a whole number from 1 to " + strconv.Itoa(store.MaxClaimLimit)
		}
		f.Limit = n
	}
	return f, invalid(errs)
}

// statusNames lists the claim statuses for error messages.
func statusNames() string {
	names := make([]string, len(claim.Statuses))
	for i, st := range claim.Statuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}
