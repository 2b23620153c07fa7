package web

import "testing"

// A pasted or uploaded line with bytes that are not UTF-8 is named and not read: passed on
// as JSON its text would be stored with U+FFFD in place of what the file held.
func TestShipmentLinesThatAreNotUTF8AreRefused(t *testing.T) {
	text := "carrier,waybill_no,ship_date,origin_region,destination_region,product_category,mode,amount,invoice_no\n" +
		"Tibet Co,WB-1,2023-05-10,540102,510100,highland-barley,road,\"1,000.00\",INV-1\n" +
		"T\xff\xfeCo,WB-2,2023-05-10,540102,510100,highland-barley,road,1000.00,INV-2\n"
	lines, errs := parseShipments("CSV file", text)
	if len(lines) != 1 || lines[0].Values["waybill_no"] != "WB-1" || lines[0].Values["amount"] != "1,000.00" && lines[0].Values["amount"] != "1000.00" {
		t.Fatalf("lines = %+v", lines)
	}
	if len(errs) != 1 || errs[0].Line != 3 || errs[0].Msg != "is not valid UTF-8 text" {
		t.Fatalf("errs = %+v, want line 3 named as not UTF-8", errs)
	}
}
