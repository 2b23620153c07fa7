// Package reports turns the store's report figures into tabular.Tables, so the API's JSON
// sibling exports (CSV, XLSX) and the console's pages show the same rows.
package reports

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/tabular"
)

// Column headers are English codes-like words; the console translates them.
var claimColumns = []string{"Key", "Claims", "Requested", "Approved", "Paid"}

// ClaimsTables is the claims report as three tables (by status, region, size class), each
// ending with a total row.
func ClaimsTables(rep store.ClaimsReport) []tabular.Table {
	return []tabular.Table{
		claimTable("By status", "Status", rep.ByStatus, rep.Total),
		claimTable("By region", "Region", rep.ByRegion, rep.Total),
		claimTable("By size class", "Size class", rep.BySize, rep.Total),
	}
}

func claimTable(title, key string, groups []store.ClaimGroup, total store.ClaimGroup) tabular.Table {
	t := tabular.Table{Title: title, Columns: append([]string{key}, claimColumns[1:]...)}
	for _, g := range append(groups, total) {
		t.Rows = append(t.Rows, []tabular.Cell{tabular.Text(g.Key), tabular.Int(int64(g.Count)),
			tabular.Amount(g.Requested), tabular.Amount(g.Approved), tabular.Amount(g.Paid)})
	}
	return t
}

// BudgetTable is the budget report, one row a day.
func BudgetTable(days []store.BudgetDay) tabular.Table {
	t := tabular.Table{Title: "Budget by day", Columns: []string{"Day", "Budget", "Reserved", "Committed", "Available"}}
	for _, d := range days {
		t.Rows = append(t.Rows, []tabular.Cell{tabular.Text(d.Day), tabular.Amount(d.Budget),
			tabular.Amount(d.Reserved), tabular.Amount(d.Committed), tabular.Amount(d.Available)})
	}
	return t
}

// TimingTable is the timing report: one row per measured step.
func TimingTable(rep store.TimingReport) tabular.Table {
	t := tabular.Table{Title: "Timing", Columns: []string{"Step", "Claims", "Median hours", "P90 hours"}}
	row := func(step string, d store.Durations) []tabular.Cell {
		return []tabular.Cell{tabular.Text(step), tabular.Int(int64(d.Count)), tabular.Text(Hours(d.Median)), tabular.Text(Hours(d.P90))}
	}
	t.Rows = [][]tabular.Cell{row("Filing to approval", rep.Approval), row("Filing to payment", rep.Payment)}
	return t
}

// Hours writes a duration as hours with two decimals.
func Hours(d time.Duration) string { return fmt.Sprintf("%.2f", d.Hours()) }

// WriteCSV writes tables one after another, a blank line between them, with one BOM at the
// start of the file (tabular.WriteCSV writes one per table).
func WriteCSV(w io.Writer, tables ...tabular.Table) error {
	var buf bytes.Buffer
	for i, t := range tables {
		var part bytes.Buffer
		if err := tabular.WriteCSV(&part, t); err != nil {
			return err
		}
		b := part.Bytes()
		if i > 0 {
			buf.WriteString("\r\n")
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		buf.Write(b)
	}
	_, err := buf.WriteTo(w)
	return err
}
