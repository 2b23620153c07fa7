package tabular

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func table() Table {
	return Table{Title: "按状态 by status", Columns: []string{"状态", "笔数", "金额"}, Rows: [][]Cell{
		{Text("已支付"), Int(3), Amount(decimal.RequireFromString("12345.6"))},
		{Text("=HYPERLINK(\"x\")"), Int(1), Amount(decimal.RequireFromString("-0.01"))},
	}}
}

func TestCSVKeepsExactAmountsAndDefusesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, table()); err != nil {
		t.Fatal(err)
	}
	want := "\ufeff状态,笔数,金额\n已支付,3,12345.60\n\"'=HYPERLINK(\"\"x\"\")\",1,-0.01\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

func TestXLSXHasTypedCells(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, table(), Table{Title: "second", Columns: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 || !strings.HasPrefix(sheets[0], "按状态") {
		t.Fatalf("sheets %v", sheets)
	}
	v, _ := f.GetCellValue(sheets[0], "C2", excelize.Options{RawCellValue: true})
	if d, err := decimal.NewFromString(v); err != nil || !d.Equal(decimal.RequireFromString("12345.6")) {
		t.Errorf("amount cell raw value %q", v)
	}
	typ, _ := f.GetCellType(sheets[0], "B2")
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("count stored as text")
	}
}
