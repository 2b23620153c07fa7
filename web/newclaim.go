package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/program"
)

// The new-claim form files a freight claim through the JSON API itself (POST /v1/claims
// and /v1/claims/dry-run, sent in-process to Deps.API), so the page holds no validation or
// rule of its own: it only turns the form into the API's body and the API's answer back
// into the form.

// formRows is how many shipment rows the form offers; empty rows are ignored.
const formRows = 5

// shipmentFields are the JSON names of a shipment, which are also the form fields'
// names (suffixed with the row number).
var shipmentFields = []string{"carrier", "waybill_no", "ship_date", "origin_region", "destination_region",
	"product_category", "mode", "amount", "invoice_no"}

// shipmentRow is one row of the form: what the user typed, the API's field errors for it
// and, after a preview, the rules' verdict on it.
type shipmentRow struct {
	N      int               // 1-based row number
	Values map[string]string // by JSON field name
	Errors map[string]string // by JSON field name; "" is the row as a whole
	Result *lineResult
	// OtherCategory is a typed category the program does not list, kept as a choice
	OtherCategory string
	// Origin names where an imported row came from ("CSV file, line 3"), for its errors
	Origin   string
	sentAsIx int // index in the JSON body, -1 when the row was empty
}

// formCell is one input of a shipment row, for the template "cell".
type formCell struct {
	Row         shipmentRow
	Field, Type string
}

type lineResult struct {
	Eligible                      bool
	Reason, Text, Basis, Conflict string
}

// problemView is the API's refusal: its title and detail, and field errors that belong to
// no row (the program, the enterprise, the list of shipments).
type problemView struct {
	Title, Detail string
	Errors        []fieldMsg
}

type fieldMsg struct{ Field, Message string }

// previewView is the API's dry-run answer.
type previewView struct {
	Amount             string  `json:"amount"`
	Calculated         string  `json:"calculated"`
	Capped             bool    `json:"capped"`
	RuleVersion        string  `json:"rule_version"`
	Reason             *string `json:"reason"`
	Text               *string `json:"text"`
	AvailableBudget    string  `json:"available_budget"`
	WouldWaitForBudget bool    `json:"would_wait_for_budget"`
	Lines              []struct {
		Index    int     `json:"index"`
		Eligible bool    `json:"eligible"`
		Reason   *string `json:"reason"`
		Text     *string `json:"text"`
		Basis    string  `json:"basis"`
		Conflict *string `json:"conflict"`
	} `json:"lines"`
}

// newClaimData is the form page.
type newClaimData struct {
	Programs   []program.Program // freight programs only
	ProgramID  string
	Categories []string // the chosen program's product categories; nil: free text
	Modes      []string
	Rows       []shipmentRow
	FormKey    string // the filing's idempotency key: one per rendered form
	Problem    *problemView
	Preview    *previewView
	// Unregistered: the signed-in enterprise is not in the registry yet, so the API would
	// refuse the claim; the page leads to /ui/enterprise instead.
	Unregistered bool
	BulkOpen     bool   // show the paste/upload part opened (after an import problem)
	Paste        string // pasted rows kept after an import problem
}

// newClaimPage shows the empty form, for the program of ?program= when given.
func (s *server) newClaimPage(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFile(w, r, sess) {
		return
	}
	d, ok := s.claimForm(w, r, sess, r.URL.Query().Get("program"))
	if !ok {
		return
	}
	d.FormKey = newFormKey()
	for i := range d.Rows {
		d.Rows[i] = emptyRow(i + 1)
	}
	var fl *flash
	if id := r.URL.Query().Get("program"); id != "" && d.ProgramID == "" {
		fl = &flash{Kind: "error", Text: "Unknown freight program; choose one from the list."}
	}
	s.renderClaimForm(w, r, sess, http.StatusOK, d, fl)
}

