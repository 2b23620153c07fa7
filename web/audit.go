package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
)

// The auditor's desk: search the audit log, verify a range of it, and read or download a
// claim's signed dossier.

func init() {
	funcs["shortHash"] = func(h string) string {
		if len(h) <= 12 {
			return h
		}
		return h[:12] + "…"
	}
	funcs["grouped"] = func(v any) string { // an amount the API gave as text, with separators
		switch a := v.(type) {
		case string:
			return i18n.Group(a)
		case *string:
			if a == nil {
				return "—"
			}
			return i18n.Group(*a)
		}
		return "—"
	}
	funcs["seqAfter"] = func(n int64) int64 { return n + 1 }
	funcs["statusOf"] = func(s string) claim.Status { return claim.Status(s) }
	funcs["kindOf"] = func(s string) program.Kind { return program.Kind(s) }
	funcs["roleOf"] = func(s string) access.Role { return access.Role(s) }
	funcs["knownRole"] = func(s string) bool { _, ok := roleLabels[access.Role(s)]; return ok }
	funcs["jsonIndent"] = func(raw json.RawMessage) string {
		if len(raw) == 0 || string(raw) == "null" {
			return ""
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return string(raw)
		}
		b, _ := json.MarshalIndent(v, "", "  ")
		return string(b)
	}
}

// mountAudit adds the auditor's pages.
func (s *server) mountAudit(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/audit", s.authed(s.auditDesk))
	mux.HandleFunc("GET /ui/claims/{id}/dossier", s.authed(s.dossierPage))
	mux.HandleFunc("GET /ui/claims/{id}/dossier.json", s.authed(s.dossierDownload))
	mux.HandleFunc("GET /ui/reconciliation", s.authed(s.reconciliationPage))
}

// auditSearch is the desk's search form as typed; dates are Beijing calendar days.
type auditSearch struct {
	Claim, Actor, Action, From, To string
	VerifyFrom, VerifyTo           string
}

type auditDeskData struct {
	Q       auditSearch
	Errors  map[string]string // form field → English message
	Rows    []audit.Entry
	Head    audit.Anchor
	Next    string // URL of the next page
	First   string // URL of the first page when not on it
	Verify  *store.AuditReport
	Checked string // "12–40" or "" for the whole chain
}

// auditDesk lists audit rows matching the search, newest first, with the chain head, and
// verifies a range of seqs when asked.
func (s *server) auditDesk(w http.ResponseWriter, r *http.Request, sess session) {
	if sess.P.Role != access.Auditor && sess.P.Role != access.Admin {
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only auditors and administrators read the audit log.")
		return
	}
	q := r.URL.Query()
	d := auditDeskData{Errors: map[string]string{}, Q: auditSearch{
		Claim: strings.TrimSpace(q.Get("claim")), Actor: strings.TrimSpace(q.Get("actor")),
		Action: strings.TrimSpace(q.Get("action")), From: q.Get("from"), To: q.Get("to"),
		VerifyFrom: strings.TrimSpace(q.Get("vfrom")), VerifyTo: strings.TrimSpace(q.Get("vto"))}}
	f := store.AuditFilter{ClaimID: d.Q.Claim, Actor: d.Q.Actor, Action: d.Q.Action, Limit: store.DefaultAuditLimit}
	f.From = beijingDay(d.Q.From, "from", d.Errors)
	if to := beijingDay(d.Q.To, "to", d.Errors); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the last day is included
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		d.Errors["to"] = "The last day must not be before the first."
	}
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 1 {
			d.Errors["cursor"] = "This page link is not valid; search again."
		}
		f.Before = n
	}
	ctx := r.Context()
	if len(d.Errors) == 0 {
		rows, next, err := s.store.SearchAudit(ctx, f)
		if err != nil {
			s.internal(w, r, sess, "search audit", err)
			return
		}
		d.Rows = rows
		if next != "" {
			nq := cloneValues(q)
			nq.Set("cursor", next)
			d.Next = "/ui/audit?" + nq.Encode()
		}
		if f.Before > 0 {
			fq := cloneValues(q)
			fq.Del("cursor")
			d.First = "/ui/audit?" + fq.Encode()
		}
	}
	head, err := s.store.AuditHead(ctx)
	if err != nil {
		s.internal(w, r, sess, "audit head", err)
		return
	}
	d.Head = head
	if q.Get("verify") != "" {
		from := seqField(d.Q.VerifyFrom, "vfrom", d.Errors)
		to := seqField(d.Q.VerifyTo, "vto", d.Errors)
		if from > 0 && to > 0 && to < from {
			d.Errors["vto"] = "The last row must not be before the first."
		}
		if d.Errors["vfrom"] == "" && d.Errors["vto"] == "" {
			var rep store.AuditReport
			var err error
			if from == 0 && to == 0 {
				rep, err = s.verifyWhole(ctx)
			} else {
				rep, err = s.store.VerifyAuditRange(ctx, from, to)
				if from == 0 {
					from = 1
				}
				if to == 0 || to > head.Seq {
					to = head.Seq
				}
				d.Checked = strconv.FormatInt(from, 10) + "–" + strconv.FormatInt(to, 10)
			}
			if err != nil {
				s.internal(w, r, sess, "verify audit", err)
				return
			}
			d.Verify = &rep
		}
	}
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.page(w, r, sess, status, "audit", "audit", "Auditor's desk", d)
}

