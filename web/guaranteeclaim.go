package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/program"
)

// The guarantee-fee form files a guarantee institution's contracts through the JSON API,
// as the freight and rent forms do (POST /v1/claims and /v1/claims/dry-run, in-process):
// the page turns its rows into {"program_id", "guarantee": {"contracts": [...]}} and the
// API's answer back into the rows, so the contracts' checks and the rebate's rules live
// only in the API and the guarantee package.

// guaranteeRoutes serves the guarantee form: web.go mounts it under /ui/guarantee/.
func (s *server) guaranteeRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ui/guarantee/new", s.authed(s.guaranteePage))
	mux.HandleFunc("POST /ui/guarantee/new", s.authed(s.guaranteeSubmit))
	mux.HandleFunc("/ui/guarantee/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, nil, http.StatusNotFound, "Page not found")
	})
	return mux
}

// guaranteeRows is how many contract rows the form offers; empty rows are ignored.
const guaranteeRows = 5

// contractTextFields are the contract's typed fields (JSON names, also the form fields'
// names suffixed with the row number); the size class is a select, the flags checkboxes.
var contractTextFields = []string{"contract_no", "borrower_credit_code", "guaranteed_amount", "fee_rate",
	"fee_paid", "start_date", "end_date"}

// contractInputFields are the fields read as strings: the typed ones and the size class.
var contractInputFields = append(append([]string{}, contractTextFields...), "borrower_size_class")

// contractFlags are the contract's yes/no members, sent as true or false.
var contractFlags = []string{"counter_guarantee", "review_fee"}

// sizeClasses are the size classes an institution may claim for a borrower.
var sizeClasses = []struct{ Value, Label string }{
	{"micro", "Micro"}, {"small", "Small"}, {"medium", "Medium"}, {"large", "Large"},
}

// guaranteeRow is one contract row: what was typed, the API's field errors and, after a
// preview, the rules' verdict on the line.
type guaranteeRow struct {
	N        int
	Values   map[string]string // by JSON field name
	Checked  map[string]bool   // the flags, by JSON field name
	Errors   map[string]string // by JSON field name; "" is the row as a whole
	Result   *lineResult
	sentAsIx int // index in the JSON body, -1 when the row was empty
}

// guaranteeForm is the form page.
type guaranteeForm struct {
	Programs     []program.Program // guarantee programs only
	ProgramID    string
	ProgramError string
	SizeClasses  []struct{ Value, Label string }
	Rows         []guaranteeRow
	FormKey      string
	Problem      *problemView
	Preview      *previewView
}

// mayFileGuarantee lets guarantee institutions in; the API would answer 403 to others.
func (s *server) mayFileGuarantee(w http.ResponseWriter, r *http.Request, sess session) bool {
	if sess.P.Role == access.Institution {
		return true
	}
	s.errorPage(w, r, &sess, http.StatusForbidden, "Only guarantee institutions file guarantee-fee claims.")
	return false
}

// guaranteePage shows the empty form, for the program of ?program= when given.
func (s *server) guaranteePage(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFileGuarantee(w, r, sess) {
		return
	}
	chosen := r.URL.Query().Get("program")
	d, ok := s.guaranteeFormFor(w, r, sess, chosen)
	if !ok {
		return
	}
	for i := range d.Rows {
		d.Rows[i] = emptyGuaranteeRow(i + 1)
	}
	d.FormKey = newFormKey()
	var fl *flash
	if chosen != "" && d.ProgramID == "" {
		fl = &flash{Kind: "error", Text: "Unknown guarantee-fee program; choose one from the list."}
	}
	s.renderGuaranteeForm(w, r, sess, http.StatusOK, d, fl)
}

// guaranteeSubmit previews or files the contracts through the API.
func (s *server) guaranteeSubmit(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFileGuarantee(w, r, sess) {
		return
	}
	d, ok := s.guaranteeFormFor(w, r, sess, r.PostFormValue("program_id"))
	if !ok {
		return
	}
	d.ProgramID = strings.TrimSpace(r.PostFormValue("program_id")) // as typed: the API judges it
	d.FormKey = r.PostFormValue("form_key")
	contracts := readGuaranteeRows(r, d.Rows)
	action := strings.TrimPrefix(r.PostFormValue("action"), "do_") // do_preview: no English word in a zh-CN page
	s.submitClaim(w, r, sess, action, claimFiling{
		What: "guarantee claim", Filed: "Guarantee-fee claim filed.",
		Body:    map[string]any{"program_id": d.ProgramID, "guarantee": map[string]any{"contracts": contracts}},
		FormKey: &d.FormKey,
		Render:  func(status int, fl *flash) { s.renderGuaranteeForm(w, r, sess, status, d, fl) },
		Preview: func(resp []byte) error {
			var pv previewView
			if err := json.Unmarshal(resp, &pv); err != nil {
				return err
			}
			d.Preview = &pv
			attachGuaranteeResults(d.Rows, &pv)
			return nil
		},
		Refused: func(status int, resp []byte) { s.guaranteeRefused(w, r, sess, d, status, resp) },
	})
}

