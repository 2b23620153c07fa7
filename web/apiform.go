package web

import (
	"encoding/json"
	"fmt"
	"net/http"
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