// newClaimSubmit previews or files the form through the API, or reloads it for another
// program.
func (s *server) newClaimSubmit(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFile(w, r, sess) {
		return
	}
	d, ok := s.claimForm(w, r, sess, r.PostFormValue("program_id"))
	if !ok {
		return
	}
	d.ProgramID = strings.TrimSpace(r.PostFormValue("program_id")) // as typed: the API judges it
	d.FormKey = r.PostFormValue("form_key")
	d.Rows = make([]shipmentRow, rowCount(r))
	body := readRows(r, d.Rows)
	action := strings.TrimPrefix(r.PostFormValue("action"), "do_") // do_preview: no English word in a zh-CN page
	if action == "addrow" && len(d.Rows) < maxRows {
		d.Rows = append(d.Rows, emptyRow(len(d.Rows)+1))
	}
	imported, lineErrs := importedLines(r)
	if len(lineErrs) > 0 { // nothing is sent to the API while a pasted or uploaded line is unreadable
		p := &problemView{Title: "Some pasted or uploaded lines cannot be read; nothing was filed."}
		for _, e := range lineErrs {
			p.Errors = append(p.Errors, fieldMsg{Message: e.Error()})
		}
		d.Problem, d.BulkOpen, d.Paste = p, true, r.PostFormValue("paste")
		s.renderClaimForm(w, r, sess, http.StatusUnprocessableEntity, d, nil)
		return
	}
	if len(imported) > 0 {
		d.Rows, body = withImported(d.Rows, imported)
	}
	if action == "program" || action == "addrow" || action == "import" {
		// another program (its categories), one more row, or imported lines: show the form again
		s.renderClaimForm(w, r, sess, http.StatusOK, d, nil)
		return
	}
	s.submitClaim(w, r, sess, action, claimFiling{
		What: "claim", Filed: "Claim filed.",
		Body:    map[string]any{"program_id": d.ProgramID, "freight": map[string]any{"shipments": body}},
		FormKey: &d.FormKey,
		Render:  func(status int, fl *flash) { s.renderClaimForm(w, r, sess, status, d, fl) },
		Preview: func(resp []byte) error {
			var pv previewView
			if err := json.Unmarshal(resp, &pv); err != nil {
				return err
			}
			d.Preview = &pv
			attachResults(d.Rows, &pv)
			return nil
		},
		Refused: func(status int, resp []byte) { s.refused(w, r, sess, d, status, resp) },
	})
}

// mayFile answers 403 to everyone but applicants, as the API would.
func (s *server) mayFile(w http.ResponseWriter, r *http.Request, sess session) bool {
	if sess.P.Role == access.Applicant {
		return true
	}
	s.errorPage(w, r, &sess, http.StatusForbidden, "Only applicant enterprises file claims.")
	return false
}

// claimForm loads the freight programs and, for the chosen one, its product categories.
func (s *server) claimForm(w http.ResponseWriter, r *http.Request, sess session, chosen string) (newClaimData, bool) {
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return newClaimData{}, false
	}
	d := newClaimData{Modes: freight.Modes, Rows: make([]shipmentRow, formRows)}
	for _, p := range progs {
		if p.Kind != program.Freight {
			continue
		}
		d.Programs = append(d.Programs, p)
		if p.ID == chosen {
			d.ProgramID = p.ID
			var params struct {
				ProductCategories []string `json:"product_categories"`
			}
			if json.Unmarshal(p.Params, &params) == nil && len(params.ProductCategories) > 0 {
				d.Categories = params.ProductCategories
			}
		}
	}
	return d, true
}

func emptyRow(n int) shipmentRow {
	return shipmentRow{N: n, Values: map[string]string{}, Errors: map[string]string{}, sentAsIx: -1}
}

// readRows fills rows from the form and returns the non-empty ones as the API's shipments.
func readRows(r *http.Request, rows []shipmentRow) []map[string]string {
	var out []map[string]string
	for i := range rows {
		row := emptyRow(i + 1)
		blank := true
		row.Origin = r.PostFormValue("origin_" + strconv.Itoa(row.N))
		for _, f := range shipmentFields {
			v := r.PostFormValue(f + "_" + strconv.Itoa(row.N))
			row.Values[f] = v
			if strings.TrimSpace(v) != "" {
				blank = false
			}
		}
		if !blank {
			row.sentAsIx = len(out)
			out = append(out, sendable(row.Values))
		}
		rows[i] = row
	}
	if out == nil {
		out = []map[string]string{} // "no shipments" is the API's to say
	}
	return out
}

// sendable is a shipment as the API reads it: the amount without thousands separators.
func sendable(v map[string]string) map[string]string {
	out := make(map[string]string, len(v))
	for k, x := range v {
		out[k] = x
	}
	out["amount"] = i18n.Ungroup(v["amount"])
	return out
}

// withImported puts the imported shipments after the typed rows (empty typed rows are
// dropped) and returns the rows and the API's shipments.
func withImported(typed []shipmentRow, imported []importedLine) ([]shipmentRow, []map[string]string) {
	var rows []shipmentRow
	body := []map[string]string{}
	add := func(values map[string]string, origin string) {
		row := emptyRow(len(rows) + 1)
		row.Values, row.Origin = values, origin
		row.sentAsIx = len(body)
		body = append(body, sendable(values))
		rows = append(rows, row)
	}
	for _, r := range typed {
		if r.sentAsIx >= 0 {
			add(r.Values, r.Origin)
		}
	}
	for _, l := range imported {
		add(l.Values, l.Origin)
	}
	for len(rows) < formRows {
		rows = append(rows, emptyRow(len(rows)+1))
	}
	return rows, body
}

