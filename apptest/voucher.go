package apptest

import (
	"fmt"
	"testing"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
)

// ProviderCode is the credit code of the service provider the voucher fixtures list.
var ProviderCode = MustCode("91540100MA6T00009")

// VoucherProgram creates a voucher program for Lhasa (540100) over the current calendar year
// (so that today's invoices fall inside it) with the default face value 20000.00, rate
// 0.50 and delivery days, listing ProviderCode, paying payee ("provider" or "enterprise").
func (e *Env) VoucherProgram(t testing.TB, budget, payee string) string {
	t.Helper()
	year := time.Now().UTC().Year()
	r := e.Do(t, "POST", "/v1/programs", "admin", map[string]any{
		"kind": "voucher", "name": "Lhasa service vouchers", "region": "540100",
		"period_start": fmt.Sprintf("%d-01-01", year), "period_end": fmt.Sprintf("%d-01-01", year+1),
		"budget": budget,
		"params": map[string]any{"face_value": "20000.00", "rate": "0.50", "providers": []string{ProviderCode},
			"payee": payee},
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create voucher program: %d %s", r.Status, r.Body)
	}
	return r.JSON["id"].(string)
}

// Provider registers ProviderCode with a bank account and adds a "provider" token bound
// to it.
func (e *Env) Provider(t testing.TB, account string) {
	t.Helper()
	e.Enterprise(t, ProviderCode, account)
	e.token(t, "provider", access.Principal{Subject: "provider-1", Role: access.Provider, CreditCode: ProviderCode})
}

// ApplyVoucher applies for a voucher as who.
func (e *Env) ApplyVoucher(t testing.TB, who, programID string) *Response {
	t.Helper()
	return e.Do(t, "POST", "/v1/vouchers", who, map[string]any{"program_id": programID}, "Idempotency-Key", Key())
}

// Redemption is a purchase from ProviderCode invoiced today.
func Redemption(invoiceNo, amount string) map[string]any {
	return map[string]any{"redemption": map[string]any{
		"provider_credit_code": ProviderCode, "service_category": "testing", "contract_no": "CT-" + invoiceNo,
		"invoice_no": invoiceNo, "invoice_date": time.Now().UTC().Format(time.DateOnly), "invoice_amount": amount,
	}}
}
