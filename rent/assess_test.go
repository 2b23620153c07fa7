package rent

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

func TestAssess(t *testing.T) {
	c := Claim{Scope: tibet2022, Params: tibetParams(), Tenant: lhasaFirm, Lease: lease()}
	var asked []claim.Evidence
	as, err := c.Assess(nobody(&asked))
	require.NoError(t, err)
	require.Equal(t, []claim.Evidence{{Line: 0, Kind: "lease", Key: stateLandlord + "/HT-2021-007"}}, asked)
	require.True(t, as.Eligible())
	require.Equal(t, "30000.00", as.Amount.StringFixed(2))
}

func TestAssessRefusesALeaseAnotherClaimHolds(t *testing.T) {
	c := Claim{Scope: tibet2022, Params: tibetParams(), Tenant: lhasaFirm, Lease: lease()}
	as, err := c.Assess(func([]claim.Evidence) (map[int]string, error) {
		return map[int]string{0: "clm_first"}, nil
	})
	require.NoError(t, err)
	require.False(t, as.Eligible())
	require.Equal(t, ReasonAlreadyClaimed, as.Reason)
	require.Equal(t, ReasonAlreadyClaimed, as.Lines[0].Reason)
	require.Equal(t, "clm_first", as.Lines[0].Conflict)
	require.True(t, as.Amount.IsZero())
}

func TestAssessDoesNotRegisterARefusedLease(t *testing.T) {
	c := Claim{Scope: tibet2022, Params: tibetParams(), Tenant: lhasaFirm,
		Lease: lease(func(l *Lease) { l.LandlordCreditCode = privateOwner })}
	var asked []claim.Evidence
	as, err := c.Assess(nobody(&asked))
	require.NoError(t, err)
	require.Empty(t, asked, "a refused lease must not block a later, valid claim")
	require.Equal(t, ReasonLandlordNotListed, as.Reason)
}

func TestAssessPassesOnTheHoldersError(t *testing.T) {
	c := Claim{Scope: tibet2022, Params: tibetParams(), Tenant: lhasaFirm, Lease: lease()}
	boom := errors.New("database down")
	_, err := c.Assess(func([]claim.Evidence) (map[int]string, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
}

func TestClaimOfReadsWhatTheAPIStores(t *testing.T) {
	params, _ := json.Marshal(tibetParams())
	payload, _ := json.Marshal(Payload{Lease: lease()})
	prg := program.Program{ID: "prg_1", Region: "540000", PeriodStart: day("2022-01-01"),
		PeriodEnd: day("2023-01-01"), Params: params}
	c, err := ClaimOf(prg, lhasaFirm, payload)
	require.NoError(t, err)
	require.Equal(t, tibet2022, c.Scope)
	require.Equal(t, tibetParams(), c.Params)
	require.True(t, c.Lease.MonthlyRent.Equal(dec("5000.00")))
	require.True(t, c.Lease.LeaseEnd.Equal(day("2024-07-01")))

	_, err = ClaimOf(prg, lhasaFirm, json.RawMessage(`{"lease": 7}`))
	require.Error(t, err)
	prg.Params = json.RawMessage(`{"risk_months": "six"}`)
	_, err = ClaimOf(prg, lhasaFirm, payload)
	require.ErrorContains(t, err, "parameters of program prg_1")
}
