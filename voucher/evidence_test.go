package voucher

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/freight"
)

func TestEvidenceOf(t *testing.T) {
	tests := []struct {
		name              string
		contract, invoice string
		want              []Evidence
	}{
		{"plain", "HT-1", "INV1",
			[]Evidence{{"invoice", "INV1"}, {"contract", testLab + "/HT-1"}}},
		{"spaces and case do not matter", " ht-1\t", " inv-9 ",
			[]Evidence{{"invoice", "INV-9"}, {"contract", testLab + "/HT-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := redemption("1.00", func(r *Redemption) { r.ContractNo, r.InvoiceNo = tt.contract, tt.invoice })
			require.Equal(t, tt.want, EvidenceOf(r))
		})
	}
}

// TestInvoiceEvidenceMatchesFreight holds the voucher's invoice evidence to the freight
// subsidy's, kind and key, so the store refuses an invoice used for both.
func TestInvoiceEvidenceMatchesFreight(t *testing.T) {
	for _, invoice := range []string{"INV-1", " inv-1 ", "\tFp2024 0001\n"} {
		shipment := freight.Shipment{Carrier: "SF", WaybillNo: "W1", InvoiceNo: invoice, Mode: freight.Road,
			ShipDate: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Amount: dec("1.00")}
		var fromFreight freight.Evidence
		for _, ev := range freight.EvidenceOf(shipment) {
			if ev.Kind == freight.EvidenceInvoice {
				fromFreight = ev
			}
		}
		fromVoucher := EvidenceOf(redemption("1.00", func(r *Redemption) { r.InvoiceNo = invoice }))[0]
		require.Equal(t, fromFreight.Kind, fromVoucher.Kind, invoice)
		require.Equal(t, fromFreight.Key, fromVoucher.Key, invoice)
	}
}

func TestContractEvidenceIsPerProvider(t *testing.T) {
	a := EvidenceOf(redemption("1.00"))[1]
	b := EvidenceOf(redemption("1.00", func(r *Redemption) { r.ProviderCreditCode = consultant }))[1]
	require.NotEqual(t, a.Key, b.Key, "the same contract number from two providers is two contracts")
}

func TestMarkClaimed(t *testing.T) {
	tests := []struct {
		name       string
		before     claim.LineDecision
		wantReason claim.Reason
		wantText   string
	}{
		{"eligible line is refused",
			claim.LineDecision{Eligible: true, Basis: dec("100.00"), Text: "eligible"},
			ReasonAlreadyClaimed, "invoice or contract already claimed by claim c-41"},
		{"refused line keeps its first reason",
			claim.LineDecision{Reason: ReasonProviderNotListed, Basis: dec("0"), Text: "not listed"},
			ReasonProviderNotListed, "not listed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.before
			MarkClaimed(&d, "c-41")
			require.False(t, d.Eligible)
			require.Equal(t, tt.wantReason, d.Reason)
			require.Equal(t, tt.wantText, d.Text)
			require.Equal(t, "c-41", d.Conflict)
			require.True(t, d.Basis.IsZero())
		})
	}
}
