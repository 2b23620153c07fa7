package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/store"
)

// listFilters are the query parameters GET /v1/claims understands.
var listFilters = map[string]bool{"program_id": true, "status": true, "escalated": true,
	"credit_code": true, "limit": true, "cursor": true,
	// search mode: any of these pages by number and answers with the totals of the set
	"q": true, "region": true, "size_class": true, "min_amount": true, "max_amount": true,
	"filed_from": true, "filed_to": true, "sort": true, "page": true}

// searchParams are the parameters that switch GET /v1/claims to search mode.
var searchParams = []string{"q", "region", "size_class", "min_amount", "max_amount", "filed_from", "filed_to", "sort", "page"}

// listClaims pages through claims, newest first. Applicants only ever see their own
// enterprise's claims, whatever credit_code they ask for.
func (s *server) listClaims(w http.ResponseWriter, r *http.Request) error {
	f, err := claimFilter(r.URL.Query())
	if err != nil {
		return err
	}
	if search, ok, err := claimSearch(r.URL.Query(), f); ok || err != nil {
		if err != nil {
			return err
		}
		return s.searchClaims(w, r, search)
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

// searchClaims answers GET /v1/claims in search mode: one page by number, with the count
// and sums of every claim that matches.
func (s *server) searchClaims(w http.ResponseWriter, r *http.Request, q store.ClaimSearch) error {
	p := principalFrom(r.Context())
	out := map[string]any{"items": []claimView{}, "total": 0, "requested_total": "0.00", "amount_total": "0.00",
		"page": max(q.Page, 1), "pages": 1, "next_cursor": nil}
	if !visibleTo(p, &q.ClaimFilter) {
		return writeJSON(w, http.StatusOK, out)
	}
	page, err := s.store.SearchClaims(r.Context(), q)
	if err != nil {
		return err
	}
	items := make([]claimView, 0, len(page.Claims))
	for _, c := range page.Claims {
		items = append(items, viewClaim(c, p))
	}
	out["items"], out["total"], out["page"], out["pages"] = items, page.Total, page.Page, page.Pages
	out["requested_total"], out["amount_total"] = money.Format(page.Requested), money.Format(page.Amount)
	return writeJSON(w, http.StatusOK, out)
}

// claimSearch reads the search parameters; ok is false when none is given (the cursor
// listing then answers). Every problem is reported at once, by field.
func claimSearch(q url.Values, f store.ClaimFilter) (store.ClaimSearch, bool, error) {
	on := false
	for _, name := range searchParams {
		on = on || q.Has(name)
	}
	s := store.ClaimSearch{ClaimFilter: f, Query: strings.TrimSpace(q.Get("q")), SizeClass: q.Get("size_class"),
		Sort: q.Get("sort"), Page: 1, PageSize: f.Limit}
	if !on {
		return s, false, nil
	}
	errs := map[string]string{}
	if f.Cursor != "" {
		errs["cursor"] = "cannot be combined with search parameters; use page"
	}
	if len(s.Query) > 200 {
		errs["q"] = "must be at most 200 characters"
	}
	if v := q.Get("region"); v != "" {
		if len(v) > 6 || strings.Trim(v, "0123456789") != "" {
			errs["region"] = "must be 1 to 6 digits of a region code"
		}
		s.Region = v
	}
	switch s.SizeClass {
	case "", "micro", "small", "medium", "large":
	default:
		errs["size_class"] = "must be one of micro, small, medium, large"
	}
	if _, ok := store.ClaimSorts[s.Sort]; s.Sort != "" && !ok {
		errs["sort"] = "must be one of filed, -filed, amount, -amount"
	}
	for name, out := range map[string]**decimal.Decimal{"min_amount": &s.Min, "max_amount": &s.Max} {
		if v := q.Get(name); v != "" {
			d, err := money.ParseBound(v)
			if err != nil {
				errs[name] = err.Error()
				continue
			}
			*out = &d
		}
	}
	for name, out := range map[string]*time.Time{"filed_from": &s.From, "filed_to": &s.To} {
		if v := q.Get(name); v != "" {
			t, err := time.ParseInLocation(time.DateOnly, v, beijing)
			if err != nil {
				errs[name] = "must be a date such as 2026-01-31 (Beijing time)"
				continue
			}
			if name == "filed_to" {
				t = t.AddDate(0, 0, 1) // the day is included
			}
			*out = t
		}
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs["page"] = "must be a whole number from 1"
		}
		s.Page = n
	}
	return s, true, invalid(errs)
}

// beijing is the time zone the filing dates of a search are days in.
var beijing = time.FixedZone("CST", 8*60*60)
