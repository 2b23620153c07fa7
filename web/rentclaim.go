package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/rent"
)

// The rent-waiver form files one lease through the JSON API, as the freight form does
// (POST /v1/claims and /v1/claims/dry-run, in-process): the page turns the form into
// {"program_id", "rent": {"lease": {...}}} and the API's answer back into the form, so the
// lease's checks and the waiver's rules live only in the API and the rent package.

// rentRoutes serves the rent form: web.go mounts it under /ui/rent/ as one entry, so the
// form's routes stay beside its handlers.
func (s *server) rentRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ui/rent/new", s.authed(s.rentPage))
	mux.HandleFunc("POST /ui/rent/new", s.authed(s.rentSubmit))
	mux.HandleFunc("/ui/rent/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, nil, http.StatusNotFound, "Page not found")
	})
	return mux
}

// leaseInput is one input of the lease: its JSON name (also the form field's name), its
// bilingual label, what the user typed and the API's error for it.
type leaseInput struct {
	Name, Label, Type, Hint string
	Value, Error            string
}

// leaseInputs are the lease's fields in rent.LeaseRequest's order.
var leaseInputs = []leaseInput{
	{Name: "contract_no", Label: "Lease contract number", Type: "text"},
	{Name: "landlord_credit_code", Label: "Landlord's credit code", Type: "text", Hint: "18 characters"},
	{Name: "premises_address", Label: "Premises address", Type: "text"},
	{Name: "county", Label: "County code", Type: "text", Hint: "six-digit code, e.g. 540102"},
	{Name: "monthly_rent", Label: "Monthly rent (CNY)", Type: "text", Hint: "e.g. 3,000.00"},
	{Name: "lease_start", Label: "Lease start", Type: "date", Hint: "first day of the lease"},
	{Name: "lease_end", Label: "Lease end", Type: "date", Hint: "the day after the last day"},
}

// rentForm is the form page.
type rentForm struct {
	Programs     []program.Program // rent programs only
	ProgramID    string
	ProgramError string
	Inputs       []leaseInput
	FormKey      string // the filing's idempotency key: one per rendered form
	Problem      *problemView
	Preview      *rentPreview
}

// rentPreview is the dry run's answer, reduced to what a tenant asks: how many months of
// the lease fall in the program year, how many are waived, and what that is worth.
type rentPreview struct {
	Eligible                   bool
	MonthsInYear, MonthsWaived string
	Waiver, RuleVersion        string
	Reason, Text, Conflict     string
	AvailableBudget            string
	WouldWaitForBudget         bool
}

// rentPage shows the empty form, for the program of ?program= when given.
func (s *server) rentPage(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFile(w, r, sess) {
		return
	}
	chosen := r.URL.Query().Get("program")
	d, ok := s.rentFormFor(w, r, sess, chosen, nil)
	if !ok {
		return
	}
	d.FormKey = newFormKey()
	var fl *flash
	if chosen != "" && d.ProgramID == "" {
		fl = &flash{Kind: "error", Text: "Unknown rent-waiver program; choose one from the list."}
	}
	s.renderRentForm(w, r, sess, http.StatusOK, d, fl)
}

// rentSubmit previews or files the lease through the API.
func (s *server) rentSubmit(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayFile(w, r, sess) {
		return
	}
	lease := map[string]string{}
	for _, in := range leaseInputs {
		lease[in.Name] = r.PostFormValue(in.Name)
		if in.Name == "monthly_rent" {
			lease[in.Name] = i18n.Ungroup(lease[in.Name])
		}
	}
	d, ok := s.rentFormFor(w, r, sess, r.PostFormValue("program_id"), lease)
	if !ok {
		return
	}
	d.ProgramID = strings.TrimSpace(r.PostFormValue("program_id")) // as typed: the API judges it
	d.FormKey = r.PostFormValue("form_key")
	action := strings.TrimPrefix(r.PostFormValue("action"), "do_") // do_preview: no English word in a zh-CN page
	s.submitClaim(w, r, sess, action, claimFiling{
		What: "rent claim", Filed: "Claim filed; the landlord is asked to confirm the lease.",
		Body:    map[string]any{"program_id": d.ProgramID, "rent": map[string]any{"lease": lease}},
		FormKey: &d.FormKey,
		Render:  func(status int, fl *flash) { s.renderRentForm(w, r, sess, status, d, fl) },
		Preview: func(resp []byte) (err error) { d.Preview, err = rentPreviewOf(resp); return err },
		Refused: func(status int, resp []byte) { s.rentRefused(w, r, sess, d, status, resp) },
	})
}

