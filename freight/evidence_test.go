package freight

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestEvidenceOf(t *testing.T) {
	tests := []struct {
		name                      string
		carrier, waybill, invoice string
		want                      []Evidence
	}{
		{"plain", "SF", "123", "INV1",
			[]Evidence{{"waybill", "SF/123"}, {"invoice", "INV1"}}},
		{"spaces and case do not matter", " sf express ", " ab12 ", " inv-9\t",
			[]Evidence{{"waybill", "SF EXPRESS/AB12"}, {"invoice", "INV-9"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shipment(tt.waybill, tt.invoice, "1.00", func(s *Shipment) { s.Carrier = tt.carrier })
			require.Equal(t, tt.want, EvidenceOf(s))
		})
	}
}

func TestMarkClaimed(t *testing.T) {
	tests := []struct {
		name       string
		before     claim.LineDecision
		wantReason claim.Reason
		wantText   string
	}{
		{"eligible line is refused",
			claim.LineDecision{Index: 2, Eligible: true, Basis: dec("100.00"), Text: "eligible"},
			ReasonAlreadyClaimed, "waybill or invoice already claimed by claim c-41"},
		{"refused line keeps its first reason",
			claim.LineDecision{Index: 2, Reason: ReasonModeExcluded, Basis: dec("0"), Text: "rail"},
			ReasonModeExcluded, "rail"},
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
			require.Equal(t, 2, d.Index)
		})
	}
}
