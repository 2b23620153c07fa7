package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/pii"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// /ui/enterprise: an applicant registers the enterprise its token acts for (POST
// /v1/enterprises, in-process; the API computes the size class) and changes the bank
// account it is paid to (PUT /v1/enterprises/{code}/bank-account). The page explains the
// size class with the standard's thresholds for the enterprise's industry.

// enterpriseFields are the registration's inputs, named as the API's JSON (the bank
// account's without its "bank_account." prefix).
var enterpriseFields = []string{"name", "industry", "employees", "revenue", "assets", "region",
	"bank_name", "account_name", "account_number"}

var bankFields = []string{"bank_name", "account_name", "account_number"}

// industryLabels are the English names of the industries of the standard.
var industryLabels = map[string]string{
	"agriculture": "Agriculture, forestry, animal husbandry, fishery", "industry": "Industry (mining, manufacturing, utilities)",
	"construction": "Construction", "wholesale": "Wholesale", "retail": "Retail", "transport": "Transport",
	"warehousing": "Warehousing", "postal": "Postal services", "accommodation": "Accommodation", "catering": "Catering",
	"information_transmission": "Information transmission", "software_it": "Software and IT services",
	"real_estate": "Real estate development", "property_management": "Property management",
	"leasing_business": "Leasing and business services", "other": "Other industries",
}

// measureLabels name the figures of the standard, with their units.
var measureLabels = map[string]string{
	"employees": "Employees (persons)", "revenue": "Operating revenue (10k CNY)", "assets": "Total assets (10k CNY)",
}

func init() {
	funcs["industryLabel"] = func(s string) string { return label(industryLabels, s) }
	funcs["measureLabel"] = func(s string) string { return label(measureLabels, s) }
	funcs["sizeLabel"] = func(s string) string { return label(sizeLabels, s) }
	funcs["mask"] = pii.Mask
}

// sizeLabels (the English names of the size classes) are declared in reports.go, which also
// names the group of individual businesses that have none.

type enterpriseData struct {
	CreditCode string
	Registered bool
	Enterprise enterprise.Enterprise
	Why        *sizeWhy
	Industries []string
	Values     map[string]string // what was typed
	Errors     map[string]string // the API's field errors, by input name
	BankValues map[string]string
	BankErrors map[string]string
	Problem    *problemView
	Individual bool // an individual business: no size class
}

// sizeWhy explains a size class: the industry's row of the standard, whether the
// enterprise's figures reach each threshold, and the conclusion.
type sizeWhy struct {
	Tiers      []sizeTier
	Conclusion string // English, translated when shown
	Rule       string
}

type sizeTier struct {
	Name  string // English: "Ceiling (large at or above all)" …
	Tests []sizeTest
}

type sizeTest struct {
	Measure string
	Limit   string
	Figure  string
	Reached bool
}

func (s *server) mayRegister(w http.ResponseWriter, r *http.Request, sess session) bool {
	if sess.P.Role == access.Applicant && sess.P.CreditCode != "" {
		return true
	}
	s.errorPage(w, r, &sess, http.StatusForbidden, "Only applicant enterprises register here.")
	return false
}

func (s *server) enterprisePage(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayRegister(w, r, sess) {
		return
	}
	d, ok := s.enterpriseData(w, r, sess)
	if !ok {
		return
	}
	s.renderEnterprise(w, r, sess, http.StatusOK, d)
}

func (s *server) enterpriseData(w http.ResponseWriter, r *http.Request, sess session) (enterpriseData, bool) {
	d := enterpriseData{CreditCode: sess.P.CreditCode, Values: map[string]string{}, Errors: map[string]string{},
		BankValues: map[string]string{}, BankErrors: map[string]string{},
		Individual: creditcode.EntityTypeOf(sess.P.CreditCode) == creditcode.IndividualBusiness}
	for _, ind := range sizeclass.Industries {
		d.Industries = append(d.Industries, string(ind))
	}
	e, err := s.store.GetEnterprise(r.Context(), sess.P.CreditCode)
	switch {
	case apperr.Is(err, apperr.NotFound):
	case err != nil:
		s.internal(w, r, sess, "get enterprise", err)
		return d, false
	default:
		d.Registered, d.Enterprise = true, e
		d.Why = explainSize(e)
		d.BankValues["bank_name"] = e.Bank.BankName
		d.BankValues["account_name"] = e.Bank.AccountName
	}
	return d, true
}

func (s *server) renderEnterprise(w http.ResponseWriter, r *http.Request, sess session, status int, d enterpriseData) {
	title := "Register my enterprise"
	if d.Registered {
		title = "My enterprise"
	}
	s.page(w, r, sess, status, "enterprise", "enterprise", title, d)
}

