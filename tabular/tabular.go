// Package tabular writes a table of a report or a list as CSV or XLSX, the two forms a
// finance bureau opens in its spreadsheets. Both are written from one Table, so an export can
// never show other numbers than the page and the API that built the same Table.
package tabular

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Table is a titled grid with a header row.
type Table struct {
	Title   string // the sheet's name in XLSX (at most 31 characters are kept)
	Columns []string
	Rows    [][]Cell
}

// Cell is one value: text, a whole number or an amount. Amounts stay decimal: CSV writes
// their exact digits, XLSX a number formatted with two decimals and thousands separators.
type Cell struct {
	Text   string
	Int    *int64
	Amount *decimal.Decimal
}

// Text, Int and Amount make cells.
func Text(s string) Cell { return Cell{Text: s} }

// Int is a whole-number cell.
func Int(n int64) Cell { return Cell{Int: &n} }

// Amount is a money cell.
func Amount(d decimal.Decimal) Cell { return Cell{Amount: &d} }

// String is the cell as CSV writes it.
func (c Cell) String() string {
	switch {
	case c.Amount != nil:
		return c.Amount.StringFixed(2)
	case c.Int != nil:
		return fmt.Sprint(*c.Int)
	}
	return c.Text
}

// WriteCSV writes the table as UTF-8 CSV with a byte-order mark, which is what makes
// Excel on a Chinese Windows read the Chinese headers as Chinese.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = safeText(c.String())
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeText keeps a text cell from being read as a formula by a spreadsheet (CSV injection):
// a leading =, +, - or @ gets a quote in front. Amounts are written by String and are never
// text, so a negative amount keeps its sign.
func safeText(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '@' || (s[0] == '-' && !isNumber(s))) {
		return "'" + s
	}
	return s
}

func isNumber(s string) bool {
	_, err := decimal.NewFromString(s)
	return err == nil
}

// WriteXLSX writes the tables as one workbook, a sheet each, with typed cells.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	amountStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := sheetName(t.Title, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for c, h := range t.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			if err := f.SetCellStr(name, cell, h); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, cell, headStyle); err != nil {
				return err
			}
		}
		for r, row := range t.Rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				switch {
				case v.Amount != nil:
					fl, _ := v.Amount.Float64() // the cell's value; its exact digits are in the CSV
					err = f.SetCellFloat(name, cell, fl, 2, 64)
					if err == nil {
						err = f.SetCellStyle(name, cell, cell, amountStyle)
					}
				case v.Int != nil:
					err = f.SetCellInt(name, cell, *v.Int)
				default:
					err = f.SetCellStr(name, cell, v.Text)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	return f.Write(w)
}

// sheetName makes a title a valid, unique sheet name: at most 31 characters, none of []:*?/\.
func sheetName(title string, i int) string {
	r := []rune{}
	for _, c := range title {
		switch c {
		case '[', ']', ':', '*', '?', '/', '\\':
			c = ' '
		}
		r = append(r, c)
	}
	if len(r) > 28 {
		r = r[:28]
	}
	if len(r) == 0 {
		return fmt.Sprintf("Sheet%d", i+1)
	}
	if i > 0 {
		return fmt.Sprintf("%s %d", string(r), i+1)
	}
	return string(r)
}
