package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/i18n"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/region"
	"github.com/subsidyflow/subsidyflow/reports"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/tabular"
)

// reportRow is one group of the claims report with its key as people read it: Label is
// English to translate (status, size class), or text shown as it is (Raw, a region name).
type reportRow struct {
	Label string
	Raw   string
	store.ClaimGroup
}

type reportsData struct {
	Programs  []program.Program
	ProgramID string
	From, To  string // the filing days asked for, both included (YYYY-MM-DD, Beijing)
	Query     string // program_id=…&from=…&to=… for the export links
	ByStatus  []reportRow
	ByRegion  []reportRow
	BySize    []reportRow
	Total     store.ClaimGroup
	Days      []store.BudgetDay
	Timing    store.TimingReport
	StatusSVG template.HTML
	RegionSVG template.HTML
	BudgetSVG template.HTML
}

func mayReadReports(r access.Role) bool {
	return r.IsFinance() || r == access.Auditor || r == access.Admin
}

// sizeLabels are the English names of the size classes.
var sizeLabels = map[string]string{"large": "Large", "medium": "Medium", "small": "Small", "micro": "Micro",
	store.NoSizeClass: "No size class (individual business)"}

// reportsPage shows one program's (or all programs') claims by status, region and size
// class, its budget by day and its timing, with charts and export links.
func (s *server) reportsPage(w http.ResponseWriter, r *http.Request, sess session) {
	if !mayReadReports(sess.P.Role) {
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only finance, auditors and administrators may read reports.")
		return
	}
	ctx := r.Context()
	progs, err := s.store.ListPrograms(ctx)
	if err != nil {
		s.internal(w, r, sess, "list programs", err)
		return
	}
	d := reportsData{Programs: progs, ProgramID: r.URL.Query().Get("program_id")}
	if d.ProgramID != "" {
		if _, err := s.store.GetProgram(ctx, d.ProgramID); err != nil {
			s.errorPage(w, r, &sess, http.StatusNotFound, "No such program.")
			return
		}
	}
	f, ok := reportFilter(r)
	if !ok {
		s.errorPage(w, r, &sess, http.StatusBadRequest, "Dates must look like 2024-03-01.")
		return
	}
	d.From, d.To = r.URL.Query().Get("from"), r.URL.Query().Get("to")
	d.Query = url.Values{"program_id": {d.ProgramID}, "from": {d.From}, "to": {d.To}}.Encode()
	rep, err := s.store.ClaimsReport(ctx, f)
	if err != nil {
		s.internal(w, r, sess, "claims report", err)
		return
	}
	if d.Days, err = s.store.BudgetReport(ctx, d.ProgramID); err != nil {
		s.internal(w, r, sess, "budget report", err)
		return
	}
	if d.Timing, err = s.store.TimingReport(ctx, f); err != nil {
		s.internal(w, r, sess, "timing report", err)
		return
	}
	d.Total = rep.Total
	for _, g := range rep.ByStatus {
		d.ByStatus = append(d.ByStatus, reportRow{Label: label(statusLabels, claim.Status(g.Key)), ClaimGroup: g})
	}
	for _, g := range rep.ByRegion {
		d.ByRegion = append(d.ByRegion, reportRow{Raw: region.Label(g.Key), ClaimGroup: g})
	}
	for _, g := range rep.BySize {
		l, ok := sizeLabels[g.Key]
		if !ok {
			l = g.Key
		}
		d.BySize = append(d.BySize, reportRow{Label: l, ClaimGroup: g})
	}
	l := i18n.FromRequest(r)
	bars := func(rows []reportRow, amount func(store.ClaimGroup) decimal.Decimal) []bar {
		out := make([]bar, len(rows))
		for i, row := range rows {
			name := row.Raw
			if name == "" {
				name = l.T(row.Label)
			}
			out[i] = bar{Label: name, Value: amount(row.ClaimGroup)}
		}
		return out
	}
	d.StatusSVG = barChart(l.T("Requested amount by status"), bars(d.ByStatus, func(g store.ClaimGroup) decimal.Decimal { return g.Requested }))
	d.RegionSVG = barChart(l.T("Paid amount by region"), bars(d.ByRegion, func(g store.ClaimGroup) decimal.Decimal { return g.Paid }))
	d.BudgetSVG = budgetChart(l, d.Days)
	s.page(w, r, sess, http.StatusOK, "reports", "reports", "Reports", d)
}

