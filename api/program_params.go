package api

import (
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

// updateProgramParams lets an administrator maintain a program's parameters: the members
// sent replace the stored ones (the landlord list, the risk-area counties, a voucher's
// providers), the rest stay, and the whole is validated again by the kind's rules. The
// change is audited with the parameters before and after; claims already judged keep the
// parameters frozen in their snapshot.
func (s *server) updateProgramParams(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "maintain program parameters", access.Admin); err != nil {
		return err
	}
	prg, err := s.store.GetProgram(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var changes map[string]json.RawMessage
	if err := json.Unmarshal(body, &changes); err != nil || changes == nil {
		return &malformed{err: badBody("must be a JSON object of the parameters to change")}
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(prg.Params, &merged); err != nil {
		return apperr.New(apperr.Conflict, "the stored parameters of program %s cannot be read", prg.ID)
	}
	for k, v := range changes {
		merged[k] = v
	}
	raw, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	params, errs, err := paramsOf(prg.Kind, raw, "")
	if err != nil {
		return err
	}
	if err := invalid(errs); err != nil {
		return err
	}
	updated, err := s.store.UpdateProgramParams(r.Context(), prg.ID, params, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewProgram(updated))
}
