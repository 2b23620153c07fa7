package rent

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestEvidenceOf(t *testing.T) {
	tests := []struct {
		name               string
		landlord, contract string
		want               Evidence
	}{
		{"plain", stateLandlord, "HT-2021-007", Evidence{"lease", stateLandlord + "/HT-2021-007"}},
		{"spaces and case do not matter", " " + stateLandlord + " ", " ht-2021-007\t",
			Evidence{"lease", stateLandlord + "/HT-2021-007"}},
		{"the same number from another landlord is another lease", otherLandlord, "HT-2021-007",
			Evidence{"lease", otherLandlord + "/HT-2021-007"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lease(func(l *Lease) { l.LandlordCreditCode, l.ContractNo = tt.landlord, tt.contract })
			require.Equal(t, tt.want, EvidenceOf(l))
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
		{"eligible lease is refused",
			claim.LineDecision{Eligible: true, Basis: dec("30000"), Text: "eligible"},
			ReasonAlreadyClaimed, "lease contract already claimed by claim c-41"},
		{"refused lease keeps its first reason",
			claim.LineDecision{Reason: ReasonLandlordNotListed, Basis: dec("0"), Text: "not listed"},
			ReasonLandlordNotListed, "not listed"},
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