// callAPI sends a JSON POST through the API's handler as the signed-in user.
func (s *server) callAPI(r *http.Request, sess session, path, key string, body []byte) (int, []byte) {
	return s.callAPIMethod(r, sess, http.MethodPost, path, key, body)
}

// callAPIMethod sends a JSON request of any method through the API's handler as the
// signed-in user.
func (s *server) callAPIMethod(r *http.Request, sess session, method, path, key string, body []byte) (int, []byte) {
	req := httptest.NewRequest(method, path, bytes.NewReader(body)).WithContext(context.WithoutCancel(r.Context()))
	req.RemoteAddr = r.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	s.api.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// inProgress tells a request still running under the same key from a key reused for
// another body; both are 409s.
func inProgress(problem []byte) bool {
	var p struct {
		Detail string `json:"detail"`
	}
	_ = json.Unmarshal(problem, &p)
	return strings.Contains(p.Detail, "still in progress")
}

var rowField = regexp.MustCompile(`^freight\.shipments\[(\d+)\](?:\.(\w+))?$`)

// refused shows the API's problem document on the form: field errors beside their fields
// (freight.shipments[2].amount is the amount of the third row sent), the rest at the top.
func (s *server) refused(w http.ResponseWriter, r *http.Request, sess session, d newClaimData, status int, resp []byte) {
	var doc struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(resp, &doc); err != nil || doc.Title == "" {
		s.internal(w, r, sess, "read API answer", fmt.Errorf("status %d: %q", status, resp))
		return
	}
	if status >= 500 {
		s.log.WarnContext(r.Context(), "web: new claim: API failed", "status", status, "detail", doc.Detail)
	}
	p := &problemView{Title: doc.Title, Detail: doc.Detail}
	byIx := map[int]int{}
	for i, row := range d.Rows {
		if row.sentAsIx >= 0 {
			byIx[row.sentAsIx] = i
		}
	}
	for _, e := range doc.Errors {
		if m := rowField.FindStringSubmatch(e.Field); m != nil {
			ix, _ := strconv.Atoi(m[1])
			if i, ok := byIx[ix]; ok {
				if _, known := d.Rows[i].Values[m[2]]; known || m[2] == "" {
					d.Rows[i].Errors[m[2]] = e.Message
					continue
				}
			}
		}
		p.Errors = append(p.Errors, fieldMsg{Field: e.Field, Message: e.Message})
	}
	d.Problem = p
	s.renderClaimForm(w, r, sess, status, d, nil)
}

// attachResults puts the dry run's verdict of each shipment on the row it came from.
func attachResults(rows []shipmentRow, pv *previewView) {
	results := lineResults(pv)
	for i := range rows {
		if rows[i].sentAsIx >= 0 {
			rows[i].Result = results[rows[i].sentAsIx]
		}
	}
}

// lineResults is the dry run's verdict of each line, by its index in the body sent; the
// filing forms of every kind put them under the rows the lines came from.
func lineResults(pv *previewView) map[int]*lineResult {
	out := make(map[int]*lineResult, len(pv.Lines))
	for _, l := range pv.Lines {
		res := &lineResult{Eligible: l.Eligible, Basis: l.Basis}
		if l.Reason != nil {
			res.Reason = *l.Reason
		}
		if l.Text != nil {
			res.Text = *l.Text
		}
		if l.Conflict != nil {
			res.Conflict = *l.Conflict
		}
		out[l.Index] = res
	}
	return out
}

func (s *server) renderClaimForm(w http.ResponseWriter, r *http.Request, sess session, status int, d newClaimData, fl *flash) {
	for i, row := range d.Rows {
		if c := row.Values["product_category"]; c != "" && d.Categories != nil && !slices.Contains(d.Categories, c) {
			d.Rows[i].OtherCategory = c
		}
	}
	if _, err := s.store.GetEnterprise(r.Context(), sess.P.CreditCode); apperr.Is(err, apperr.NotFound) {
		d.Unregistered = true
	}
	v := view{Title: "New claim", User: &sess.P, CSRF: sess.CSRF, Nav: "claims", Data: d, Flash: takeFlash(w, r)}
	if fl != nil {
		v.Flash = fl
	}
	s.render(w, r, status, "newclaim", v)
}

var formKeyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newFormKey names one rendering of the form: filing it twice files once.
func newFormKey() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return formKeyEncoding.EncodeToString(b)
}

func validFormKey(k string) bool {
	if len(k) < 16 || len(k) > 64 {
		return false
	}
	for _, c := range k {
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}
