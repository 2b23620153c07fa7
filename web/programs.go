package web

import (
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
)

// programList shows every program with the state of its fund; any role may read it, as in
// the API.
func (s *server) programList(w http.ResponseWriter, r *http.Request, sess session) {
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return
	}
	s.page(w, r, sess, http.StatusOK, "programs", "programs", "Programs", progs)
}

// auditPage checks the whole hash chain of the audit log, and against the signed
// checkpoints, as GET /v1/audit/verify does.
func (s *server) auditPage(w http.ResponseWriter, r *http.Request, sess session) {
	if sess.P.Role != access.Auditor && sess.P.Role != access.Admin {
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only auditors and administrators verify the audit log.")
		return
	}
	verify := s.store.VerifyAudit
	if s.audit != nil {
		verify = s.audit.Verify
	}
	rep, err := verify(r.Context())
	if err != nil {
		s.internal(w, r, sess, "verify audit", err)
		return
	}
	s.page(w, r, sess, http.StatusOK, "audit", "audit", "审计日志 Audit log", rep)
}
