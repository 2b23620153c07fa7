package guarantee

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestEvidenceOf(t *testing.T) {
	tests := []struct {
		name                  string
		institution, contract string
		want                  Evidence
	}{
		{"plain", datongGuarantee, "DB-2023-007", Evidence{"guarantee", datongGuarantee + "/DB-2023-007"}},
		{"spaces and case do not matter", " " + datongGuarantee + " ", " db-2023-007\t",
			Evidence{"guarantee", datongGuarantee + "/DB-2023-007"}},
		{"the same number from another institution is another contract", otherInstitute, "DB-2023-007",
			Evidence{"guarantee", otherInstitute + "/DB-2023-007"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, EvidenceOf(tt.institution, contract(tt.contract)))
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
		{"eligible contract is refused",
			claim.LineDecision{Index: 2, Eligible: true, Basis: dec("5000"), Text: "eligible"},
			ReasonAlreadyClaimed, "guarantee contract already claimed by claim c-41"},
		{"refused contract keeps its first reason",
			claim.LineDecision{Index: 2, Reason: ReasonFeeRateAboveMax, Basis: dec("0"), Text: "fee"},
			ReasonFeeRateAboveMax, "fee"},
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
