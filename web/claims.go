package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
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
	UpdatedAt                                      time.Time
}

// listData is the claims page: the filter as given, its choices, the rows and the link to
// the next page.
type listData struct {
	Status, ProgramID, Escalated string
	Statuses                     []claim.Status
	Programs                     []program.Program
	Rows                         []claimRow
	Next                         string
	Applicant                    bool
}

// claimList shows the claims the user may see, newest first: an applicant only its own
// enterprise's and a landlord or provider only those it takes part in, whatever the query
// says.
func (s *server) claimList(w http.ResponseWriter, r *http.Request, sess session) {
	q := r.URL.Query()
	d := listData{Status: q.Get("status"), ProgramID: q.Get("program"), Escalated: q.Get("escalated"),
		Statuses: claim.Statuses, Applicant: sess.P.Role == access.Applicant}
	f, msg := listFilter(d, q.Get("cursor"))
	switch {
	case sess.P.Role.Files():
		f.CreditCode = sess.P.CreditCode
	case sess.P.Role.IsParty(): // a landlord or provider: the claims it takes part in
		f.Party = sess.P.CreditCode
	}
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return
	}
	d.Programs = progs
	status := http.StatusOK
	if msg == "" {
		var claims []claim.Claim
		var next string
		claims, next, err = s.store.ListClaims(r.Context(), f)
		if apperr.Is(err, apperr.Invalid) {
			msg = "This page link is no longer valid; start from the first page."
		} else if err != nil {
			s.internal(w, r, sess, "list claims", err)
			return
		}
		d.Rows = claimRows(claims, progs)
		if next != "" {
			d.Next = nextLink(d, next)
		}
	}
	v := view{Title: "Claims", User: &sess.P, CSRF: sess.CSRF, Nav: "claims", Data: d, Flash: takeFlash(w, r)}
	if msg != "" {
		status, v.Flash = http.StatusBadRequest, &flash{Kind: "error", Text: msg}
	}
	s.render(w, r, status, "claims", v)
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

func nextLink(d listData, cursor string) string {
	q := url.Values{}
	for k, v := range map[string]string{"status": d.Status, "program": d.ProgramID, "escalated": d.Escalated, "cursor": cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return "/ui/claims?" + q.Encode()
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
			Requested: c.Requested, Amount: c.Amount, Escalated: c.Escalated, UpdatedAt: c.UpdatedAt}
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
