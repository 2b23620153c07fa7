package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"
)

// Helpers for the forms that file claims through the JSON API in-process (see callAPI):
// what every such form does with the API's answer, whatever the kind of claim.

// fileThroughAPI sends POST /v1/claims under the form's key. A double click sends the same
// key twice; the second request gets a 409 "still in progress" while the first files, so
// it waits for the first answer to be replayed instead of showing the user a conflict.
// ok is false when the browser went away meanwhile.
func (s *server) fileThroughAPI(r *http.Request, sess session, formKey string, body []byte) (status int, resp []byte, ok bool) {
	status, resp = s.callAPI(r, sess, "/v1/claims", "web-"+formKey, body)
	for try := 0; status == http.StatusConflict && inProgress(resp) && try < 20; try++ {
		select {
		case <-r.Context().Done():
			return 0, nil, false
		case <-time.After(250 * time.Millisecond):
		}
		status, resp = s.callAPI(r, sess, "/v1/claims", "web-"+formKey, body)
	}
	return status, resp, true
}

// filedClaimID reads the new claim's id from POST /v1/claims' 201 answer.
func filedClaimID(resp []byte) (string, error) {
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &c); err != nil || c.ID == "" {
		return "", fmt.Errorf("answer %s: %v", resp, err)
	}
	return c.ID, nil
}

// decodeProblem reads the API's problem+json refusal; ok is false when the answer is not
// one (then it is a fault to log, not a message for the user).
func decodeProblem(resp []byte) (p problemView, ok bool) {
	var doc struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(resp, &doc); err != nil || doc.Title == "" {
		return problemView{}, false
	}
	p = problemView{Title: doc.Title, Detail: doc.Detail}
	for _, e := range doc.Errors {
		p.Errors = append(p.Errors, fieldMsg{Field: e.Field, Message: e.Message})
	}
	return p, true
}

// claimFiling is what a filing form (freight, rent, guarantee) gives submitClaim: the
// API body, the form's key, and how the form shows itself, a dry run and a refusal. The
// forms differ only in these; the preview-or-file flow is the same for every kind.
type claimFiling struct {
	What    string         // for the log: "rent claim"
	Filed   string         // the flash after filing (English, translated when shown)
	Body    map[string]any // POST /v1/claims' body
	FormKey *string        // the form's key, renewed when it expired or the API refused
	Render  func(status int, fl *flash)
	Preview func(resp []byte) error // reads the dry run into the form before Render
	Refused func(status int, resp []byte)
}

// submitClaim previews (POST /v1/claims/dry-run) or files (POST /v1/claims under the
// form's key) a claim through the API and shows the answer on the form, or goes to the
// filed claim.
func (s *server) submitClaim(w http.ResponseWriter, r *http.Request, sess session, action string, f claimFiling) {
	if action != "preview" && action != "file" {
		s.errorPage(w, r, &sess, http.StatusBadRequest, "Unknown action.")
		return
	}
	if !validFormKey(*f.FormKey) {
		*f.FormKey = newFormKey()
		f.Render(http.StatusBadRequest, &flash{Kind: "error", Text: "The form has expired; submit it again."})
		return
	}
	if s.api == nil {
		s.internal(w, r, sess, f.What, fmt.Errorf("web: Deps.API is not set"))
		return
	}
	raw, err := json.Marshal(f.Body)
	if err != nil {
		s.internal(w, r, sess, "encode "+f.What, err)
		return
	}
	if action == "preview" {
		status, resp := s.callAPI(r, sess, "/v1/claims/dry-run", "", raw)
		if status != http.StatusOK {
			f.Refused(status, resp)
			return
		}
		if err := f.Preview(resp); err != nil {
			s.internal(w, r, sess, "read "+f.What+" dry run", err)
			return
		}
		f.Render(http.StatusOK, nil)
		return
	}
	status, resp, ok := s.fileThroughAPI(r, sess, *f.FormKey, raw)
	if !ok {
		return
	}
	if status == http.StatusCreated {
		id, err := filedClaimID(resp)
		if err != nil {
			s.internal(w, r, sess, "read filed "+f.What, err)
			return
		}
		setFlash(w, "ok", f.Filed)
		http.Redirect(w, r, "/ui/claims/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	if status < 500 {
		// the API keeps a refusal under its key: the corrected form needs a new one
		*f.FormKey = newFormKey()
	}
	f.Refused(status, resp)
}

// apiGet reads the JSON API in-process as the signed-in user, as callAPI sends POSTs.
func (s *server) apiGet(r *http.Request, sess session, path string) (int, []byte) {
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(r.Context())
	req.RemoteAddr = r.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	s.api.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}
