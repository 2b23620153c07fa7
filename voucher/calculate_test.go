package voucher

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
)

func eligible(amount string) claim.LineDecision {
	return claim.LineDecision{Eligible: true, Basis: dec(amount), Text: "eligible"}
}

func TestCalculate(t *testing.T) {
	tests := []struct {
		name          string
		face, rate    string
		line          claim.LineDecision
		raw, limited  string
		want, release string
		wantReason    claim.Reason
	}{
		{"invoice × rate below face value", "20000.00", "0.50", eligible("12000.00"),
			"6000", "6000", "6000.00", "14000.00", ""},
		{"face value limits the subsidy", "20000.00", "0.50", eligible("50000.00"),
			"25000", "20000", "20000.00", "0.00", ""},
		{"invoice × rate exactly the face value", "20000.00", "0.50", eligible("40000.00"),
			"20000", "20000", "20000.00", "0.00", ""},
		{"half-up rounding once", "20000.00", "0.50", eligible("333.33"),
			"166.665", "166.665", "166.67", "19833.33", ""},
		{"below half a fen rounds down", "20000.00", "0.33333333", eligible("100.00"),
			"33.333333", "33.333333", "33.33", "19966.67", ""},
		{"a fen above the limit is still limited", "20000.00", "0.50", eligible("40000.01"),
			"20000.005", "20000", "20000.00", "0.00", ""},
		{"odd face value", "15000.50", "0.80", eligible("30000.00"),
			"24000", "15000.5", "15000.50", "0.00", ""},
		{"smallest invoice at half pays a fen", "20000.00", "0.50", eligible("0.01"),
			"0.005", "0.005", "0.01", "19999.99", ""},
		{"subsidy rounding to zero pays nothing", "20000.00", "0.10", eligible("0.01"),
			"0.001", "0.001", "0.00", "20000.00", ReasonRoundsToZero},
		{"refused line pays nothing and carries its reason", "20000.00", "0.50",
			claim.LineDecision{Reason: ReasonProviderNotListed, Text: "not listed", Basis: dec("0")},
			"0", "0", "0.00", "20000.00", ReasonProviderNotListed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tibetParams()
			p.FaceValue, p.Rate = dec(tt.face), dec(tt.rate)
			a := Calculate(p, tt.line)

			require.Equal(t, RuleVersion, a.RuleVersion)
			require.Equal(t, tt.want, money.Format(a.Amount))
			require.True(t, a.Amount.Equal(dec(tt.want)))
			require.Equal(t, tt.wantReason, a.Reason)
			require.Equal(t, tt.wantReason != "", a.Text != "", "a refusal carries a text")
			require.Equal(t, tt.wantReason == "", a.Eligible())
			require.Equal(t, []claim.LineDecision{tt.line}, a.Lines)

			labels := make([]string, len(a.Steps))
			for i, s := range a.Steps {
				labels[i] = s.Label
			}
			require.Equal(t, []string{"invoice amount", "rate", "invoice × rate", "face value",
				"subsidy = min(face value, invoice × rate)", "subsidy (rounded half up)",
				"released = face value − subsidy"}, labels)
			require.True(t, a.Steps[0].Value.Equal(tt.line.Basis))
			require.True(t, a.Steps[1].Value.Equal(dec(tt.rate)))
			require.True(t, a.Steps[2].Value.Equal(dec(tt.raw)), "raw %s", a.Steps[2].Value)
			require.True(t, a.Steps[3].Value.Equal(dec(tt.face)))
			require.True(t, a.Steps[4].Value.Equal(dec(tt.limited)), "limited %s", a.Steps[4].Value)
			require.True(t, a.Steps[5].Value.Equal(a.Amount))
			require.Equal(t, tt.release, money.Format(a.Steps[6].Value))
			require.True(t, a.Steps[6].Value.Equal(Released(p.FaceValue, a.Amount)))
		})
	}
}

func TestReleased(t *testing.T) {
	tests := []struct{ face, s, want string }{
		{"20000.00", "6000.00", "14000.00"},
		{"20000.00", "166.67", "19833.33"},
		{"20000.00", "20000.00", "0.00"},
		{"20000.00", "0.00", "20000.00"},
		{"15000.50", "0.01", "15000.49"},
	}
	for _, tt := range tests {
		t.Run(tt.face+" − "+tt.s, func(t *testing.T) {
			got := Released(dec(tt.face), dec(tt.s))
			require.Equal(t, tt.want, money.Format(got))
			require.True(t, got.Equal(dec(tt.want)))
		})
	}
}

// TestMinBeforeOrAfterRoundingAgree backs the claim in Calculate's comment: with a face
// value on the fen grid, round(min(face, x)) = min(face, round(x)), here around the limit
// where the two could differ.
func TestMinBeforeOrAfterRoundingAgree(t *testing.T) {
	p := tibetParams()
	for _, invoice := range []string{"39999.97", "39999.98", "39999.99", "40000.00", "40000.01", "40000.02", "40000.03"} {
		got := Calculate(p, eligible(invoice)).Amount
		raw := dec(invoice).Mul(p.Rate)
		other := money.Round(raw)
		if other.GreaterThan(p.FaceValue) {
			other = p.FaceValue
		}
		require.True(t, got.Equal(other), "invoice %s: %s vs %s", invoice, got, other)
	}
}

func TestCalculateWithLimitNotes(t *testing.T) {
	p := tibetParams()
	require.Equal(t, "limited by the face value", Calculate(p, eligible("50000.00")).Steps[4].Note)
	require.Equal(t, "invoice × rate, within the face value", Calculate(p, eligible("100.00")).Steps[4].Note)
}
