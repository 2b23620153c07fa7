package guarantee

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/program"
)

// nobody holds any evidence; it records what it was asked.
func nobody(asked *[]claim.Evidence) claim.Holders {
	return func(items []claim.Evidence) (map[int]string, error) {
		*asked = append(*asked, items...)
		return nil, nil
	}
}

func datongClaim(lines ...Contract) Claim {
	return Claim{Scope: datong2023, Params: datongParams(), Institution: datongGuarantee, Borrowers: registry, Lines: lines}
}

func TestAssess(t *testing.T) {
	c := datongClaim(contract("G-1"), contract("G-2", borrower(largeFirm, "large")), contract(" g-3 "))
	var asked []claim.Evidence
	as, err := c.Assess(nobody(&asked))
	require.NoError(t, err)
	require.Equal(t, []claim.Evidence{
		{Line: 0, Kind: "guarantee", Key: datongGuarantee + "/G-1"},
		{Line: 2, Kind: "guarantee", Key: datongGuarantee + "/G-3"},
	}, asked, "only the eligible lines are asked about")
	require.True(t, as.Eligible())
	require.Equal(t, "10000.00", as.Amount.StringFixed(2))
}

func TestAssessRefusesContractsAnotherClaimHolds(t *testing.T) {
	c := datongClaim(contract("G-1", borrower(smallFirm, "medium")), contract("G-2"))
	as, err := c.Assess(func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{0: "clm_first", 7: "clm_stray"}, nil
	})
	require.NoError(t, err)
	require.Equal(t, ReasonAlreadyClaimed, as.Lines[0].Reason)
	require.Equal(t, "clm_first", as.Lines[0].Conflict)
	require.Equal(t, "guarantee contract already claimed by claim clm_first; registry says small, claim says medium",
		as.Lines[0].Text, "finance still sees the class difference")
	require.True(t, as.Lines[1].Eligible)
	require.Equal(t, "5000.00", as.Amount.StringFixed(2))
}

func TestAssessRefusesAClaimWhoseOnlyContractIsHeld(t *testing.T) {
	as, err := datongClaim(contract("G-1")).Assess(func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{0: "clm_first"}, nil
	})
	require.NoError(t, err)
	require.False(t, as.Eligible())
	require.Equal(t, ReasonNoEligibleLine, as.Reason)
	require.True(t, as.Amount.IsZero())
}

func TestAssessDoesNotRegisterRefusedContracts(t *testing.T) {
	c := datongClaim(contract("G-1"))
	c.Institution = otherInstitute
	var asked []claim.Evidence
	as, err := c.Assess(nobody(&asked))
	require.NoError(t, err)
	require.Empty(t, asked, "a refused contract must not block a later, valid claim")
	require.Equal(t, ReasonInstitutionNotListed, as.Reason)
}

func TestAssessPassesOnTheHoldersError(t *testing.T) {
	boom := errors.New("database down")
	_, err := datongClaim(contract("G-1")).Assess(func([]claim.Evidence) (map[int]string, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
}

func TestClaimOfReadsWhatTheAPIStores(t *testing.T) {
	params, _ := json.Marshal(datongParams())
	payload, err := WithRegistered(stored(t, contract("G-1", borrower(smallFirm, "medium"))), registry)
	require.NoError(t, err)
	prg := program.Program{ID: "prg_1", Region: "140200", PeriodStart: day("2023-01-01"),
		PeriodEnd: day("2024-01-01"), Params: params}
	c, err := ClaimOf(prg, datongGuarantee, payload)
	require.NoError(t, err)
	require.Equal(t, datong2023, c.Scope)
	require.Equal(t, datongParams().Institutions, c.Params.Institutions)
	require.True(t, c.Params.SubsidyRate.Equal(dec("0.005")))
	require.Equal(t, datongGuarantee, c.Institution)
	require.Equal(t, Borrowers{smallFirm: "small"}, c.Borrowers)
	require.Len(t, c.Lines, 1)
	require.True(t, c.Lines[0].GuaranteedAmount.Equal(dec("1000000.00")))
	require.True(t, c.Lines[0].EndDate.Equal(day("2024-01-01")))

	_, err = ClaimOf(prg, datongGuarantee, json.RawMessage(`{"contracts": 7}`))
	require.Error(t, err)
	prg.Params = json.RawMessage(`{"subsidy_rate": true}`)
	_, err = ClaimOf(prg, datongGuarantee, payload)
	require.ErrorContains(t, err, "parameters of program prg_1")
}