// verifyWhole checks the whole chain, against the signed checkpoints when there are some.
func (s *server) verifyWhole(ctx context.Context) (store.AuditReport, error) {
	if s.audit != nil {
		return s.audit.Verify(ctx)
	}
	return s.store.VerifyAudit(ctx)
}

func cloneValues(q url.Values) url.Values {
	c := url.Values{}
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	return c
}

// beijingDay reads a YYYY-MM-DD day as its start in Beijing time; "" is the zero time.
func beijingDay(v, field string, errs map[string]string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, v, i18n.Beijing)
	if err != nil {
		errs[field] = "Enter a date as YYYY-MM-DD."
	}
	return t
}

// seqField reads a row number; "" is 0 (open).
func seqField(v, field string, errs map[string]string) int64 {
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(i18n.Ungroup(v), 10, 64)
	if err != nil || n < 1 {
		errs[field] = "Enter a row number from 1."
	}
	return n
}

// apiRefusal shows the API's refusal as an error page.
func (s *server) apiRefusal(w http.ResponseWriter, r *http.Request, sess session, what string, status int, resp []byte) {
	if status >= 500 {
		s.log.Error("api call failed", "what", what, "status", status, "body", string(resp))
		s.errorPage(w, r, &sess, status, "")
		return
	}
	msg := http.StatusText(status)
	switch status {
	case http.StatusNotFound:
		msg = "The claim was not found."
	case http.StatusForbidden:
		msg = "Your role may not open this page."
	default:
		if p, ok := decodeProblem(resp); ok && p.Detail != "" {
			msg = p.Detail
		}
	}
	s.errorPage(w, r, &sess, status, msg)
}

// dossierData is the dossier as GET /v1/claims/{id}/dossier gives it, decoded for the page.
type dossierData struct {
	Raw       []byte `json:"-"`
	Format    string `json:"format"`
	Signed    bool   `json:"signed"`
	Algorithm string `json:"algorithm"`
	PublicKey string `json:"public_key"`
	Signature string `json:"signature"`
	Note      string `json:"note"`
	Bundle    struct {
		GeneratedAt time.Time `json:"generated_at"`
		GeneratedBy string    `json:"generated_by"`
		Head        struct {
			Seq  int64  `json:"seq"`
			Hash string `json:"hash"`
		} `json:"audit_head"`
		Trace struct {
			Claim struct {
				ID         string  `json:"id"`
				ProgramID  string  `json:"program_id"`
				Kind       string  `json:"kind"`
				CreditCode string  `json:"credit_code"`
				Status     string  `json:"status"`
				Requested  string  `json:"requested"`
				Amount     *string `json:"amount"`
			} `json:"claim"`
			Snapshot   json.RawMessage `json:"snapshot"`
			Payment    json.RawMessage `json:"payment"`
			Assessment *struct {
				RuleVersion string `json:"rule_version"`
				Amount      string `json:"amount"`
				Steps       []struct {
					Label string  `json:"label"`
					Value string  `json:"value"`
					Note  *string `json:"note"`
				} `json:"steps"`
			} `json:"assessment"`
			Approvals []struct {
				Subject string    `json:"subject"`
				Role    string    `json:"role"`
				At      time.Time `json:"at"`
				Note    *string   `json:"note"`
			} `json:"approvals"`
			Trail []struct {
				Seq      int64     `json:"seq"`
				At       time.Time `json:"at"`
				Actor    string    `json:"actor"`
				Role     string    `json:"role"`
				Action   string    `json:"action"`
				Amount   *string   `json:"amount"`
				PrevHash string    `json:"prev_hash"`
				Hash     string    `json:"hash"`
			} `json:"trail"`
		} `json:"trace"`
	} `json:"bundle"`
}

// dossierPage shows a claim's signed dossier for people to read.
func (s *server) dossierPage(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("id")
	status, resp := s.apiGet(r, sess, "/v1/claims/"+url.PathEscape(id)+"/dossier")
	if status != http.StatusOK {
		s.apiRefusal(w, r, sess, "dossier", status, resp)
		return
	}
	var d dossierData
	if err := json.Unmarshal(resp, &d); err != nil {
		s.internal(w, r, sess, "decode dossier", err)
		return
	}
	d.Raw = resp
	s.page(w, r, sess, http.StatusOK, "dossier", "audit", "Claim dossier", &d)
}

// dossierDownload hands over the signed dossier as the API gives it.
func (s *server) dossierDownload(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("id")
	status, resp := s.apiGet(r, sess, "/v1/claims/"+url.PathEscape(id)+"/dossier")
	if status != http.StatusOK {
		s.apiRefusal(w, r, sess, "dossier", status, resp)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="dossier-`+strings.Map(safeNameRune, id)+`.json"`)
	_, _ = w.Write(resp)
}

func safeNameRune(r rune) rune {
	if r == '_' || r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
		return r
	}
	return '_'
}