// rentFormFor loads the rent programs and fills the inputs with values (nil: empty).
func (s *server) rentFormFor(w http.ResponseWriter, r *http.Request, sess session, chosen string, values map[string]string) (rentForm, bool) {
	progs, err := s.store.ListPrograms(r.Context())
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return rentForm{}, false
	}
	d := rentForm{Inputs: make([]leaseInput, len(leaseInputs))}
	for _, p := range progs {
		if p.Kind == program.Rent {
			d.Programs = append(d.Programs, p)
			if p.ID == chosen {
				d.ProgramID = p.ID
			}
		}
	}
	for i, in := range leaseInputs {
		in.Value = values[in.Name]
		d.Inputs[i] = in
	}
	return d, true
}

// rentRefused shows the API's problem document on the form: an error on rent.lease.X
// beside input X, one on program_id beside the chooser, the rest at the top.
func (s *server) rentRefused(w http.ResponseWriter, r *http.Request, sess session, d rentForm, status int, resp []byte) {
	doc, ok := decodeProblem(resp)
	if !ok {
		s.internal(w, r, sess, "read API answer", fmt.Errorf("status %d: %q", status, resp))
		return
	}
	if status >= 500 {
		s.log.WarnContext(r.Context(), "web: rent claim: API failed", "status", status, "detail", doc.Detail)
	}
	var rest []fieldMsg
	for _, e := range doc.Errors {
		if e.Field == "program_id" {
			d.ProgramError = e.Message
			continue
		}
		if name, found := strings.CutPrefix(e.Field, "rent.lease."); found && d.setError(name, e.Message) {
			continue
		}
		rest = append(rest, e)
	}
	doc.Errors = rest
	d.Problem = &doc
	s.renderRentForm(w, r, sess, status, d, nil)
}

// setError puts msg beside the named input; false when the form has no such input.
func (d *rentForm) setError(name, msg string) bool {
	for i := range d.Inputs {
		if d.Inputs[i].Name == name {
			d.Inputs[i].Error = msg
			return true
		}
	}
	return false
}

// rentPreviewOf reads the dry run. The months are the rent rules' calculation steps,
// found by their labels rather than by position, so a step added later cannot shift them.
func rentPreviewOf(resp []byte) (*rentPreview, error) {
	var dr struct {
		previewView
		Steps []struct {
			Label string `json:"label"`
			Value string `json:"value"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(resp, &dr); err != nil {
		return nil, err
	}
	pv := &rentPreview{Waiver: dr.Amount, RuleVersion: dr.RuleVersion, AvailableBudget: dr.AvailableBudget,
		WouldWaitForBudget: dr.WouldWaitForBudget, Eligible: dr.Reason == nil}
	for _, st := range dr.Steps {
		switch st.Label {
		case rent.StepMonthsInPeriod:
			pv.MonthsInYear = st.Value
		case rent.StepMonthsWaived:
			pv.MonthsWaived = st.Value
		}
	}
	if dr.Reason != nil {
		pv.Reason = *dr.Reason
	}
	if dr.Text != nil {
		pv.Text = *dr.Text
	}
	for _, l := range dr.Lines { // one lease, one line: it names the claim holding the lease
		pv.Eligible = pv.Eligible && l.Eligible
		if l.Conflict != nil {
			pv.Conflict = *l.Conflict
		}
	}
	return pv, nil
}

func (s *server) renderRentForm(w http.ResponseWriter, r *http.Request, sess session, status int, d rentForm, fl *flash) {
	v := view{Title: "Rent waiver claim", User: &sess.P, CSRF: sess.CSRF, Nav: "rent", Data: d, Flash: takeFlash(w, r)}
	if fl != nil {
		v.Flash = fl
	}
	s.render(w, r, status, "rentclaim", v)
}