// enterpriseSubmit registers the enterprise through the API.
func (s *server) enterpriseSubmit(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayRegister(w, r, sess) {
		return
	}
	d, ok := s.enterpriseData(w, r, sess)
	if !ok {
		return
	}
	if d.Registered {
		setFlash(w, "error", "The enterprise is already registered.")
		http.Redirect(w, r, "/ui/enterprise", http.StatusSeeOther)
		return
	}
	for _, f := range enterpriseFields {
		d.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	body := map[string]any{"credit_code": sess.P.CreditCode, "name": d.Values["name"], "industry": d.Values["industry"],
		"revenue": i18n.Ungroup(d.Values["revenue"]), "assets": i18n.Ungroup(d.Values["assets"]), "region": d.Values["region"],
		"bank_account": map[string]string{"bank_name": d.Values["bank_name"], "account_name": d.Values["account_name"],
			"account_number": d.Values["account_number"]}}
	if n, err := strconv.Atoi(strings.ReplaceAll(d.Values["employees"], ",", "")); err == nil {
		body["employees"] = n
	} else if d.Values["employees"] != "" {
		d.Errors["employees"] = "must be a whole number"
		s.renderEnterprise(w, r, sess, http.StatusUnprocessableEntity, d)
		return
	}
	raw, err := json.Marshal(body)
	if err != nil {
		s.internal(w, r, sess, "encode enterprise", err)
		return
	}
	status, resp := s.callAPI(r, sess, "/v1/enterprises", "web-enterprise-"+newFormKey(), raw)
	if status == http.StatusCreated {
		setFlash(w, "ok", "Enterprise registered.")
		http.Redirect(w, r, "/ui/enterprise", http.StatusSeeOther)
		return
	}
	s.formRefused(w, r, sess, status, resp, d.Errors, &d.Problem, func() { s.renderEnterprise(w, r, sess, status, d) })
}

// bankAccountSubmit changes the account through the API.
func (s *server) bankAccountSubmit(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.mayRegister(w, r, sess) {
		return
	}
	d, ok := s.enterpriseData(w, r, sess)
	if !ok {
		return
	}
	if !d.Registered {
		http.Redirect(w, r, "/ui/enterprise", http.StatusSeeOther)
		return
	}
	body := map[string]string{}
	for _, f := range bankFields {
		d.BankValues[f] = strings.TrimSpace(r.PostFormValue(f))
		body[f] = d.BankValues[f]
	}
	raw, err := json.Marshal(body)
	if err != nil {
		s.internal(w, r, sess, "encode bank account", err)
		return
	}
	status, resp := s.callAPIMethod(r, sess, http.MethodPut, "/v1/enterprises/"+sess.P.CreditCode+"/bank-account", "", raw)
	if status == http.StatusOK {
		setFlash(w, "ok", "Bank account changed; payments from now on go to the new account.")
		http.Redirect(w, r, "/ui/enterprise", http.StatusSeeOther)
		return
	}
	s.formRefused(w, r, sess, status, resp, d.BankErrors, &d.Problem, func() { s.renderEnterprise(w, r, sess, status, d) })
}

// formRefused puts the API's field errors beside the inputs of the same name (a bank
// account's fields without their "bank_account." prefix) and the rest at the top.
func (s *server) formRefused(w http.ResponseWriter, r *http.Request, sess session, status int, resp []byte,
	errs map[string]string, problem **problemView, render func()) {
	doc, ok := decodeProblem(resp)
	if !ok {
		s.internal(w, r, sess, "read API answer", fmt.Errorf("status %d: %q", status, resp))
		return
	}
	var rest []fieldMsg
	for _, e := range doc.Errors {
		name := strings.TrimPrefix(e.Field, "bank_account.")
		if isField(name) {
			errs[name] = e.Message
			continue
		}
		rest = append(rest, e)
	}
	doc.Errors = rest
	*problem = &doc
	render()
}

func isField(name string) bool {
	for _, f := range enterpriseFields {
		if f == name {
			return true
		}
	}
	return false
}

// explainSize lays the enterprise's figures against its industry's row of the standard.
func explainSize(e enterprise.Enterprise) *sizeWhy {
	row, ok := sizeclass.RowOf(e.Industry)
	if !ok || e.SizeClass == "" {
		return nil
	}
	figure := func(m string) decimal.Decimal {
		switch m {
		case "employees":
			return decimal.NewFromInt(int64(e.Employees))
		case "revenue":
			return e.Revenue
		}
		return e.Assets
	}
	tier := func(name string, ts []sizeclass.Threshold) (sizeTier, bool, bool) {
		t := sizeTier{Name: name}
		all, below := true, false
		for _, th := range ts {
			f := figure(th.Measure)
			reached := f.GreaterThanOrEqual(th.Limit)
			all, below = all && reached, below || !reached
			t.Tests = append(t.Tests, sizeTest{Measure: th.Measure, Limit: i18n.Group(th.Limit.String()),
				Figure: i18n.Group(f.String()), Reached: reached})
		}
		return t, all, below
	}
	ceiling, _, belowAny := tier("Large unless below at least one of", row.Ceiling)
	medium, reachesMedium, _ := tier("Medium when at or above all of", row.Medium)
	small, reachesSmall, _ := tier("Small when at or above all of", row.Small)
	w := &sizeWhy{Tiers: []sizeTier{ceiling, medium, small}, Rule: e.SizeRule}
	switch {
	case !belowAny:
		w.Conclusion = "At or above every ceiling of its industry, so large."
	case reachesMedium:
		w.Conclusion = "Below a ceiling and at or above every medium threshold, so medium."
	case reachesSmall:
		w.Conclusion = "Below a ceiling, at or above every small threshold but not every medium one, so small."
	default:
		w.Conclusion = "Below a ceiling and below a small threshold, so micro."
	}
	return w
}

// enterpriseInput is one labelled input of the enterprise page, for the template "einput".
type enterpriseInput struct {
	Name, Label    string
	Values, Errors map[string]string
}

func init() {
	funcs["einput"] = func(name, label string, values, errs map[string]string) enterpriseInput {
		return enterpriseInput{name, label, values, errs}
	}
}
