package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

// claimRow is one line of the claims table.
type claimRow struct {
	ID, ProgramID, Program, Enterprise, CreditCode string
	Status                                         claim.Status
	Requested                                      decimal.Decimal
	Amount                                         *decimal.Decimal
	Escalated                                      bool
	CreatedAt, UpdatedAt                           time.Time
	Next                                           *nextStep // for the applicant: what happens next, by when
}

// listData is the claims page: the filter as given, its choices, the rows, the totals of
// the whole filtered set and the pages.
type listData struct {
	Status, ProgramID, Escalated string
	Query, Region, SizeClass     string
	Min, Max, From, To, Sort     string
	Statuses                     []claim.Status
	Programs                     []program.Program
	Sorts                        []string
	SizeClasses                  []string
	Rows                         []claimRow
	Total                        int
	Requested, Amount            decimal.Decimal
	Page, Pages                  int
	Prev, Next                   string
	Applicant                    bool
	Finance                      bool // gets the checkboxes of the bulk approval
	// Version is the fingerprint inbox.js polls for (claimsVersion).
	Version string
}

// claimList shows the claims the user may see: an applicant only its own enterprise's and a
// landlord or provider only those it takes part in, whatever the query says. Finance gets
// the inbox: search, filters, sorting and pages with the totals of everything matching.
func (s *server) claimList(w http.ResponseWriter, r *http.Request, sess session) {
	q := r.URL.Query()
	d := listData{Status: q.Get("status"), ProgramID: q.Get("program"), Escalated: q.Get("escalated"),
		Query: strings.TrimSpace(q.Get("q")), Region: strings.TrimSpace(q.Get("region")), SizeClass: q.Get("size"),
		Min: strings.TrimSpace(q.Get("min")), Max: strings.TrimSpace(q.Get("max")), From: q.Get("from"), To: q.Get("to"),
		Sort: q.Get("sort"), Statuses: claim.Statuses, Applicant: sess.P.Role == access.Applicant,
		Finance: sess.P.Role.IsFinance(), Sorts: []string{"-filed", "filed", "-amount", "amount"},
		SizeClasses: []string{"micro", "small", "medium", "large"}}
	search, msg := listSearch(d, q.Get("page"))
	scope(&search.ClaimFilter, sess.P)
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return
	}
	d.Programs = progs
	status := http.StatusOK
	if msg == "" {
		page, err := s.store.SearchClaims(r.Context(), search)
		if apperr.Is(err, apperr.Invalid) {
			msg = "This page link is no longer valid; start from the first page."
		} else if err != nil {
			s.internal(w, r, sess, "list claims", err)
			return
		}
		d.Rows = claimRows(page.Claims, progs)
		d.Total, d.Requested, d.Amount, d.Page, d.Pages = page.Total, page.Requested, page.Amount, page.Page, page.Pages
		if d.Page > 1 {
			d.Prev = pageLink(r.URL.Query(), d.Page-1)
		}
		if d.Page < d.Pages {
			d.Next = pageLink(r.URL.Query(), d.Page+1)
		}
		if n, at, err := s.store.ClaimsVersion(r.Context(), search.ClaimFilter); err == nil {
			d.Version = versionOf(n, at)
		}
	}
	v := view{Title: "Claims", User: &sess.P, CSRF: sess.CSRF, Nav: "claims", Data: d, Flash: takeFlash(w, r)}
	if msg != "" {
		status, v.Flash = http.StatusBadRequest, &flash{Kind: "error", Text: msg}
	}
	s.render(w, r, status, "claims", v)
}

// scope narrows a filter to what p may see.
func scope(f *store.ClaimFilter, p access.Principal) {
	switch {
	case p.Role.Files():
		f.CreditCode = p.CreditCode
	case p.Role.IsParty(): // a landlord or provider: the claims it takes part in
		f.Party = p.CreditCode
	}
}

func versionOf(n int, at time.Time) string {
	return strconv.Itoa(n) + "-" + strconv.FormatInt(at.UnixMicro(), 36)
}

