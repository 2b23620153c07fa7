package voucher

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

func tibetClaim(r Redemption) Claim {
	return Claim{Scope: tibet2024, Params: tibetParams(), Holder: lhasaFirm, Redemption: r}
}

func noneHeld([]claim.Evidence) (map[int]string, error) { return nil, nil }

func TestAssessPaysAnEligibleRedemption(t *testing.T) {
	var asked []claim.Evidence
	as, err := tibetClaim(redemption("12000.00")).Assess(func(items []claim.Evidence) (map[int]string, error) {
		asked = items
		return nil, nil
	})
	require.NoError(t, err)
	require.Equal(t, []claim.Evidence{{Line: 0, Kind: "invoice", Key: "INV-88001"},
		{Line: 0, Kind: "contract", Key: testLab + "/HT-2024-017"}}, asked)
	require.True(t, as.Eligible())
	require.Equal(t, "6000.00", money.Format(as.Amount))
}

func TestAssessRefusesARedemptionWhoseEvidenceAnotherClaimHolds(t *testing.T) {
	as, err := tibetClaim(redemption("12000.00")).Assess(func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{0: "clm_freight_7"}, nil
	})
	require.NoError(t, err)
	require.Equal(t, ReasonAlreadyClaimed, as.Reason)
	require.Equal(t, ReasonAlreadyClaimed, as.Lines[0].Reason)
	require.Equal(t, "clm_freight_7", as.Lines[0].Conflict)
	require.True(t, as.Amount.IsZero())
}

func TestAssessDoesNotRegisterEvidenceOfARefusedRedemption(t *testing.T) {
	asked := false
	as, err := tibetClaim(redemption("12000.00", func(r *Redemption) { r.ProviderCreditCode = unlisted })).
		Assess(func([]claim.Evidence) (map[int]string, error) { asked = true; return nil, nil })
	require.NoError(t, err)
	require.False(t, asked, "a refused redemption must not block its invoice for a valid one")
	require.Equal(t, ReasonProviderNotListed, as.Reason)
}

func TestAssessPassesOnTheHoldersError(t *testing.T) {
	boom := errors.New("database down")
	_, err := tibetClaim(redemption("1.00")).Assess(func([]claim.Evidence) (map[int]string, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
}

func tibetProgram(t *testing.T, p Params) program.Program {
	params, err := json.Marshal(p)
	require.NoError(t, err)
	return program.Program{ID: "prg_v", Kind: program.Voucher, Region: "540000",
		PeriodStart: day("2024-01-01"), PeriodEnd: day("2025-01-01"), Params: params}
}

func TestClaimOfReadsWhatTheAPIStores(t *testing.T) {
	stored, _, errs := (&BodyRequest{Redemption: goodRedemption()}).Normalise()
	require.Nil(t, errs)
	payload, err := json.Marshal(stored)
	require.NoError(t, err)
	c, err := ClaimOf(tibetProgram(t, tibetParams()), lhasaFirm, payload)
	require.NoError(t, err)
	require.Equal(t, tibet2024, c.Scope)
	require.Equal(t, lhasaFirm, c.Holder)
	require.Equal(t, tibetParams().Providers, c.Params.Providers)
	require.True(t, c.Redemption.InvoiceAmount.Equal(dec("12000.50")))
	require.Equal(t, day("2024-06-15"), c.Redemption.InvoiceDate)
}

func TestClaimOfRefuses(t *testing.T) {
	good, _ := json.Marshal(Payload{Redemption: redemption("1.00")})
	badParams := tibetParams()
	badParams.Rate = dec("0")
	tests := []struct {
		name    string
		prg     program.Program
		payload string
		want    string
	}{
		{"payload of the wrong shape", tibetProgram(t, tibetParams()), `{"redemption": 7}`, "voucher payload"},
		{"empty redemption", tibetProgram(t, tibetParams()), `{}`, "invoice_amount: must be greater than 0"},
		{"unusable parameters", tibetProgram(t, badParams), string(good), "rate: must be greater than 0"},
		{"undecodable parameters", program.Program{ID: "prg_x", Params: json.RawMessage(`[]`)}, string(good),
			"parameters of program prg_x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ClaimOf(tt.prg, lhasaFirm, json.RawMessage(tt.payload))
			require.ErrorContains(t, err, tt.want)
		})
	}
}
