package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/i18n"
)

// Many-line freight claims: rows added one at a time (a submit button that re-renders the
// form with one more row, or web/static/lines.js), rows pasted from a spreadsheet, and a
// CSV file of shipments. Pasted and uploaded lines join the typed rows; the API judges
// them all together, so one bad line files nothing.

// maxRows bounds the rows one form shows; a claim with more lines is a CSV for the API.
const maxRows = 500

func init() {
	funcs["modeLabel"] = func(m string) string { return label(modeLabels, m) }
	funcs["fieldLabel"] = func(f string) string { return label(shipmentFieldLabels, f) }
	funcs["amountText"] = amountText
}

// modeLabels are the English names of the transport modes; the Chinese are in the catalog.
var modeLabels = map[string]string{
	freight.Road: "Road", freight.Rail: "Rail", freight.Air: "Air", freight.Multimodal: "Multimodal",
}

// shipmentFieldLabels name a shipment's fields for people (and for screen readers).
var shipmentFieldLabels = map[string]string{
	"carrier": "Carrier", "waybill_no": "Waybill", "ship_date": "Ship date", "origin_region": "Origin",
	"destination_region": "Destination", "product_category": "Product", "mode": "Mode",
	"amount": "Freight paid", "invoice_no": "Invoice",
}

// amountText shows an amount the API sent as a decimal string with thousands separators;
// anything else is shown as it came.
func amountText(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return i18n.Amount(d)
}

// rowCount is how many rows the submitted form had (its hidden "rows"), at least formRows.
func rowCount(r *http.Request) int {
	n, err := strconv.Atoi(r.PostFormValue("rows"))
	if err != nil || n < formRows {
		return formRows
	}
	return min(n, maxRows)
}

// lineError is a pasted or uploaded line that cannot be read; Line counts from 1.
type lineError struct {
	Source string // "Pasted rows" or "CSV file"
	Line   int
	Msg    string
}

func (e lineError) Error() string { return fmt.Sprintf("%s, line %d: %s", e.Source, e.Line, e.Msg) }

// importedLine is one pasted or uploaded shipment and where it came from.
type importedLine struct {
	Values map[string]string
	Origin string // "CSV file, line 3", translated when shown
}

// importedLines reads the pasted rows and the uploaded CSV file as shipments, each a map of
// the API's field names. Problems are named by source and line (from 1).
func importedLines(r *http.Request) ([]importedLine, []lineError) {
	var out []importedLine
	var errs []lineError
	if paste := r.PostFormValue("paste"); strings.TrimSpace(paste) != "" {
		lines, e := parseShipments("Pasted rows", paste)
		out, errs = append(out, lines...), append(errs, e...)
	}
	if f, _, err := r.FormFile("csv"); err == nil {
		b, err := io.ReadAll(f)
		_ = f.Close()
		if err != nil {
			errs = append(errs, lineError{"CSV file", 0, "could not be read"})
		} else if len(bytes.TrimSpace(b)) > 0 {
			lines, e := parseShipments("CSV file", string(b))
			out, errs = append(out, lines...), append(errs, e...)
		}
	}
	return out, errs
}

// parseShipments reads text with one shipment a line in shipmentFields' order, cells
// separated by tabs (a spreadsheet's copy) or commas (CSV, quotes allowed). A first line
// naming the columns and empty lines are skipped; amounts lose their thousands separators.
func parseShipments(source, text string) ([]importedLine, []lineError) {
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	sep := ','
	if first, _, _ := strings.Cut(text, "\n"); strings.Contains(first, "\t") {
		sep = '\t'
	}
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma = sep
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = sep == '\t'
	rd.TrimLeadingSpace = true
	var out []importedLine
	var errs []lineError
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, lineError{source, line, "is not valid CSV"})
			continue
		}
		if blankRecord(rec) {
			continue
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), shipmentFields[0]) {
			continue // the header
		}
		if !validRecord(rec) {
			// Passed on as JSON, invalid bytes would become U+FFFD and be stored so.
			errs = append(errs, lineError{source, line, "is not valid UTF-8 text"})
			continue
		}
		if len(rec) != len(shipmentFields) {
			errs = append(errs, lineError{source, line, fmt.Sprintf("has %d cells, not %d", len(rec), len(shipmentFields))})
			continue
		}
		s := make(map[string]string, len(shipmentFields))
		for i, f := range shipmentFields {
			s[f] = strings.TrimSpace(rec[i])
		}
		out = append(out, importedLine{Values: s, Origin: fmt.Sprintf("%s, line %d", source, line)})
	}
	return out, errs
}

func validRecord(rec []string) bool {
	for _, c := range rec {
		if !utf8.ValidString(c) {
			return false
		}
	}
	return true
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func init() {
	funcs["contractLabel"] = func(f string) string { return label(contractFieldLabels, f) }
}

// contractFieldLabels name a guarantee contract's fields for people.
var contractFieldLabels = map[string]string{
	"contract_no": "Contract number", "borrower_credit_code": "Borrower's credit code",
	"guaranteed_amount": "Guaranteed amount", "fee_rate": "Fee rate", "fee_paid": "Fee paid",
	"start_date": "Start date", "end_date": "End date",
}
