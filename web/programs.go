package web

import (
	"net/http"
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
