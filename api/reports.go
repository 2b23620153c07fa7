package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/reports"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/tabular"
)

// reportStore is the part of *store.Store the reports read. It is not in dataStore so the
// unit tests' fake store need not grow; without it the reports answer 503.
type reportStore interface {
	ClaimsReport(ctx context.Context, f store.ReportFilter) (store.ClaimsReport, error)
	BudgetReport(ctx context.Context, programID string) ([]store.BudgetDay, error)
	TimingReport(ctx context.Context, f store.ReportFilter) (store.TimingReport, error)
}

// reportQuery is a report request's parameters, checked.
type reportQuery struct {
	filter store.ReportFilter
	format string // json, csv or xlsx
}

// reportParams reads program_id, format and (when dated) from and to: Beijing calendar days,
// both included. Unknown or repeated parameters and bad values are field errors.
func (s *server) reportParams(r *http.Request, dated bool) (reportStore, reportQuery, error) {
	if err := requireRole(principalFrom(r.Context()), "read reports", bankReaders...); err != nil {
		return nil, reportQuery{}, err
	}
	q := r.URL.Query()
	errs := map[string]string{}
	known := map[string]bool{"program_id": true, "format": true, "from": dated, "to": dated}
	for name, vs := range q {
		switch {
		case !known[name]:
			errs[name] = "is not a known query parameter"
		case len(vs) > 1:
			errs[name] = "must be given at most once"
		}
	}
	var rq reportQuery
	rq.format = q.Get("format")
	switch rq.format {
	case "":
		rq.format = "json"
	case "json", "csv", "xlsx":
	default:
		errs["format"] = "must be one of json, csv, xlsx"
	}
	rq.filter.ProgramID = q.Get("program_id")
	for _, name := range []string{"from", "to"} {
		v := q.Get(name)
		if v == "" || !dated || errs[name] != "" {
			continue
		}
		d, err := parseDate(v)
		if err != nil {
			errs[name] = err.Error()
			continue
		}
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, i18n.Beijing)
		if name == "from" {
			rq.filter.From = day
		} else {
			rq.filter.To = day.AddDate(0, 0, 1)
		}
	}
	if !rq.filter.From.IsZero() && !rq.filter.To.IsZero() && !rq.filter.To.After(rq.filter.From) && errs["to"] == "" {
		errs["to"] = "must not be before from"
	}
	if err := invalid(errs); err != nil {
		return nil, rq, err
	}
	if rq.filter.ProgramID != "" {
		if _, err := s.store.GetProgram(r.Context(), rq.filter.ProgramID); err != nil {
			if apperr.CodeOf(err) == apperr.NotFound {
				return nil, rq, apperr.InvalidFields(map[string]string{"program_id": "is not a known program"})
			}
			return nil, rq, err
		}
	}
	rs, ok := s.store.(reportStore)
	if !ok {
		return nil, rq, apperr.New(apperr.Unavailable, "reports not available")
	}
	return rs, rq, nil
}

// writeTables answers with the report's export when one was asked for; false: answer JSON.
func writeTables(w http.ResponseWriter, format, name string, tables ...tabular.Table) (bool, error) {
	var buf bytes.Buffer
	switch format {
	case "csv":
		if err := reports.WriteCSV(&buf, tables...); err != nil {
			return true, err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case "xlsx":
		if err := tabular.WriteXLSX(&buf, tables...); err != nil {
			return true, err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		return false, nil
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return true, err
}

type claimGroupView struct {
	Key       string `json:"key"`
	Count     int    `json:"count"`
	Requested string `json:"requested"`
	Approved  string `json:"approved"`
	Paid      string `json:"paid"`
}

func groupViews(gs []store.ClaimGroup) []claimGroupView {
	out := make([]claimGroupView, len(gs))
	for i, g := range gs {
		out[i] = groupView(g)
	}
	return out
}

func groupView(g store.ClaimGroup) claimGroupView {
	return claimGroupView{Key: g.Key, Count: g.Count, Requested: money.Format(g.Requested),
		Approved: money.Format(g.Approved), Paid: money.Format(g.Paid)}
}

// claimsReport counts and sums claims by status, region and size class.
func (s *server) claimsReport(w http.ResponseWriter, r *http.Request) error {
	rs, q, err := s.reportParams(r, true)
	if err != nil {
		return err
	}
	rep, err := rs.ClaimsReport(r.Context(), q.filter)
	if err != nil {
		return err
	}
	if done, err := writeTables(w, q.format, "claims-report", reports.ClaimsTables(rep)...); done {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"program_id": q.filter.ProgramID, "from": r.URL.Query().Get("from"), "to": r.URL.Query().Get("to"),
		"by_status": groupViews(rep.ByStatus), "by_region": groupViews(rep.ByRegion),
		"by_size_class": groupViews(rep.BySize), "total": groupView(rep.Total)})
}

type budgetDayView struct {
	Day       string `json:"day"`
	Budget    string `json:"budget"`
	Reserved  string `json:"reserved"`
	Committed string `json:"committed"`
	Available string `json:"available"`
}

// budgetReport is a program's ledger balances at the end of each day money moved.
func (s *server) budgetReport(w http.ResponseWriter, r *http.Request) error {
	rs, q, err := s.reportParams(r, false)
	if err != nil {
		return err
	}
	days, err := rs.BudgetReport(r.Context(), q.filter.ProgramID)
	if err != nil {
		return err
	}
	if done, err := writeTables(w, q.format, "budget-report", reports.BudgetTable(days)); done {
		return err
	}
	views := make([]budgetDayView, len(days))
	for i, d := range days {
		views[i] = budgetDayView{Day: d.Day, Budget: money.Format(d.Budget), Reserved: money.Format(d.Reserved),
			Committed: money.Format(d.Committed), Available: money.Format(d.Available)}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"program_id": q.filter.ProgramID, "days": views})
}

type durationsView struct {
	Count         int     `json:"count"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

func durationsOf(d store.Durations) durationsView {
	return durationsView{Count: d.Count, MedianSeconds: d.Median.Seconds(), P90Seconds: d.P90.Seconds()}
}

// timingReport is how long claims took from filing to approval and to payment.
func (s *server) timingReport(w http.ResponseWriter, r *http.Request) error {
	rs, q, err := s.reportParams(r, true)
	if err != nil {
		return err
	}
	rep, err := rs.TimingReport(r.Context(), q.filter)
	if err != nil {
		return err
	}
	if done, err := writeTables(w, q.format, "timing-report", reports.TimingTable(rep)); done {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"program_id": q.filter.ProgramID,
		"approval": durationsOf(rep.Approval), "payment": durationsOf(rep.Payment)})
}
