package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// testHistoryLinks: on the app's own mount (TEMPORAL_UI_URL set, as apptest does), staff
// get the claim's workflow run linked to the Temporal UI; the applicant does not.
func (w *world) testHistoryLinks(t *testing.T) {
	run := w.env.Do(t, "GET", "/v1/claims/"+w.mine, "auditor", nil)
	trace := w.env.Do(t, "GET", "/v1/claims/"+w.mine+"/trace", "auditor", nil)
	if run.Status != http.StatusOK || trace.Status != http.StatusOK {
		t.Fatalf("claim: %d, trace: %d", run.Status, trace.Status)
	}
	ex := trace.JSON["executions"].([]any)
	if len(ex) == 0 {
		t.Fatalf("no executions in the trace: %s", trace.Body)
	}
	runID := ex[len(ex)-1].(map[string]any)["run_id"].(string)
	link := "http://localhost:8233/namespaces/default/workflows/" + url.PathEscape("claim/"+w.mine) + "/" + runID + "/history"

	for _, who := range []string{"auditor", "officer"} {
		b2 := w.browser(t)
		b2.base = w.env.URL
		resp, _ := b2.post("/ui/signin", url.Values{"token": {w.env.Tokens[who]}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as %s on the app: %d", who, resp.StatusCode)
		}
		resp, body := b2.get("/ui/claims/" + w.mine)
		wantStatus(t, resp, body, http.StatusOK)
		contains(t, body, "工作流历史", runID, `href="`+link+`"`)
	}

	b := w.browser(t)
	b.base = w.env.URL
	if resp, _ := b.post("/ui/signin", url.Values{"token": {w.env.Tokens["applicant"]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as applicant: %d", resp.StatusCode)
	}
	resp, body := b.get("/ui/claims/" + w.mine)
	wantStatus(t, resp, body, http.StatusOK)
	lacks(t, body, "Workflow history", link)
}