// reportExport downloads a report as CSV or XLSX, from the same tables as the API's export.
func (s *server) reportExport(w http.ResponseWriter, r *http.Request, sess session) {
	if !mayReadReports(sess.P.Role) {
		s.errorPage(w, r, &sess, http.StatusForbidden, "Only finance, auditors and administrators may read reports.")
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	programID, format := q.Get("program_id"), q.Get("format")
	if format != "csv" && format != "xlsx" {
		s.errorPage(w, r, &sess, http.StatusBadRequest, "Choose CSV or XLSX.")
		return
	}
	if programID != "" {
		if _, err := s.store.GetProgram(ctx, programID); err != nil {
			s.errorPage(w, r, &sess, http.StatusNotFound, "No such program.")
			return
		}
	}
	f, ok := reportFilter(r)
	if !ok {
		s.errorPage(w, r, &sess, http.StatusBadRequest, "Dates must look like 2024-03-01.")
		return
	}
	var tables []tabular.Table
	name := q.Get("report")
	switch name {
	case "claims":
		rep, err := s.store.ClaimsReport(ctx, f)
		if err != nil {
			s.internal(w, r, sess, "claims report", err)
			return
		}
		tables = reports.ClaimsTables(rep)
	case "budget":
		days, err := s.store.BudgetReport(ctx, programID)
		if err != nil {
			s.internal(w, r, sess, "budget report", err)
			return
		}
		tables = []tabular.Table{reports.BudgetTable(days)}
	case "timing":
		rep, err := s.store.TimingReport(ctx, f)
		if err != nil {
			s.internal(w, r, sess, "timing report", err)
			return
		}
		tables = []tabular.Table{reports.TimingTable(rep)}
	default:
		s.errorPage(w, r, &sess, http.StatusNotFound, "No such report.")
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-report.%s"`, name, format))
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_ = reports.WriteCSV(w, tables...)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	_ = tabular.WriteXLSX(w, tables...)
}

// bar is one bar of a bar chart.
type bar struct {
	Label string
	Value decimal.Decimal
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// barChart draws horizontal bars as SVG; the total of the values is in data-total and in the
// chart's <title>, so a test (or a screen reader) can check it.
func barChart(title string, bars []bar) template.HTML {
	const width, rowH, labelW, barW = 640, 26, 220, 300
	total, max := decimal.Zero, decimal.Zero
	for _, b := range bars {
		total = total.Add(b.Value)
		if b.Value.GreaterThan(max) {
			max = b.Value
		}
	}
	h := rowH*len(bars) + 10
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" data-total="%s"><title>%s: %s</title>`,
		width, h, width, h, total.StringFixed(2), esc(title), i18n.Amount(total))
	for i, b := range bars {
		y := 5 + i*rowH
		w := 0.0
		if max.IsPositive() {
			w, _ = b.Value.Div(max).Mul(decimal.NewFromInt(barW)).Float64()
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" translate="no">%s</text>`, labelW-6, y+17, esc(b.Label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%.1f" height="%d" class="bar" data-value="%s"></rect>`, labelW, y+3, w, rowH-8, b.Value.StringFixed(2))
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d">%s</text>`, float64(labelW)+w+6, y+17, i18n.Amount(b.Value))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // #nosec G203 -- every text is escaped above
}

// budgetChart draws reserved, committed and available by day as lines; data-total is the
// last day's committed balance.
func budgetChart(l i18n.Lang, days []store.BudgetDay) template.HTML {
	const width, height, left, top, plotW, plotH = 640, 240, 90, 20, 520, 170
	if len(days) == 0 {
		return ""
	}
	max := decimal.Zero
	for _, d := range days {
		max = decimal.Max(max, d.Budget, d.Reserved, d.Committed, d.Available)
	}
	x := func(i int) float64 {
		if len(days) == 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(len(days)-1)
	}
	y := func(v decimal.Decimal) float64 {
		if !max.IsPositive() {
			return top + plotH
		}
		f, _ := v.Div(max).Float64()
		return top + plotH - f*plotH
	}
	last := days[len(days)-1]
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" data-total="%s"><title>%s: %s</title>`,
		width, height, width, height, last.Committed.StringFixed(2), esc(l.T("Budget use by day")), i18n.Amount(last.Committed))
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"></line>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-6, top+6, i18n.Amount(max))
	fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end">0</text>`, left-6, top+plotH)
	series := []struct {
		name, class string
		v           func(store.BudgetDay) decimal.Decimal
	}{
		{"Reserved", "s-reserved", func(d store.BudgetDay) decimal.Decimal { return d.Reserved }},
		{"Committed", "s-committed", func(d store.BudgetDay) decimal.Decimal { return d.Committed }},
		{"Available", "s-available", func(d store.BudgetDay) decimal.Decimal { return d.Available }},
	}
	for k, s := range series {
		var pts []string
		for i, d := range days {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(s.v(d))))
		}
		fmt.Fprintf(&sb, `<polyline points="%s" class="line %s"></polyline>`, strings.Join(pts, " "), s.class)
		for i, d := range days {
			fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="3" class="%s"></circle>`, x(i), y(s.v(d)), s.class)
		}
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="12" height="12" class="%s"></rect><text x="%d" y="%d">%s</text>`,
			left+k*150, height-16, s.class, left+k*150+16, height-6, esc(l.T(s.name)))
	}
	fmt.Fprintf(&sb, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
		left, top+plotH+16, days[0].Day, left+plotW, top+plotH+16, last.Day)
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // #nosec G203 -- every text is escaped above
}

// groupsTable is what the "reportgroups" template draws: one grouping of the claims report.
type groupsTable struct {
	Head  string
	Rows  []reportRow
	Total store.ClaimGroup
}

func init() {
	funcs["groups"] = func(head string, rows []reportRow, total store.ClaimGroup) groupsTable {
		return groupsTable{Head: head, Rows: rows, Total: total}
	}
	funcs["hours"] = func(d time.Duration) string { return reports.Hours(d) }
}

// reportFilter reads program_id and the filing days from and to (Beijing, both included,
// either may be empty); false when a day is not a date.
func reportFilter(r *http.Request) (store.ReportFilter, bool) {
	q := r.URL.Query()
	f := store.ReportFilter{ProgramID: q.Get("program_id")}
	for _, name := range []string{"from", "to"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, v, i18n.Beijing)
		if err != nil {
			return f, false
		}
		if name == "from" {
			f.From = day
		} else {
			f.To = day.AddDate(0, 0, 1)
		}
	}
	return f, true
}
