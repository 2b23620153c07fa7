package api

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/store"
)

// auditLogParams are the query parameters GET /v1/audit/log understands.
var auditLogParams = map[string]bool{"claim_id": true, "actor": true, "action": true,
	"from": true, "to": true, "limit": true, "cursor": true}

type auditLogRowView struct {
	Seq       int64   `json:"seq"`
	At        string  `json:"at"`
	Actor     string  `json:"actor"`
	Role      string  `json:"role"`
	Action    string  `json:"action"`
	ClaimID   *string `json:"claim_id"`
	ProgramID *string `json:"program_id"`
	Amount    *string `json:"amount"`
	Details   any     `json:"details"`
	PrevHash  string  `json:"prev_hash"`
	Hash      string  `json:"hash"`
}

type auditLogView struct {
	Items      []auditLogRowView `json:"items"`
	NextCursor *string           `json:"next_cursor"`
	// Head is the seq and hash audit_head records: the end of the chain.
	Head struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	} `json:"head"`
}

// AuditFilterFromQuery validates the query of GET /v1/audit/log (the web desk uses it
// too); every problem is reported at once, keyed by parameter.
func AuditFilterFromQuery(q url.Values) (store.AuditFilter, error) {
	errs := map[string]string{}
	for name, vs := range q {
		switch {
		case !auditLogParams[name]:
			errs[name] = "is not a known query parameter"
		case len(vs) > 1:
			errs[name] = "must be given at most once"
		}
	}
	f := store.AuditFilter{ClaimID: q.Get("claim_id"), Actor: q.Get("actor"), Action: q.Get("action"),
		Limit: store.DefaultAuditLimit}
	for name, v := range map[string]string{"claim_id": f.ClaimID, "actor": f.Actor, "action": f.Action} {
		if len(v) > 200 {
			errs[name] = "must be at most 200 characters"
		}
	}
	parseTime := func(name string) time.Time {
		v := q.Get(name)
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			errs[name] = "must be a time in RFC 3339 form, such as 2026-01-31T08:00:00+08:00"
		}
		return t
	}
	f.From, f.To = parseTime("from"), parseTime("to")
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		errs["to"] = "must be after from"
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxAuditLimit {
			errs["limit"] = "must be a whole number from 1 to " + strconv.Itoa(store.MaxAuditLimit)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			errs["cursor"] = "must be the next_cursor of a previous page"
		}
		f.Before = n
	}
	return f, invalid(errs)
}

// auditLog pages through the audit log, newest first, with each row's hashes and the head
// of the chain (auditors and admins).
func (s *server) auditLog(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "read the audit log", access.Auditor, access.Admin); err != nil {
		return err
	}
	f, err := AuditFilterFromQuery(r.URL.Query())
	if err != nil {
		return err
	}
	entries, next, err := s.store.SearchAudit(r.Context(), f)
	if err != nil {
		return err
	}
	head, err := s.store.AuditHead(r.Context())
	if err != nil {
		return err
	}
	view := auditLogView{Items: make([]auditLogRowView, 0, len(entries)), NextCursor: optString(next)}
	view.Head.Seq, view.Head.Hash = head.Seq, head.Hash
	for _, e := range entries {
		view.Items = append(view.Items, viewAuditLogRow(e))
	}
	return writeJSON(w, http.StatusOK, view)
}

func viewAuditLogRow(e audit.Entry) auditLogRowView {
	return auditLogRowView{Seq: e.Seq, At: formatTime(e.At), Actor: e.Actor, Role: e.Role, Action: e.Action,
		ClaimID: optString(e.ClaimID), ProgramID: optString(e.ProgramID), Amount: optAmount(e.Amount),
		Details: optJSON(e.Details), PrevHash: e.PrevHash, Hash: e.Hash}
}

// seqRange reads from_seq and to_seq of GET /v1/audit/verify; ranged is false when neither
// is given (verify the whole chain).
func seqRange(q url.Values) (from, to int64, ranged bool, err error) {
	errs := map[string]string{}
	for name, vs := range q {
		switch {
		case name != "from_seq" && name != "to_seq":
			errs[name] = "is not a known query parameter"
		case len(vs) > 1:
			errs[name] = "must be given at most once"
		}
	}
	read := func(name string) int64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		ranged = true
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			errs[name] = "must be a whole number from 1"
		}
		return n
	}
	from, to = read("from_seq"), read("to_seq")
	if from > 0 && to > 0 && to < from {
		errs["to_seq"] = "must not be less than from_seq"
	}
	return from, to, ranged, invalid(errs)
}

// dossierView is one claim's record for an auditor, signed so it can leave subsidyflow:
// Bundle is the claim's trace (claim, snapshot, calculation, approvals, payment, audit rows
// with hashes); Signature is the Ed25519 signature of Bundle's exact bytes with the key that
// signs the audit checkpoints, PublicKey its public half (both base64).
type dossierView struct {
	Format    string          `json:"format"`
	Bundle    json.RawMessage `json:"bundle"`
	Signed    bool            `json:"signed"`
	Algorithm string          `json:"algorithm,omitempty"`
	PublicKey string          `json:"public_key,omitempty"`
	Signature string          `json:"signature,omitempty"`
	Note      string          `json:"note,omitempty"`
}

// DossierFormat names the layout of a dossier.
const DossierFormat = "subsidyflow-dossier/1"

type dossierBundle struct {
	Generated   string    `json:"generated_at"`
	GeneratedBy string    `json:"generated_by"`
	Head        any       `json:"audit_head"`
	Trace       traceView `json:"trace"`
}

// signer is the part of the checkpoint keeper that signs dossiers.
type signer interface {
	Sign(msg []byte) []byte
	PublicKey() ed25519.PublicKey
}

// VerifyDossier checks a dossier's signature over its bundle's bytes.
func VerifyDossier(doc []byte) bool {
	var d dossierView
	if json.Unmarshal(doc, &d) != nil || !d.Signed {
		return false
	}
	pub, err1 := base64.StdEncoding.DecodeString(d.PublicKey)
	sig, err2 := base64.StdEncoding.DecodeString(d.Signature)
	return err1 == nil && err2 == nil && len(pub) == ed25519.PublicKeySize &&
		ed25519.Verify(ed25519.PublicKey(pub), d.Bundle, sig)
}

// claimDossier exports one claim's trace as a signed bundle (auditors, admins, finance).
func (s *server) claimDossier(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "export a claim's dossier", access.Auditor, access.Admin, access.FinanceOfficer, access.FinanceSupervisor); err != nil {
		return err
	}
	trace, err := s.trace(r)
	if err != nil {
		return err
	}
	head, err := s.store.AuditHead(r.Context())
	if err != nil {
		return err
	}
	bundle, err := json.Marshal(dossierBundle{Generated: formatTime(s.now()), GeneratedBy: p.Subject,
		Head: map[string]any{"seq": head.Seq, "hash": head.Hash}, Trace: trace})
	if err != nil {
		return err
	}
	view := dossierView{Format: DossierFormat, Bundle: bundle}
	if sg, ok := s.checkpoints.(signer); ok && sg != nil {
		view.Signed, view.Algorithm = true, "Ed25519"
		view.PublicKey = base64.StdEncoding.EncodeToString(sg.PublicKey())
		view.Signature = base64.StdEncoding.EncodeToString(sg.Sign(bundle))
	} else {
		view.Note = "unsigned: this process has no audit signing key (AUDIT_SIGNING_KEY)"
	}
	w.Header().Set("Content-Disposition", `attachment; filename="dossier-`+trace.Claim.ID+`.json"`)
	return writeJSON(w, http.StatusOK, view)
}
