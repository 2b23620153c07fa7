package api

import (
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
)

type auditReportView struct {
	OK             bool   `json:"ok"`
	Rows           int64  `json:"rows"`
	FirstBrokenSeq *int64 `json:"first_broken_seq"`
	Reason         string `json:"reason"`
}

// verifyAudit walks the whole hash chain of the audit log (auditors and admins).
func (s *server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "verify the audit log", access.Auditor, access.Admin); err != nil {
		return err
	}
	rep, err := s.store.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	view := auditReportView{OK: rep.OK, Rows: rep.Rows, Reason: rep.Reason}
	if !rep.OK {
		view.FirstBrokenSeq = &rep.FirstBroken
	}
	return writeJSON(w, http.StatusOK, view)
}
