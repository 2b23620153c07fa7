package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/guarantee"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/rent"
	"github.com/subsidyflow/subsidyflow/voucher"
)

// The program page tells an applicant a program's rules in plain words before filing:
// what it pays, how much, up to what, where, when, and how much money is left.

// mountApplicant adds the applicant's own pages: a program's rules and the enterprise.
func (s *server) mountApplicant(mux *http.ServeMux) {
	mux.HandleFunc("GET /ui/programs/{id}", s.authed(s.programPage))
	mux.HandleFunc("GET /ui/enterprise", s.authed(s.enterprisePage))
	mux.HandleFunc("POST /ui/enterprise", s.authed(s.enterpriseSubmit))
	mux.HandleFunc("POST /ui/enterprise/bank-account", s.authed(s.bankAccountSubmit))
}

// rule is one line of a program's rules: an English label, and its value either shown as
// it is (figures, codes) or, with Words, as an English text to translate.
type rule struct {
	Label string
	Value string
	Words bool
	Codes []string // listed codes (landlords, banks), shown as they are
	Names []string // listed English words, each translated
}

type programPageData struct {
	Program program.Program
	Rules   []rule
	FileURL string // where an applicant files a claim under it; "" when not by a form
	Voucher bool
}

func (s *server) programPage(w http.ResponseWriter, r *http.Request, sess session) {
	p, err := s.store.GetProgram(r.Context(), r.PathValue("id"))
	if apperr.Is(err, apperr.NotFound) {
		s.errorPage(w, r, &sess, http.StatusNotFound, "No such program.")
		return
	}
	if err != nil {
		s.internal(w, r, sess, "get program", err)
		return
	}
	d := programPageData{Program: p, Rules: programRules(p)}
	switch {
	case p.Kind == program.Freight && sess.P.Role == access.Applicant:
		d.FileURL = "/ui/claims/new?program=" + p.ID
	case p.Kind == program.Rent && sess.P.Role == access.Applicant:
		d.FileURL = "/ui/rent/new?program=" + p.ID
	case p.Kind == program.Guarantee && sess.P.Role == access.Institution:
		d.FileURL = "/ui/guarantee/new?program=" + p.ID
	case p.Kind == program.Voucher && sess.P.Role == access.Applicant:
		d.Voucher = true
	}
	s.page(w, r, sess, http.StatusOK, "program", "programs", "Program rules", d)
}

// pct shows a share as a percentage: 0.50 → "50%", 0.005 → "0.5%".
func pct(d decimal.Decimal) string { return d.Mul(decimal.NewFromInt(100)).String() + "%" }

// programRules reads the program's parameters by its kind; parameters that cannot be read
// leave only the rules every program has.
func programRules(p program.Program) []rule {
	var out []rule
	add := func(label, value string) { out = append(out, rule{Label: label, Value: value}) }
	words := func(label, value string) { out = append(out, rule{Label: label, Value: value, Words: true}) }
	codes := func(label string, list []string) {
		if len(list) == 0 {
			words(label, "None listed yet")
			return
		}
		out = append(out, rule{Label: label, Codes: list})
	}
	switch p.Kind {
	case program.Freight:
		var x freight.Params
		if json.Unmarshal(p.Params, &x) == nil {
			add("Share of the freight paid back", pct(x.Rate))
			add("Most paid per enterprise in the program period (CNY)", i18n.Amount(x.YearlyCap))
			codes("Products that qualify", x.ProductCategories)
			if len(x.ExcludedModes) > 0 {
				var names []string
				for _, m := range x.ExcludedModes {
					names = append(names, label(modeLabels, m))
				}
				out = append(out, rule{Label: "Transport modes that do not qualify", Names: names})
			}
		}
	case program.Rent:
		var x rent.Params
		if json.Unmarshal(p.Params, &x) == nil {
			add("Months of rent waived", fmt.Sprint(x.NormalMonths))
			add("Months waived in a medium or high-risk county", fmt.Sprint(x.RiskMonths))
			add("Days the landlord has to confirm the lease", fmt.Sprint(x.ConfirmDays))
			codes("State-owned landlords (credit codes)", x.Landlords)
			codes("Medium or high-risk counties", x.RiskCounties)
		}
	case program.Voucher:
		var x voucher.Params
		if json.Unmarshal(p.Params, &x) == nil {
			add("Face value of a voucher (CNY)", i18n.Amount(x.FaceValue))
			add("Share of the invoice paid", pct(x.Rate))
			add("Days a voucher is valid", fmt.Sprint(x.ValidDays))
			add("Days to deliver the service after redemption", fmt.Sprint(x.DeliveryDays))
			if x.Payee == voucher.PayeeEnterprise {
				words("Who is paid", "The enterprise, which has paid the provider in full")
			} else {
				words("Who is paid", "The service provider; the enterprise pays only its share")
			}
			codes("Service providers (credit codes)", x.Providers)
		}
	case program.Guarantee:
		var x guarantee.Params
		if json.Unmarshal(p.Params, &x) == nil {
			add("Highest annual guarantee fee rate", pct(x.MaxFeeRate))
			add("Rebate per year of guarantee, as a share of the guaranteed amount", pct(x.SubsidyRate))
			add("Most paid per institution (CNY)", i18n.Amount(x.YearlyCap))
			codes("Guarantee institutions (credit codes)", x.Institutions)
		}
	case program.Interest:
		var x interest.Params
		if json.Unmarshal(p.Params, &x) == nil {
			add("Largest principal (CNY)", i18n.Amount(x.MaxPrincipal))
			add("Longest term (months)", fmt.Sprint(x.MaxTermMonths))
			add("Days after a settlement date to report", fmt.Sprint(x.ReportDays))
			codes("Lending banks (credit codes)", x.Lenders)
		}
	}
	return out
}