// claimsVersion answers inbox.js: the fingerprint of the claims the user's filter matches
// (their count and latest update), so the list reloads only when something changed.
func (s *server) claimsVersion(w http.ResponseWriter, r *http.Request, sess session) {
	q := r.URL.Query()
	f, _ := listFilter(listData{Status: q.Get("status"), ProgramID: q.Get("program"), Escalated: q.Get("escalated")}, "")
	scope(&f, sess.P)
	n, at, err := s.store.ClaimsVersion(r.Context(), f)
	if err != nil {
		http.Error(w, "", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(versionOf(n, at)))
}

func pageLink(q url.Values, page int) string {
	q.Del("page")
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return "/ui/claims?" + q.Encode()
}

// listSearch turns the page's filter into a store search; a message says what is wrong.
func listSearch(d listData, page string) (store.ClaimSearch, string) {
	f, msg := listFilter(d, "")
	q := store.ClaimSearch{ClaimFilter: f, Query: d.Query, SizeClass: d.SizeClass, Sort: d.Sort, Page: 1}
	if msg != "" {
		return q, msg
	}
	if len(d.Query) > 200 {
		return q, "The search text is longer than 200 characters."
	}
	if d.Region != "" {
		if len(d.Region) > 6 || strings.Trim(d.Region, "0123456789") != "" {
			return q, "The region must be the digits of a region code, such as 54 or 540100."
		}
		q.Region = strings.TrimRight(d.Region, "0")
		if len(q.Region)%2 == 1 {
			q.Region += "0"
		}
	}
	if d.SizeClass != "" && !slices.Contains(d.SizeClasses, d.SizeClass) {
		return q, "Unknown size class."
	}
	if _, ok := store.ClaimSorts[d.Sort]; d.Sort != "" && !ok {
		return q, "Unknown sort order."
	}
	for _, b := range []struct {
		in  string
		out **decimal.Decimal
	}{{d.Min, &q.Min}, {d.Max, &q.Max}} {
		if b.in == "" {
			continue
		}
		v, err := money.ParseBound(i18n.Ungroup(b.in))
		if err != nil {
			return q, "The amount range takes amounts such as 23,456.78."
		}
		*b.out = &v
	}
	for _, b := range []struct {
		in  string
		out *time.Time
		end bool
	}{{d.From, &q.From, false}, {d.To, &q.To, true}} {
		if b.in == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", b.in, i18n.Beijing)
		if err != nil {
			return q, "Dates are written as 2006-01-02."
		}
		if b.end {
			t = t.AddDate(0, 0, 1) // the last day is included
		}
		*b.out = t
	}
	if page != "" {
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 {
			return q, "This page link is no longer valid; start from the first page."
		}
		q.Page = n
	}
	return q, ""
}

// listFilter turns the page's filter into a store filter; a message says what is wrong.
func listFilter(d listData, cursor string) (store.ClaimFilter, string) {
	f := store.ClaimFilter{ProgramID: d.ProgramID, Status: d.Status, Cursor: cursor, Limit: store.DefaultClaimLimit}
	if d.Status != "" {
		if _, ok := claim.ParseStatus(d.Status); !ok {
			return f, "Unknown status filter."
		}
	}
	switch d.Escalated {
	case "":
	case "true", "false":
		b := d.Escalated == "true"
		f.Escalated = &b
	default:
		return f, "The escalated filter must be yes or no."
	}
	if len(d.ProgramID) > 64 {
		return f, "Unknown program."
	}
	return f, ""
}

func claimRows(claims []claim.Claim, progs []program.Program) []claimRow {
	names := map[string]string{}
	for _, p := range progs {
		names[p.ID] = p.Name
	}
	rows := make([]claimRow, len(claims))
	for i, c := range claims {
		rows[i] = claimRow{ID: c.ID, ProgramID: c.ProgramID, Program: names[c.ProgramID],
			Enterprise: snapshotOf(c).Enterprise.Name, CreditCode: c.CreditCode, Status: c.Status,
			Requested: c.Requested, Amount: c.Amount, Escalated: c.Escalated, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
			Next: nextStepOf(c, snapshotOf(c).Program.Approval)}
	}
	return rows
}

// snapshot is the part of a claim's frozen snapshot the pages show. It is empty until the
// claim has been validated.
type snapshot struct {
	Enterprise party `json:"enterprise"`
	// Payee is set when another party than the filer is paid (a voucher's provider, a
	// compensated landlord).
	Payee   *party `json:"payee"`
	Program struct {
		Name     string           `json:"name"`
		Approval program.Approval `json:"approval"`
	} `json:"program"`
	TakenAt time.Time `json:"taken_at"`
}

// party is the part of a frozen registry record the claim page shows.
type party struct {
	CreditCode string                 `json:"credit_code"`
	Name       string                 `json:"name"`
	Bank       enterprise.BankAccount `json:"bank_account"`
}

// PaidParty is who the approvers approve paying: the payee when another party is paid,
// else the filer, with the account as frozen on the claim.
func (sn snapshot) PaidParty() party {
	if sn.Payee != nil {
		return *sn.Payee
	}
	return sn.Enterprise
}

func snapshotOf(c claim.Claim) snapshot {
	var sn snapshot
	if len(c.Snapshot) > 0 {
		_ = json.Unmarshal(c.Snapshot, &sn) // a page without the name is better than no page
	}
	return sn
}

// visibleClaim loads a claim the user may see; NotFound both when it does not exist and
// when it is another enterprise's, so ids cannot be probed.
func (s *server) visibleClaim(ctx context.Context, p access.Principal, id string) (claim.Claim, error) {
	c, err := s.store.GetClaim(ctx, id)
	if err != nil {
		return c, err
	}
	if !p.CanSeeClaimOf(c.CreditCode, c.Parties...) {
		return claim.Claim{}, apperr.New(apperr.NotFound, "claim %q not found", id)
	}
	return c, nil
}

// internal logs an unexpected failure and shows the generic error page.
func (s *server) internal(w http.ResponseWriter, r *http.Request, sess session, what string, err error) {
	s.log.ErrorContext(r.Context(), "web: "+what, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, &sess, http.StatusInternalServerError, "")
}