// guaranteeFormFor loads the guarantee programs.
func (s *server) guaranteeFormFor(w http.ResponseWriter, r *http.Request, sess session, chosen string) (guaranteeForm, bool) {
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return guaranteeForm{}, false
	}
	d := guaranteeForm{SizeClasses: sizeClasses, Rows: make([]guaranteeRow, guaranteeRows)}
	for _, p := range progs {
		if p.Kind == program.Guarantee {
			d.Programs = append(d.Programs, p)
			if p.ID == chosen {
				d.ProgramID = p.ID
			}
		}
	}
	return d, true
}

func emptyGuaranteeRow(n int) guaranteeRow {
	return guaranteeRow{N: n, Values: map[string]string{}, Checked: map[string]bool{}, Errors: map[string]string{}, sentAsIx: -1}
}

// readGuaranteeRows fills rows from the form and returns the non-empty ones as the API's
// contracts. A row with nothing typed, no class chosen and no box ticked is empty.
func readGuaranteeRows(r *http.Request, rows []guaranteeRow) []map[string]any {
	out := []map[string]any{} // "no contracts" is the API's to say
	for i := range rows {
		row := emptyGuaranteeRow(i + 1)
		suffix := "_" + strconv.Itoa(row.N)
		blank := true
		contract := map[string]any{}
		for _, f := range contractInputFields {
			v := r.PostFormValue(f + suffix)
			row.Values[f] = v
			contract[f] = v
			if f == "guaranteed_amount" || f == "fee_paid" {
				contract[f] = i18n.Ungroup(v)
			}
			if strings.TrimSpace(v) != "" {
				blank = false
			}
		}
		for _, f := range contractFlags {
			on := r.PostFormValue(f+suffix) != ""
			row.Checked[f] = on
			contract[f] = on
			if on {
				blank = false
			}
		}
		if !blank {
			row.sentAsIx = len(out)
			out = append(out, contract)
		}
		rows[i] = row
	}
	return out
}

var contractField = regexp.MustCompile(`^guarantee\.contracts\[(\d+)\](?:\.(\w+))?$`)

// guaranteeRefused shows the API's problem document on the form: an error on
// guarantee.contracts[i].X beside input X of the row sent as i, one on program_id beside
// the chooser, the rest at the top.
func (s *server) guaranteeRefused(w http.ResponseWriter, r *http.Request, sess session, d guaranteeForm, status int, resp []byte) {
	doc, ok := decodeProblem(resp)
	if !ok {
		s.internal(w, r, sess, "read API answer", fmt.Errorf("status %d: %q", status, resp))
		return
	}
	if status >= 500 {
		s.log.WarnContext(r.Context(), "web: guarantee claim: API failed", "status", status, "detail", doc.Detail)
	}
	byIx := map[int]int{}
	for i, row := range d.Rows {
		if row.sentAsIx >= 0 {
			byIx[row.sentAsIx] = i
		}
	}
	var rest []fieldMsg
	for _, e := range doc.Errors {
		if e.Field == "program_id" {
			d.ProgramError = e.Message
			continue
		}
		if m := contractField.FindStringSubmatch(e.Field); m != nil {
			ix, _ := strconv.Atoi(m[1])
			if i, found := byIx[ix]; found && d.Rows[i].hasField(m[2]) {
				d.Rows[i].Errors[m[2]] = e.Message
				continue
			}
		}
		rest = append(rest, e)
	}
	doc.Errors = rest
	d.Problem = &doc
	s.renderGuaranteeForm(w, r, sess, status, d, nil)
}

// hasField tells whether the row shows an input named f ("" is the row itself).
func (row guaranteeRow) hasField(f string) bool {
	if f == "" {
		return true
	}
	if _, ok := row.Values[f]; ok {
		return true
	}
	_, ok := row.Checked[f]
	return ok
}

// attachGuaranteeResults puts each line's verdict under the row it was sent from.
func attachGuaranteeResults(rows []guaranteeRow, pv *previewView) {
	results := lineResults(pv)
	for i := range rows {
		if rows[i].sentAsIx >= 0 {
			rows[i].Result = results[rows[i].sentAsIx]
		}
	}
}

func (s *server) renderGuaranteeForm(w http.ResponseWriter, r *http.Request, sess session, status int, d guaranteeForm, fl *flash) {
	v := view{Title: "Guarantee-fee claim", User: &sess.P, CSRF: sess.CSRF, Nav: "guarantee", Data: d, Flash: takeFlash(w, r)}
	if fl != nil {
		v.Flash = fl
	}
	s.render(w, r, status, "guaranteeclaim", v)
}

// guaranteeCell is one typed input of a contract row, for the template "gcell".
type guaranteeCell struct {
	Row         guaranteeRow
	Field, Type string
}

// Cell is the row's input named field, of the given input type.
func (row guaranteeRow) Cell(field, typ string) guaranteeCell { return guaranteeCell{row, field, typ} }
