package apptest

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/subsidyflow/subsidyflow/access"
)

var seq atomic.Int64

// Key returns a fresh Idempotency-Key.
func Key() string { return fmt.Sprintf("test-key-%d", seq.Add(1)) }

// FreightProgram creates a freight program for Lhasa (540100), 2023, with the given budget,
// and returns its id.
func (e *Env) FreightProgram(t testing.TB, budget string) string {
	t.Helper()
	r := e.Do(t, "POST", "/v1/programs", "admin", map[string]any{
		"kind": "freight", "name": "Lhasa freight 2023", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2024-01-01", "budget": budget,
		"params": map[string]any{"rate": "0.50", "yearly_cap": "500000.00",
			"product_categories": []string{"highland-barley", "yak-dairy", "tibetan-medicine"}},
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create program: %d %s", r.Status, r.Body)
	}
	return r.JSON["id"].(string)
}

// Enterprise registers an industrial enterprise in Lhasa with the given bank account number.
func (e *Env) Enterprise(t testing.TB, code, account string) {
	t.Helper()
	r := e.Do(t, "POST", "/v1/enterprises", "admin", map[string]any{
		"credit_code": code, "name": "Lhasa Highland Foods " + code[len(code)-4:], "industry": "industry",
		"employees": 45, "revenue": "1800.00", "assets": "2500.00", "region": "540102",
		"bank_account": map[string]any{"bank_name": "Bank of Tibet", "account_name": "Lhasa Highland Foods",
			"account_number": account},
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create enterprise: %d %s", r.Status, r.Body)
	}
}

// Shipment is one freight line with sensible defaults; n makes waybill and invoice unique.
func Shipment(n int, amount string) map[string]any {
	return map[string]any{
		"carrier": "Tibet Transport Co", "waybill_no": fmt.Sprintf("WB-%06d", n), "ship_date": "2023-05-10",
		"origin_region": "540102", "destination_region": "510100", "product_category": "highland-barley",
		"mode": "road", "amount": amount, "invoice_no": fmt.Sprintf("INV-%06d", n),
	}
}

// FileFreight files a freight claim as who and returns the response.
func (e *Env) FileFreight(t testing.TB, who, programID string, shipments ...map[string]any) *Response {
	t.Helper()
	return e.Do(t, "POST", "/v1/claims", who, map[string]any{
		"program_id": programID, "freight": map[string]any{"shipments": shipments},
	}, "Idempotency-Key", Key())
}

// Token creates a token for p, usable as who in Do.
func (e *Env) Token(t testing.TB, who string, p access.Principal) { e.token(t, who, p) }

// RentProgram creates a rent-waiver program for Lhasa (540100), 2023, with the given
// budget and params, and returns its id.
func (e *Env) RentProgram(t testing.TB, budget string, params map[string]any) string {
	t.Helper()
	r := e.Do(t, "POST", "/v1/programs", "admin", map[string]any{
		"kind": "rent", "name": "Lhasa rent waivers 2023", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2024-01-01", "budget": budget, "params": params,
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create rent program: %d %s", r.Status, r.Body)
	}
	return r.JSON["id"].(string)
}

// Lease is a lease of premises in Chengguan (540102) from landlord at monthly rent from
// 2022-07-01 to 2024-07-01 (all of 2023 inside it); contract names it.
func Lease(contract, landlord, monthlyRent string) map[string]any {
	return map[string]any{
		"contract_no": contract, "landlord_credit_code": landlord, "premises_address": "Beijing Middle Road 12, Lhasa",
		"county": "540102", "monthly_rent": monthlyRent, "lease_start": "2022-07-01", "lease_end": "2024-07-01",
	}
}

// FileRent files a rent-waiver claim as who and returns the response.
func (e *Env) FileRent(t testing.TB, who, programID string, lease map[string]any) *Response {
	t.Helper()
	return e.Do(t, "POST", "/v1/claims", who, map[string]any{
		"program_id": programID, "rent": map[string]any{"lease": lease},
	}, "Idempotency-Key", Key())
}

// GuaranteeProgram creates a guarantee-fee program for Lhasa, 2023, listing institution,
// and returns its id; params override the defaults.
func (e *Env) GuaranteeProgram(t testing.TB, budget, institution string, params map[string]any) string {
	t.Helper()
	p := map[string]any{"institutions": []string{institution}}
	for k, v := range params {
		p[k] = v
	}
	r := e.Do(t, "POST", "/v1/programs", "admin", map[string]any{
		"kind": "guarantee", "name": "Lhasa guarantee-fee rebates 2023", "region": "540100",
		"period_start": "2023-01-01", "period_end": "2024-01-01", "budget": budget, "params": p,
	}, "Idempotency-Key", Key())
	if r.Status != 201 {
		t.Fatalf("apptest: create guarantee program: %d %s", r.Status, r.Body)
	}
	return r.JSON["id"].(string)
}

// Guarantee is one guarantee contract for the calendar year 2023 with sensible defaults:
// 1,000,000.00 guaranteed at 0.8 %, fee paid 8,000.00, no counter-guarantee, no review fee.
func Guarantee(contract, borrower, claimedClass string) map[string]any {
	return map[string]any{
		"contract_no": contract, "borrower_credit_code": borrower, "borrower_size_class": claimedClass,
		"guaranteed_amount": "1000000.00", "fee_rate": "0.008", "fee_paid": "8000.00",
		"start_date": "2023-01-01", "end_date": "2024-01-01", "counter_guarantee": false, "review_fee": false,
	}
}

// FileGuarantee files a guarantee-fee claim as who and returns the response.
func (e *Env) FileGuarantee(t testing.TB, who, programID string, contracts ...map[string]any) *Response {
	t.Helper()
	return e.Do(t, "POST", "/v1/claims", who, map[string]any{
		"program_id": programID, "guarantee": map[string]any{"contracts": contracts},
	}, "Idempotency-Key", Key())
}
